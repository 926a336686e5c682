"""The maintainer's registry corrections (``organizations.yaml`` beside the articles), through the real
ingest and index: a merge, a split, a rename with aliases, "not an organisation", and a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline import Hotline
from ingest import run_ingest

from .conftest import make_settings

ARTICLES = {
    "kedr.md": "---\ntitle: Кедр\norganization: Кедр\n---\n\nГорячая линия Кедра: 8 800 301-11-11.\n",
    "kedr-global.md": "---\ntitle: Кедр Глобал\norganization: Кедр Глобал\n---\n\nЛиния: 8 800 301-22-22.\n",
    "sosna.md": "---\ntitle: Сосна Банк\norganization: Сосна Банк\n---\n\nТелефон: 8 800 303-33-33.\n",
    "lipa-card.md": "---\ntitle: Карта Липа\norganization: Сосна Банк\n---\n\nКарта Липа: 8 800 304-44-44.\n",
    "guide.md": "---\ntitle: Справочник\norganization: Справочник\n---\n\nОбщая линия: 8 800 305-55-55.\n",
}


def registry(settings_dir: Path, corpus: Path, models_dir: Path) -> dict[str, tuple[str, ...]]:
    settings = make_settings(settings_dir, corpus, models_dir)
    report = run_ingest(settings)
    bot = Hotline(settings)
    try:
        view = bot.index()
        records = view.organizations.records([str(m.get("article", "")) for m in view.metadatas])
        return {r.name: r.articles for r in records} | {"problems": tuple(str(p) for p in report.problems)}
    finally:
        bot.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_registry_file_merges_splits_renames_and_refuses(tmp_path: Path, corpus: Path, models_dir: Path) -> None:
    before = registry(tmp_path / "data", corpus, models_dir)
    assert {"Кедр", "Кедр Глобал", "Сосна Банк", "Справочник"} <= set(before)
    assert before["Сосна Банк"] == ("lipa-card.md", "sosna.md")
    (corpus / "organizations.yaml").write_text(
        "- same: [Кедр, Кедр Глобал]\n"
        "- name: Липа\n  aliases: [Карта Липа]\n  articles: [lipa-card.md]\n"
        "- not: [Справочник]\n",
        encoding="utf-8",
    )
    after = registry(tmp_path / "data", corpus, models_dir)
    assert after["Кедр"] == ("kedr-global.md", "kedr.md") and "Кедр Глобал" not in after  # merged
    assert after["Липа"] == ("lipa-card.md",) and after["Сосна Банк"] == ("sosna.md",)  # split off
    assert "Справочник" not in after  # no organisation
    assert not after["problems"]  # the file is not reported as an article it could not read


def test_a_malformed_registry_file_is_one_line_and_changes_nothing(
    tmp_path: Path, corpus: Path, models_dir: Path
) -> None:
    (corpus / "organizations.yaml").write_text("- same: [Кедр, Кедр Глобал]\n- banana: 1\n", encoding="utf-8")
    found = registry(tmp_path / "data", corpus, models_dir)
    assert "Кедр Глобал" in found  # not half applied
    assert [p for p in found["problems"] if "organizations.yaml" in p and "entry 2" in p]
