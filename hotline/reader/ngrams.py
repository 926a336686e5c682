"""The reader's TF-IDF of character and word n-grams at answer time, without scikit-learn.

Training fits scikit-learn's ``TfidfVectorizer`` (:mod:`hotline.reader.model`); answering only needs its
vocabulary and idf weights, and importing scikit-learn to apply them cost ~0.8 s of a cold command's
start (issue 27) and its pickled vectorizers another ~0.3 s to load. So the fitted vocabulary and weights
are kept as arrays and applied here, by the same steps as scikit-learn 1.x (lower case, the ``char_wb``
or word n-grams of its ``_char_wb_ngrams``/``_word_ngrams``, sublinear tf, idf, l2), and a spec checks the
two agree on every training question (``tests/test_reader.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's own: runs of white space become one space
WORD = re.compile(r"(?u)\b\w+\b")  # the reader's word vectorizer's token_pattern


@dataclass(frozen=True)
class NgramTfidf:
    """One fitted vectorizer: ``chars`` (``char_wb``) or ``words``, its n-gram range, vocabulary, idf."""

    analyzer: str
    low: int
    high: int
    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def of(cls, fitted: Any) -> NgramTfidf:
        """The arrays of a fitted ``TfidfVectorizer`` (``char_wb`` or ``word``, sublinear tf, l2 rows)."""
        assert fitted.sublinear_tf and fitted.norm == "l2" and fitted.lowercase and fitted.use_idf
        low, high = fitted.ngram_range
        vocabulary = {str(term): int(i) for term, i in fitted.vocabulary_.items()}
        return cls(fitted.analyzer, low, high, vocabulary, np.asarray(fitted.idf_, dtype=np.float64))

    def grams(self, text: str) -> list[str]:
        text = text.lower()
        if self.analyzer == "char_wb":
            return _char_wb(WHITE_SPACES.sub(" ", text), self.low, self.high)
        return _word_grams(WORD.findall(text), self.low, self.high)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        rows, columns, values = [], [], []
        for row, text in enumerate(texts):
            counts = Counter(i for g in self.grams(text) if (i := self.vocabulary.get(g)) is not None)
            if not counts:
                continue
            index = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weight = (np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1) * self.idf[index]
            weight /= np.sqrt(weight @ weight)
            rows += [row] * len(index)
            columns += index.tolist()
            values += weight.tolist()
        shape = (len(texts), len(self.idf))
        return sparse.csr_matrix((values, (rows, columns)), shape=shape, dtype=np.float64)


def _char_wb(text: str, low: int, high: int) -> list[str]:
    grams = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[:n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def _word_grams(tokens: list[str], low: int, high: int) -> list[str]:
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams
