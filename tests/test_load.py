"""Loading articles: encodings, front matter, plain text, and files that are not articles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.load import decode, load_article, load_corpus

TEXT = "Горячая линия работает круглосуточно. Звоните по номеру 8 (800) 234-70-00, звонок бесплатный."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_front_matter_gives_title_source_and_date(tmp_path: Path) -> None:
    write(
        tmp_path, "a.md", f"---\ntitle: Контакты\nsource: https://example.org/a\nupdated: 2026-11-01\n---\n\n{TEXT}\n"
    )
    [article], problems = load_corpus(tmp_path)
    assert problems == []
    assert (article.path, article.title, article.source, article.updated) == (
        "a.md",
        "Контакты",
        "https://example.org/a",
        "2026-11-01",
    )
    assert article.body.strip() == TEXT


def test_without_front_matter_the_title_is_the_first_heading_or_the_file_name(tmp_path: Path) -> None:
    write(tmp_path, "with-heading.md", f"# Как позвонить\n\n{TEXT}\n")
    write(tmp_path, "no-heading.md", f"{TEXT}\n")
    articles, _ = load_corpus(tmp_path)
    titles = {a.path: a.title for a in articles}
    assert titles == {"no-heading.md": "no heading", "with-heading.md": "Как позвонить"}
    assert all(not a.body.startswith("#") for a in articles)


def test_cp1251_file_is_detected_and_read(tmp_path: Path) -> None:
    write(tmp_path, "windows.txt", ("Жалоба в Роспотребнадзор\n" + TEXT + "\n" + TEXT).encode("cp1251"))
    [article], problems = load_corpus(tmp_path)
    assert problems == []
    assert article.title == "Жалоба в Роспотребнадзор"
    assert "8 (800) 234-70-00" in article.body and "круглосуточно" in article.body


def test_utf8_with_bom_and_windows_line_ends(tmp_path: Path) -> None:
    write(tmp_path, "bom.md", ("\ufeff---\r\ntitle: BOM\r\n---\r\n" + TEXT + "\r\n").encode("utf-8"))
    [article], problems = load_corpus(tmp_path)
    assert (article.title, problems) == ("BOM", [])
    assert "\r" not in article.body


def test_binary_empty_and_foreign_files_are_skipped_with_a_reason_and_the_rest_loads(tmp_path: Path) -> None:
    write(tmp_path, "good.md", TEXT)
    write(tmp_path, "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(tmp_path, "empty.txt", "   \n\n")
    write(tmp_path, "only-front-matter.md", "---\ntitle: Пусто\n---\n")
    write(tmp_path, "report.pdf", b"%PDF-1.7")  # a PDF cut short: read as one, and said to be damaged
    write(tmp_path, "sheet.xlsx", b"PK\x03\x04")
    write(tmp_path, ".hidden.md", TEXT)
    write(tmp_path, "nested/deeper.md", TEXT)
    articles, problems = load_corpus(tmp_path)
    assert [a.path for a in articles] == ["good.md", "nested/deeper.md"]
    reasons = {p.path: p.message for p in problems}
    assert set(reasons) == {"image.md", "empty.txt", "only-front-matter.md", "report.pdf", "sheet.xlsx"}
    assert "binary" in reasons["image.md"]
    assert reasons["empty.txt"] == "empty" and reasons["only-front-matter.md"] == "empty"
    assert reasons["report.pdf"].startswith("cannot be read as PDF") and "not an article" in reasons["sheet.xlsx"]
    assert all(p.skipped for p in problems)


@pytest.mark.parametrize(
    ("front", "title"),
    [
        ("title: [не закрыто", "broken"),
        ("- список\n- а не поля", "broken"),
        ("title: Даты\nupdated: 2026-13-45", "Даты"),
    ],
)
def test_broken_front_matter_warns_but_keeps_the_article(tmp_path: Path, front: str, title: str) -> None:
    write(tmp_path, "broken.md", f"---\n{front}\n---\n\n{TEXT}\n")
    [article], [problem] = load_corpus(tmp_path)
    assert not problem.skipped and "front matter" in problem.message
    assert article.body.strip() == TEXT and article.title == title  # a bad date: the other fields still read


def test_front_matter_as_people_write_it_is_read_though_it_is_not_yaml(tmp_path: Path) -> None:
    # YAML wants a value with ": " quoted; people write titles like this one.
    front = "title: Банк «Ласточка»: служба поддержки\nsource: https://x.example/a\naliases:\n  - Ласточка банк\n"
    write(tmp_path, "bank.md", f"---\n{front}---\n\n{TEXT}\n")
    [article], problems = load_corpus(tmp_path)
    assert problems == []
    assert (article.title, article.source) == ("Банк «Ласточка»: служба поддержки", "https://x.example/a")
    assert "Ласточка банк" in article.aliases


def test_oversized_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "huge.md", TEXT * 100)
    articles, [problem] = load_corpus(tmp_path, max_bytes=1000)
    assert articles == [] and "too large" in problem.message


def test_plain_text_with_one_paragraph_per_line_becomes_paragraphs(tmp_path: Path) -> None:
    write(tmp_path, "scraped.txt", "Заголовок статьи\nПервый абзац.\nВторой абзац.\n")
    [article], _ = load_corpus(tmp_path)
    assert article.title == "Заголовок статьи"
    assert article.body == "Первый абзац.\n\nВторой абзац.\n"


def test_decode_refuses_binary() -> None:
    assert decode(bytes(range(256)) * 4) == (None, 0)
    assert decode("привет".encode()) == ("привет", 0)
    assert decode("привет".encode("utf-16")) == (None, 0)


@pytest.mark.parametrize("stray", [b"\xff", b"\x00", b"\xd0"])  # \xd0: a Cyrillic letter cut in half
def test_an_article_with_a_stray_byte_is_read_with_a_warning(tmp_path: Path, stray: bytes) -> None:
    (tmp_path / "a.md").write_bytes(TEXT.encode() + stray)
    [article], [problem] = load_corpus(tmp_path)
    assert not problem.skipped and "stray" in problem.message
    assert TEXT in article.body


def test_a_link_out_of_the_corpus_folder_is_refused(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "secret.md"
    corpus.mkdir()
    outside.write_text("# Пароли\n\nпароль от почты: hunter2\n", encoding="utf-8")
    write(corpus, "ok.md", TEXT)
    (corpus / "notes.md").symlink_to(outside)
    (corpus / "inside.md").symlink_to(corpus / "ok.md")  # a link within the folder is an article
    articles, [problem] = load_corpus(corpus)
    assert sorted(a.path for a in articles) == ["inside.md", "ok.md"]
    assert problem.path == "notes.md" and problem.skipped and "outside" in problem.message
    assert not any("hunter2" in a.body for a in articles)


# An alias bomb: each level names the one before nine times, so the last is 9**9 strings once expanded.
ALIAS_BOMB = "\n".join(
    ["a: &a [x,x,x,x,x,x,x,x,x]"]
    + [f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)]
    + ["organization: *i", "title: Бомба"]
)


@pytest.mark.timeout(20)
def test_an_alias_bomb_in_front_matter_is_refused_at_once_with_one_line(tmp_path: Path) -> None:
    write(tmp_path, "bomb.md", f"---\n{ALIAS_BOMB}\n---\n\n{TEXT}\n")
    write(tmp_path, "good.md", TEXT)
    articles, [problem] = load_corpus(tmp_path)
    assert [a.path for a in articles] == ["good.md"]
    assert problem.skipped and problem.path == "bomb.md" and "\n" not in problem.message
    assert "alias" in problem.message and len(problem.message) < 200


@pytest.mark.parametrize(
    ("front", "why"),
    [
        ("organization: [Ozon, Озон]", "organization"),
        ("organization: {name: Ozon}", "organization"),
        ("organization: " + "О" * 5_000, "organization"),
        ("title: {a: 1}", "title"),
        ("updated: [2026, 11]", "updated"),
        ("source: [a, b]", "source"),
        ("aliases: {Озон: 1}", "aliases"),
        ("aliases: [[Озон]]", "aliases"),
        ("aliases: [" + ", ".join(f"имя{n}" for n in range(500)) + "]", "aliases"),
        ("title: Длинная шапка\nnote: " + "x" * 50_000, "front matter"),
    ],
)
def test_a_front_matter_field_of_the_wrong_type_or_length_refuses_the_article(
    tmp_path: Path, front: str, why: str
) -> None:
    write(tmp_path, "bad.md", f"---\n{front}\n---\n\n{TEXT}\n")
    articles, [problem] = load_corpus(tmp_path)
    assert articles == [] and problem.skipped and why in problem.message and "\n" not in problem.message
    assert len(problem.message) < 200  # the value itself is never repeated back


def test_scalar_front_matter_fields_are_text(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.md",
        f"---\ntitle: 2026\nupdated: 2026-11-01\norganization: Ozon\naliases: Озон, OZON\n---\n\n{TEXT}\n",
    )
    [article], problems = load_corpus(tmp_path)
    assert problems == []
    assert (article.title, article.updated, article.organization, article.aliases) == (
        "2026",
        "2026-11-01",
        "Ozon",
        ("Озон", "OZON"),
    )


def test_things_that_cannot_be_articles_each_get_one_line_and_are_never_opened(tmp_path: Path) -> None:
    write(tmp_path, "good.md", TEXT)
    os.mkfifo(tmp_path / "pipe.md")  # opening it would block the ingest for good
    (tmp_path / "folder.md").mkdir()
    write(tmp_path, "folder.md/inside.md", TEXT)
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    (tmp_path / "gone.md").symlink_to(tmp_path / "deleted.md")
    (tmp_path / "linked").symlink_to(tmp_path / "folder.md")
    articles, problems = load_corpus(tmp_path)
    assert [a.path for a in articles] == ["folder.md/inside.md", "good.md"]
    kinds = {p.path: p.kind for p in problems}
    assert kinds == {
        "pipe.md": "not_a_file",
        "folder.md": "folder_named",
        "loop.md": "broken_link",
        "gone.md": "broken_link",
        "linked": "link_folder",
    }
    assert all("\n" not in str(p) for p in problems)


def test_a_fifo_swapped_in_after_the_folder_was_listed_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "late.md")
    article, problem = load_article(tmp_path / "late.md", "late.md")
    assert article is None and problem is not None and problem.kind == "not_a_file"
