"""The lexical side of retrieval: BM25 over lemmas, and the corpus's own vocabulary.

Russian inflects heavily ("Роспотребнадзор", "Роспотребнадзора", "в Роспотребнадзоре"), so documents and
queries are compared as pymorphy3 lemmas of razdel tokens; function words (prepositions, conjunctions,
particles) are dropped. The index is built from the texts of the live snapshot (Chroma stays the one
source of truth) and rebuilt with it. It also keeps the vocabulary of word forms, which query
normalisation uses to correct typos and to check transliterations against what the articles really say.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np
from razdel import sentenize, tokenize

from hotline.language.morphology import is_function_word, lemma, words

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG and logs every index build


def content_lemmas(text: str) -> list[str]:
    """The lemmas BM25 compares: every word and number of ``text`` but function words."""
    return [lemma(w) for w in words(text) if not is_function_word(w)]


@dataclass
class LexicalIndex:
    """BM25 (bm25s, k1=1.2, b=0.75) over the lemmas of an ordered list of texts, with the corpus's vocabulary."""

    vocabulary: frozenset[str]  # word forms, case-folded
    lemma_counts: Counter[str]  # in how many texts each lemma occurs
    proper: frozenset[str]  # lemmas the articles write capitalised inside sentences: names ("Озон")
    size: int
    _bm25: bm25s.BM25 = field(repr=False)

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        tokenized = [content_lemmas(t) for t in texts]
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        # bm25s cannot index an empty corpus or an empty document; a placeholder token keeps shapes right.
        bm25.index([tokens or ["\x00"] for tokens in tokenized] or [["\x00"]], show_progress=False)
        return cls(
            vocabulary=frozenset(w for t in texts for w in words(t)),
            lemma_counts=Counter(lem for tokens in tokenized for lem in set(tokens)),
            proper=_proper_lemmas(texts),
            size=len(texts),
            _bm25=bm25,
        )

    def scores(self, lemmas: Iterable[str]) -> np.ndarray:
        """BM25 score of every text for the query ``lemmas`` (unknown lemmas score nothing)."""
        query = list(dict.fromkeys(lemmas))
        if not query or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(query), dtype=np.float32)[: self.size]

    def idf(self, lemma_: str) -> float:
        """Inverse document frequency; a lemma the corpus never uses gets the highest."""
        n = self.lemma_counts.get(lemma_, 0)
        return math.log(1 + (self.size - n + 0.5) / (n + 0.5))

    def knows(self, lemma_: str) -> bool:
        return lemma_ in self.lemma_counts


def _proper_lemmas(texts: Sequence[str]) -> frozenset[str]:
    """Lemmas written capitalised in most of their occurrences inside a sentence: the corpus's names.

    Learnt from the articles, so "озон" typed in lower case is still known to name a company.
    """
    capitalised: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        for sentence in (s for line in text.split("\n") for s in sentenize(line)):
            previous = ""
            for token in tokenize(sentence.text):
                raw = token.text
                # Only a word that follows a word (or a comma) shows how it is written: after a full stop,
                # a table bar, a dash or a list mark, every word is capitalised.
                if raw[:1].isalpha() and (previous[:1].isalnum() or previous == ","):
                    for part in raw.split("-"):  # "Альфа-Банк": "альфа" is a name too
                        lem = lemma(part.casefold().replace("ё", "е"))
                        seen[lem] += 1
                        capitalised[lem] += part[:1].isupper()
                previous = raw
    return frozenset(lem for lem, n in seen.items() if capitalised[lem] * 2 > n)
