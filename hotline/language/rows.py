"""Names a page gives beside its title: the organisations of a roundup's rows and third parties «in
quotes» beside a contact the page marks as someone else's (see :mod:`hotline.language.registry`).
"""

from __future__ import annotations

import re

from hotline.language.names import LEGAL_FORMS, Organization, name_key, tokens
from hotline.language.written import (
    CONTACT_LINE,
    QUOTED,
    marked_as_another,
    place_or_body,
    quoted_names,
    written_as_name,
)


def third_parties(text: str) -> list[str]:
    """The names a text writes «in quotes» on a line that gives a contact and marks it as someone else's
    (an advert, a partner, "не путайте с …")."""
    found = []
    for line in text.splitlines():
        if CONTACT_LINE.search(line) and marked_as_another([t.text.casefold() for t in tokens(line)]):
            found += quoted_names(line)
    return found


HEADER_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")  # the line under a table's header
ROW = re.compile(r"^\s*(?:\|\s*([^|]+?)\s*\||(?:[-*+]|\d{1,3}[.)])\s+(.+?)\s*(?:[:—–]|\s-\s))")
ROW_NAME_WORDS = 5


def row_names(text: str, known: frozenset[str] = frozenset()) -> list[Organization]:
    """The organisations a roundup gives its rows, by the name and the one in brackets after it
    («Россети Московский регион» (ПАО «МОЭСК»)): a table row's first cell or a list item's lead ("Липа Банк
    — 8 800 …") on a line with a contact, when it is written as a name (see :func:`_is_name`: a word
    capitalised inside it, Latin, or one no dictionary has) and is not a place or a line's label. In a
    table or list where most such cells are names (written so, or ``known``: keys of the registry's
    names), every one is: a roundup's column of names ("Сбербанк" beside "ВТБ" and "Альфа-Банк")."""
    found: list[Organization] = []
    block: list[tuple[Organization, bool]] = []  # the cells of one table or list, and whether each looks a name

    def close() -> None:
        known_cells = sum(name_key(cell.name) in known for cell, _ in block)
        if len(block) >= 3 and known_cells >= 2 and known_cells * 2 >= len(block):
            found.extend(cell for cell, _ in block)
        else:
            found.extend(cell for cell, named in block if named)
        block.clear()

    lines = text.splitlines()
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and HEADER_RULE.match(lines[i + 1]):
            continue  # a table's header ("| Оператор | Бесплатный номер 8-800 |"): no one's row
        match = ROW.match(line)
        if not match:
            if not line.strip().startswith("|"):
                close()
            continue
        if not CONTACT_LINE.search(line):
            continue
        cell = (match.group(1) or match.group(2) or "").strip(' *_`"')
        cell = _quoted_owner(cell) or cell.strip("«»")
        # "«Россети Московский регион» (ПАО «МОЭСК»)": the name, and in brackets another it goes by.
        cell, _, bracket = cell.partition("(")
        typed = tokens(cell)
        if not typed or len(typed) > ROW_NAME_WORDS or sum(ch.isdigit() for ch in cell) > 2:
            continue
        # A place is a line's label ("Для Москвы", "по России") unless a brand's own word stands beside it
        # ("Улсуд Россия").
        own = [t for t in typed if not place_or_body(t.text.casefold())]
        if not own or (len(own) < len(typed) and not written_as_name(own[:1])):
            continue
        other = " ".join(t.text for t in tokens(bracket.split(")")[0]))
        cell_name = Organization(" ".join(t.text for t in typed), (other,) if other else ())
        block.append((cell_name, written_as_name(typed) or len(own) < len(typed)))
    close()
    return found


def _quoted_owner(cell: str) -> str | None:
    """The name «in quotes» of a cell that is otherwise words of the language: "Столичный филиал ПАО
    «Ростелеком»" is a branch of «Ростелеком», so the row is Ростелеком's, not a company of its own."""
    quoted = quoted_names(cell)
    if len(quoted) != 1:
        return None
    outside = [t for t in tokens(QUOTED.sub(" ", cell)) if t.text.casefold() not in LEGAL_FORMS]
    return quoted[0] if outside and not written_as_name(outside) else None
