"""The vector cache beside the models: an ingest into a second data dir reads its vectors instead of loading
the model, gets the vectors the model gives, and a cache it cannot read or write costs only time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hotline.config.settings import Settings
from hotline.index.embeddings import load_embeddings
from hotline.index.store import IndexStore
from hotline.index.vectors import FILE, KeptVectors, SQLiteByteStore
from ingest import run_ingest

from .conftest import make_settings, mini_settings, subprocess_env


def test_the_store_reads_back_what_it_wrote_and_drops_the_oldest_past_its_bound(tmp_path: Path) -> None:
    store = SQLiteByteStore(tmp_path / FILE, most=3)
    store.mset([(f"k{i}", bytes([i])) for i in range(5)])
    assert store.mget(["k0", "k1", "k2", "k3", "k4", "absent"]) == [None, None, b"\x02", b"\x03", b"\x04", None]
    store.mdelete(["k3"])
    assert sorted(store.yield_keys(prefix="k")) == ["k2", "k4"]


def test_a_damaged_or_unwritable_cache_is_a_miss_and_the_ingest_goes_on(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged" / FILE
    damaged.parent.mkdir()
    damaged.write_bytes(b"not a database" * 100)
    store = SQLiteByteStore(damaged)
    assert store.mget(["k"]) == [None]
    assert list(store.yield_keys()) == []
    store.mset([("k", b"v")])  # is lost, and sets the damaged file aside
    store.mset([("k", b"v")])
    assert store.mget(["k"]) == [b"v"]
    # A models dir that is a file: nothing can be written under it, and nothing fails.
    (tmp_path / "file").write_text("")
    assert SQLiteByteStore(tmp_path / "file" / FILE).mget(["k"]) == [None]


def test_a_question_does_not_wait_out_an_ingests_write(tmp_path: Path) -> None:
    """While another process holds the table for a write, a read is a miss (the question embeds its lines
    itself) instead of waiting for it; once the write ends the vectors are read."""
    import sqlite3

    kept = KeptVectors(tmp_path, "model")
    kept.put({"строка": np.ones(4, dtype=np.float32)})
    writer = sqlite3.connect(tmp_path / FILE)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        assert kept.get(["строка"]) == {}
    finally:
        writer.rollback()
        writer.close()
    assert np.array_equal(kept.get(["строка"])["строка"], np.ones(4, dtype=np.float32))


def test_the_hashing_encoder_keeps_no_vectors(tmp_path: Path) -> None:
    settings = mini_settings(tmp_path)
    run_ingest(settings)
    assert not (settings.model_dir / FILE).exists()


@pytest.mark.model
def test_a_second_data_dir_over_the_same_articles_embeds_without_the_model(settings: Settings, tmp_path: Path) -> None:
    run_ingest(settings)  # fills the cache, if the session had not already
    second = make_settings(tmp_path / "second", settings.corpus_dir, settings.model_dir)
    script = (
        "import json, sys; from ingest import run_ingest; from hotline.config.settings import Settings;"
        "run_ingest(Settings());"
        "print(json.dumps(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=subprocess_env(second), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []  # no model loaded: every vector came from the cache

    def vectors(of: Settings) -> dict[str, tuple[str, np.ndarray]]:
        store = IndexStore(of)
        try:
            snapshot = store.snapshot()
            assert snapshot is not None
            got = store.collection(snapshot.collection).get(include=["documents", "embeddings"])
            return {
                i: (d, np.asarray(e)) for i, d, e in zip(got["ids"], got["documents"], got["embeddings"], strict=True)
            }
        finally:
            store.close()

    first, again = vectors(settings), vectors(second)
    assert first.keys() == again.keys() and len(first) > 10
    assert all(np.array_equal(first[i][1], again[i][1]) for i in first)
    # And they are the model's own vectors for those texts, not merely the same as each other.
    some = sorted(first)[:8]
    fresh = np.asarray(load_embeddings(settings).embed_documents([first[i][0] for i in some]), dtype=np.float32)
    assert all(float(fresh[n] @ first[i][1]) > 0.999 for n, i in enumerate(some))


@pytest.mark.model
def test_after_an_ingest_a_new_question_embeds_only_itself(
    tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotline import Hotline
    from hotline.index.e5_onnx import OnnxE5

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lunotel.md").write_text(
        "---\ntitle: Лунотел: поддержка абонентов\n---\n\n## Телефоны\n\n"
        "Справочная служба Лунотел: 8 800 301-44-17, звонок бесплатный.\n\n"
        "| Вопрос | Номер |\n| --- | --- |\n| Роуминг | +7 495 301-44-18 |\n| Оплата | +7 495 301-44-19 |\n\n"
        "## Претензии\n\nПретензию отправьте на claims@lunotel.example. Ответ придёт за 10 дней.\n",
        encoding="utf-8",
    )
    settings = make_settings(tmp_path / "data", corpus, models_dir)
    run_ingest(settings)

    embedded: list[str] = []
    real = OnnxE5.embed_documents

    def counting(self: OnnxE5, texts: list[str]) -> list[list[float]]:
        embedded.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(OnnxE5, "embed_documents", counting)
    bot = Hotline(settings)
    try:
        answer = bot.ask("как позвонить в лунотел по поводу роуминга")
        assert "301-44-18" in answer.text
        assert embedded == []  # every line's vector was ready
        # Without the cache the same answer, its lines embedded at the question.
        uncached = settings.model_copy(update={"vector_cache": False})
        other = Hotline(uncached)
        try:
            assert other.ask("как позвонить в лунотел по поводу роуминга").text == answer.text
        finally:
            other.close()
        assert embedded
    finally:
        bot.close()
