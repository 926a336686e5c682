"""The built model under ONNX Runtime gives the torch model's vectors, for questions and for chunks: ONNX
Runtime embeds both by default, torch when the settings say so, and an index may hold vectors of either
(built before, or under the other setting), so the two must agree on what people ask and what articles say."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotline.index.embeddings import load_embeddings, load_query_embeddings

from .conftest import make_settings
from .test_e5 import corpus_chunks, questions

MIN_COSINE = 0.999


def test_onnx_agrees_with_torch_on_every_question_of_the_case_files_and_every_chunk(
    models_dir: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, tmp_path, models_dir)
    torch_model, onnx_model = load_embeddings(settings), load_query_embeddings(settings)
    assert type(onnx_model).__name__ == "OnnxE5"  # the default path is the ONNX one
    asked = [*questions(), "", "😀 ✓", "Ｏｚｏｎ  двойные\tпробелы", "номер " * 600]  # the last is cut at 512 tokens
    assert len(asked) > 300
    ours = np.asarray(onnx_model.embed_queries(asked))
    theirs = np.asarray(torch_model.embed_queries(asked))
    assert ours.shape == theirs.shape
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() >= MIN_COSINE
    # A batch pads its shorter texts; padding must not move their vectors.
    alone = np.asarray([onnx_model.embed_query(q) for q in asked[:20]])
    assert (alone * ours[:20]).sum(axis=1).min() >= 0.99999
    chunks = corpus_chunks()
    assert len(chunks) >= 60  # corpus/ alone where the shared corpora are not beside the checkout
    passages = np.asarray(onnx_model.embed_documents(chunks)) * np.asarray(torch_model.embed_documents(chunks))
    assert passages.sum(axis=1).min() >= MIN_COSINE


def test_torch_is_used_for_questions_when_settings_say_so(models_dir: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, tmp_path, models_dir).model_copy(update={"query_encoder": "torch"})
    assert load_query_embeddings(settings) is load_embeddings(settings)
