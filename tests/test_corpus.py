"""The corpus is the seed split into articles: every sentence kept, only structure added."""

from __future__ import annotations

import re

import pytest
import yaml

from ingest.load import load_corpus

from .conftest import REPO, SEED


def _words(text: str) -> str:
    """Text without the structure we added (headings, bullets, table pipes): the words, in order."""
    if text.startswith("---\n"):  # the front matter contributes its title, the article's first line
        _, front, text = text.split("---\n", 2)
        text = str(yaml.safe_load(front)["title"]) + "\n" + text
    text = re.sub(r"^\s*(#+|[-·])\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\|?[\s|:-]*-{3}[\s|:-]*$", " ", text, flags=re.MULTILINE)
    return " ".join(text.replace("|", " ").split())


def test_every_article_has_front_matter_and_sections() -> None:
    paths = sorted((REPO / "corpus").glob("*.md"))
    assert len(paths) == 5
    for path in paths:
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        assert {"title", "source", "updated"} <= meta.keys(), path.name
        assert re.search(r"^## ", text, flags=re.MULTILINE), f"{path.name} has no ## sections"


def test_corpus_loads_without_problems() -> None:
    articles, problems = load_corpus(REPO / "corpus")
    assert problems == []
    assert len(articles) == 5
    assert all(a.title and a.source and a.updated for a in articles)


@pytest.mark.skipif(not SEED.exists(), reason="the seed file lives outside the repository")
def test_every_seed_line_survives_in_the_corpus() -> None:
    corpus = " ".join(_words(p.read_text(encoding="utf-8")) for p in sorted((REPO / "corpus").glob("*.md")))
    missing = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        # A seed line may have been split in two (a caption fused with a heading): check its sentences.
        for piece in re.split(r"(?<=Князева) ", _words(line)):
            if piece and piece not in corpus:
                missing.append(piece[:80])
    assert missing == []


@pytest.mark.skipif(not SEED.exists(), reason="the seed file lives outside the repository")
def test_every_phone_and_email_of_the_seed_is_in_the_corpus() -> None:
    pattern = r"(?:\+ ?7|8|7)[ (]*\d{3}[) ]*\d{3}[- ]?\d{2}[- ]?\d{2}|\S+@\S+\.\w+"
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "corpus").glob("*.md"))
    seed_facts = re.findall(pattern, SEED.read_text(encoding="utf-8"))
    assert len(seed_facts) >= 15
    assert [f for f in seed_facts if f not in corpus] == []
