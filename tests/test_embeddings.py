"""The default model is a real SentenceTransformer built from navec, loaded with no network."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from hotline.embeddings import NAVEC_MODEL_ID, load_embeddings
from hotline.settings import Settings

from .conftest import make_settings


def test_built_folder_is_a_stock_sentence_transformer_that_loads_offline(models_dir: Path, tmp_path: Path) -> None:
    # A fresh interpreter that knows nothing of hotline: only sentence-transformers and the folder.
    script = textwrap.dedent(
        f"""
        import json, sentence_transformers
        model = sentence_transformers.SentenceTransformer({str(models_dir / NAVEC_MODEL_ID)!r}, local_files_only=True)
        vectors = model.encode(["телефон горячей линии", "жалоба в роспотребнадзор"])
        print(json.dumps({{"shape": list(vectors.shape), "modules": [type(m).__name__ for m in model]}}))
        """
    )
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"shape": [2, 300], "modules": ["WordEmbeddings", "Pooling", "Normalize"]}


def test_embeddings_are_unit_vectors_and_related_texts_are_closer(tmp_path: Path, models_dir: Path) -> None:
    embeddings = load_embeddings(make_settings(tmp_path, tmp_path, models_dir))
    complaint, hotline, weather = np.array(
        embeddings.embed_documents(
            ["Куда подать жалобу на магазин", "Телефон горячей линии поддержки", "Погода в Сочи солнечная"]
        )
    )
    query = np.array(embeddings.embed_query("как пожаловаться на интернет-магазин"))
    assert np.allclose([np.linalg.norm(v) for v in (complaint, hotline, weather, query)], 1.0, atol=1e-5)
    assert query @ complaint > query @ hotline > query @ weather


def test_punctuation_around_words_does_not_hide_them(tmp_path: Path, models_dir: Path) -> None:
    # The stock whitespace tokenizer would drop «Помощь» (guillemets are not ASCII punctuation).
    embeddings = load_embeddings(make_settings(tmp_path, tmp_path, models_dir))
    quoted, plain = embeddings.embed_documents(["раздел «Помощь» — Справка", "раздел помощь справка"])
    assert float(np.dot(quoted, plain)) > 0.999


def test_a_model_can_be_named_by_path(tmp_path: Path, models_dir: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, embedding_model=str(models_dir / NAVEC_MODEL_ID))  # type: ignore[call-arg]
    assert len(load_embeddings(settings).embed_query("телефон")) == 300
