"""Channels a question asks for that are not a kind of fact (a fax, a messenger), and whether a text writes
them (:file:`lexicon/channels.yaml`)."""

from __future__ import annotations

import re

from hotline.language.lexicon import lexicon

WORD = re.compile(r"[\w-]+")
NEGATING = {"не", "нет", "без", "кроме", "not", "no", "without"}
STEM = 4  # a spelling this long matches its inflected forms ("факса")


def _spelled(word: str, spellings: tuple[str, ...]) -> bool:
    return any(word == s or (len(s) >= STEM and word.startswith(s)) for s in spellings)


def channels_in(text: str, asked: bool = False) -> list[str]:
    """The channels ``text`` writes, by name; with ``asked``, only those no negation rules out ("у меня нет
    вотсапа")."""
    typed = [w.casefold().replace("ё", "е") for w in WORD.findall(text)]
    found = []
    for name, spellings in lexicon().channels.items():
        for i, word in enumerate(typed):
            if _spelled(word, spellings) and not (asked and NEGATING & set(typed[max(0, i - 2) : i])):
                found.append(name)
                break
    return found
