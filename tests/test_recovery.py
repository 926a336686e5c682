"""An ingest killed with SIGKILL leaves the previous index serving; the next ingest finishes the job.

The kills are real (the child process is killed by the OS), at each window of an ingest, and once more at
moments chosen by the clock rather than by the code.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotline import IndexNotBuilt, IndexStore, Retriever, Settings
from ingest import run_ingest

from .conftest import REPO, subprocess_env
from .index_checks import assert_consistent, expected_ids

OLD_PHONE, NEW_PHONE = "8 (800) 100-0004", "8 (800) 555-01-02"
HELPER = Path(__file__).with_name("kill_ingest.py")

pytestmark = pytest.mark.slow


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    """The real corpus, read with the deterministic word encoder: what these tests check is which state
    the index is in after a kill, which does not depend on what the vectors mean, and each of their many
    ingests then costs a fraction of the sentence encoder's time (the same kills on e5 cost the suite a
    minute more)."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=corpus, embedding_model="hashing")  # type: ignore[call-arg]


def edit_corpus(corpus: Path, sections: int = 24) -> None:
    """Change one phone number and add an article long enough to take several batches."""
    article = corpus / "ozon-complaint.md"
    article.write_text(article.read_text(encoding="utf-8").replace(OLD_PHONE, NEW_PHONE), encoding="utf-8")
    body = "\n\n".join(
        f"## Пункт выдачи номер {n}\n\nПункт выдачи номер {n} находится по адресу: Лесная улица, дом {n}."
        for n in range(sections)
    )
    (corpus / "pickup-points.md").write_text(f"---\ntitle: Пункты выдачи\n---\n\n{body}\n", encoding="utf-8")


def kill_ingest(settings: Settings, point: str, *args: str) -> int:
    """Run the killing helper; returns how many chunks it embedded before dying mid-embedding."""
    out = subprocess.run(
        [sys.executable, str(HELPER), point, *args],
        capture_output=True,
        text=True,
        env=subprocess_env(settings),
        cwd=REPO,
        timeout=240,
    )
    assert out.returncode == -9, f"the ingest was not killed: {out.returncode}\n{out.stdout}\n{out.stderr}"
    return int(out.stdout.split()[1]) if out.stdout.startswith("embedded ") else 0


def served(settings: Settings, query: str, k: int = 80) -> str:
    """All text the live index returns for ``query``, from a fresh reader."""
    retriever = Retriever(settings)
    try:
        return "\n".join(p.text for p in retriever.search(query, k))
    finally:
        retriever.store.close()


@pytest.mark.parametrize("point", ["mid-embedding", "before-commit", "after-commit"])
def test_killed_update_leaves_a_serving_index_and_the_next_ingest_repairs_it(settings: Settings, point: str) -> None:
    first = run_ingest(settings)
    edit_corpus(settings.corpus_dir)
    total_new = len(expected_ids(settings)) - first.chunks + 1  # the edited chunk, and the new article

    embedded_before_kill = kill_ingest(settings, point)

    text = served(settings, "Роспотребнадзор телефон пункт выдачи адрес")
    if point == "after-commit":  # committed: the new state serves, the old chunks are invisible
        assert NEW_PHONE in text and OLD_PHONE not in text and "Лесная улица" in text
    else:  # not committed: exactly the previous state serves
        assert OLD_PHONE in text and NEW_PHONE not in text and "Лесная улица" not in text

    report = run_ingest(settings)

    assert report.embedded == (total_new - embedded_before_kill if point == "mid-embedding" else 0)
    text = served(settings, "Роспотребнадзор телефон пункт выдачи адрес")
    assert NEW_PHONE in text and OLD_PHONE not in text and "Лесная улица" in text
    assert_consistent(settings)


def test_killed_first_ingest_says_the_index_is_not_built_and_the_next_one_finishes(settings: Settings) -> None:
    embedded_before_kill = kill_ingest(settings, "mid-embedding")
    with pytest.raises(IndexNotBuilt):
        served(settings, "телефон")
    report = run_ingest(settings)
    assert 16 <= embedded_before_kill < report.chunks
    assert report.embedded == report.chunks - embedded_before_kill
    assert_consistent(settings)


def test_killed_full_rebuild_keeps_the_old_index_and_its_leftover_is_dropped(settings: Settings) -> None:
    run_ingest(settings)
    store = IndexStore(settings)
    live = store.snapshot()
    store.close()
    assert live is not None

    kill_ingest(settings, "before-commit", "--full")

    store = IndexStore(settings)
    assert store.snapshot() == live and len(store.data_collections()) == 2
    store.close()
    assert OLD_PHONE in served(settings, "Роспотребнадзор телефон")
    report = run_ingest(settings)
    assert not report.rebuilt and report.embedded == 0
    assert_consistent(settings)


def test_ingest_killed_at_moments_chosen_by_the_clock(settings: Settings) -> None:
    """Each round changes a phone and rewrites a long article, then kills the ingest part-way through its
    work. Whatever the moment, the index answers with one consistent state: old or new, never a mix."""
    run_ingest(settings)
    command = [sys.executable, "-m", "ingest"]
    env = subprocess_env(settings)

    def rewrite(round_: int) -> tuple[str, str]:
        phone, street = f"8 (800) 555-11-{round_:02d}", f"Улица{round_}"
        article = settings.corpus_dir / "ozon-complaint.md"
        text = article.read_text(encoding="utf-8")
        text = (
            text.replace(OLD_PHONE, phone) if round_ == 0 else text.replace(f"8 (800) 555-11-{round_ - 1:02d}", phone)
        )
        article.write_text(text, encoding="utf-8")
        body = "\n\n".join(f"## Пункт {n}\n\nПункт {n}: {street}, дом {n}, вход со двора." for n in range(300))
        (settings.corpus_dir / "pickup-points.md").write_text(f"---\ntitle: Пункты\n---\n\n{body}\n", encoding="utf-8")
        return phone, street

    # A first, uninterrupted round tells how long start-up and the work itself take.
    states = [rewrite(0)]
    started = time.monotonic()
    out = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=True, timeout=240)
    total = time.monotonic() - started
    work = float(out.stdout.rsplit("; ", 1)[1].split(" s)")[0])  # the "(…; 4.2 s)" of the summary line
    startup = total - work

    for round_, fraction in enumerate((0.3, 0.6, 0.9), start=1):
        states.append(rewrite(round_))
        child = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(startup + work * fraction)
        child.kill()
        child.wait()
        phones = served(settings, "жалобу можно оставить по номеру телефона Роспотребнадзор", k=10)
        streets = served(settings, "пункт дом вход со двора", k=10)
        seen = [n for n, (phone, street) in enumerate(states) if phone in phones or street in streets]
        assert len(seen) == 1, f"round {round_}: states {seen} visible at once"
        assert states[seen[0]][0] in phones and states[seen[0]][1] in streets

    run_ingest(settings)
    assert states[-1][0] in served(settings, "Роспотребнадзор телефон")
    assert_consistent(settings)
