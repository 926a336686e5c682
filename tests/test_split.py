"""Splitting: sections become metadata, and no chunk cuts a table row, a list item or a sentence."""

from __future__ import annotations

import pytest

from hotline.index.passages import body_of
from ingest.load import Article
from ingest.split import chunk_id, split_article, split_articles

ROWS = [
    f"| Регион номер {n} с длинным названием | 8 (800) 100-00-{n:02d} | круглосуточно, без выходных |"
    for n in range(30)
]
TABLE = "| Регион | Телефон | Часы |\n| --- | --- | --- |\n" + "\n".join(ROWS)


def split(body: str, size: int = 400) -> list:
    return split_article(Article(path="a.md", title="Статья", body=body), size)


def test_sections_are_the_heading_path() -> None:
    body = "Вступление.\n\n## Куда обратиться\n\nТекст.\n\n### В Роспотребнадзор\n\nЕщё текст.\n\n## Суд\n\nИ ещё."
    assert [(c.section, c.body) for c in split(body)] == [
        ("", "Вступление."),
        ("Куда обратиться", "Текст."),
        ("Куда обратиться › В Роспотребнадзор", "Ещё текст."),
        ("Суд", "И ещё."),
    ]


def test_a_long_table_is_split_between_rows_and_every_part_keeps_the_header() -> None:
    chunks = split("## Телефоны\n\n" + TABLE, size=400)
    assert len(chunks) > 3
    seen = []
    for chunk in chunks:
        lines = chunk.body.split("\n")
        assert lines[:2] == ["| Регион | Телефон | Часы |", "| --- | --- | --- |"]
        assert all(line in ROWS for line in lines[2:])
        seen += lines[2:]
    assert seen == ROWS


def test_a_row_longer_than_the_chunk_size_stays_whole() -> None:
    row = "| Очень длинная строка | " + "слово " * 200 + "|"
    table = "| A | B |\n| --- | --- |\n" + row
    [chunk] = split(table, size=200)
    assert row in chunk.body


def test_list_items_stay_whole_and_their_caption_travels_with_them() -> None:
    items = [(f"- пункт {n}: " + "подробное описание пункта " * 3).strip() for n in range(12)]
    body = "Есть несколько способов связи:\n\n" + "\n".join(items)
    chunks = split(body, size=300)
    assert chunks[0].body.startswith("Есть несколько способов связи:\n\n- пункт 0")
    seen = [line for c in chunks for line in c.body.split("\n") if line.startswith("- ")]
    assert seen == items


def test_long_paragraphs_are_split_between_sentences() -> None:
    sentences = [f"Предложение номер {n} рассказывает о порядке подачи жалобы." for n in range(40)]
    chunks = split(" ".join(sentences), size=300)
    assert len(chunks) > 4
    assert all(len(c.body) <= 300 for c in chunks)
    assert " ".join(c.body for c in chunks) == " ".join(sentences)


def test_a_caption_is_not_left_at_the_end_of_a_chunk() -> None:
    body = (
        ("Первый абзац. " * 20).strip()
        + "\n\nЕсли возникли проблемы с картой:\n\n"
        + "Звоните в контактный центр: 8 800 775-07-99."
    )
    chunks = split(body, size=330)
    assert any(c.body.startswith("Если возникли проблемы с картой:") and "775-07-99" in c.body for c in chunks)


def test_chunk_ids_depend_on_text_title_and_section_only() -> None:
    a = split("## Раздел\n\nТекст.")[0]
    dated = split_article(Article(path="a.md", title=a.title, body="## Раздел\n\nТекст.", updated="2030-01-01"), 400)[0]
    titled = split_article(Article(path="a.md", title="Другой заголовок", body="## Раздел\n\nТекст."), 400)[0]
    c = split("## Другой раздел\n\nТекст.")[0]
    assert chunk_id(a.document()) == chunk_id(dated.document())
    assert len({chunk_id(a.document()), chunk_id(titled.document()), chunk_id(c.document())}) == 3


def test_what_is_embedded_carries_the_title_and_section_path_and_quotes_show_the_body() -> None:
    chunk = split_article(
        Article(path="dns.md", title="Поддержка DNS", body="## Куда звонить\n\nЗвоните: 8 800 77-07-999."), 400
    )[0]
    document = chunk.document()
    assert document.page_content == "Поддержка DNS › Куда звонить\n\nЗвоните: 8 800 77-07-999."
    assert body_of(document.page_content, document.metadata["heading"]) == "Звоните: 8 800 77-07-999."


@pytest.mark.timeout(20)
def test_splitting_is_linear_in_sections_and_an_article_is_cut_at_its_chunk_limit_with_a_line() -> None:
    # Each section with a list, whose items are read from the list's own token on (41 s, and ~80 s with
    # the lists, when splitting was quadratic).
    body = "".join(f"## Раздел {n}\n\nТекст раздела {n}:\n\n- пункт {n}\n\n" for n in range(30_000))
    chunks, [problem] = split_articles([Article(path="huge.md", title="Огромная", body=body)], 700, max_chunks=2000)
    assert len(chunks) == 2000 and chunks[-1].section == "Раздел 1999"
    assert problem.path == "huge.md" and not problem.skipped and "30000 chunks" in problem.message
