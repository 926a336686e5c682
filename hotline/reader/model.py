"""The reader's model: features of a question and a logistic-regression head per label.

The features are the question's sentence-encoder vector (the same one retrieval computes, so reading costs
no second pass of the encoder) beside TF-IDF of its character and word n-grams. The vector alone reads
what a question is about but blurs its small words: held out by voice, its macro F1 over the labels was
0.33, with n-grams 0.65 (``train/reader/MODEL_CARD.md``); "звонить не буду" and "не дозвониться" differ in
exactly such words. Whether a follow-up goes on from the previous question is read from both questions'
vectors (their product says how close they are, dimension by dimension) and the follow-up's n-grams.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from hotline.config.errors import ModelUnavailable, first_line
from hotline.config.settings import Settings
from hotline.reader.labels import (
    CONTINUES,
    DATA_DIR,
    LABELS,
    Reading,
    load_rows,
    targets,
    training_files,
)
from hotline.reader.ngrams import NgramTfidf

log = logging.getLogger(__name__)
C = 10.0  # inverse regularisation: the best of 1, 4, 10 held out by voice
LINE_QUALIFIERS = ("abroad", "business", "individual")  # read on lines (see audiences)
LINE = 0.5  # a line is for an audience when the reader reads it so at even odds or better
THRESHOLDS = DATA_DIR / "thresholds.json"  # each label's operating point, chosen by `--card` on held-out voices


def normalised(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


@dataclass
class Head:
    """The fitted parts as arrays: the n-gram vectorizers and every label's logistic regression side by side
    (the continues label's reads more features and stands apart). scikit-learn fits them; answering applies
    them with numpy alone (:mod:`hotline.reader.ngrams`), so a question never imports it."""

    chars: NgramTfidf
    words: NgramTfidf
    names: tuple[str, ...]
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    follow: tuple[np.ndarray, float] | None = None  # the continues label's (weights, bias)

    @classmethod
    def fit(
        cls, texts: Sequence[str], vectors: np.ndarray, previous: np.ndarray, labels: list[dict[str, bool]]
    ) -> Head:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=40000)
        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
        plain = [normalised(t) for t in texts]
        chars.fit(plain)
        words.fit(plain)
        head = cls(NgramTfidf.of(chars), NgramTfidf.of(words), (), np.zeros((0, 0)), np.zeros(0))
        features = head.features(texts, vectors)
        fitted: dict[str, Any] = {}
        for label in (*LABELS, CONTINUES):
            rows = [i for i, found in enumerate(labels) if label in found]
            y = np.array([labels[i][label] for i in rows])
            if len(set(y)) < 2:
                continue
            x = (
                features[rows]
                if label != CONTINUES
                else head.follow_features(features[rows], vectors[rows], previous[rows])
            )
            fitted[label] = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)
        names = tuple(n for n in fitted if n != CONTINUES)
        weights = np.column_stack([fitted[n].coef_[0] for n in names]).astype(np.float32)
        bias = np.array([fitted[n].intercept_[0] for n in names])
        follow = fitted.get(CONTINUES)
        follow_part = None if follow is None else (follow.coef_[0].astype(np.float32), float(follow.intercept_[0]))
        return cls(head.chars, head.words, names, weights, bias, follow_part)

    def features(self, texts: Sequence[str], vectors: np.ndarray) -> sparse.csr_matrix:
        plain = [normalised(t) for t in texts]
        return sparse.hstack(
            [sparse.csr_matrix(vectors), self.chars.transform(plain), self.words.transform(plain)]
        ).tocsr()

    @staticmethod
    def follow_features(features: sparse.csr_matrix, vectors: np.ndarray, previous: np.ndarray) -> sparse.csr_matrix:
        return sparse.hstack([features, sparse.csr_matrix(vectors * previous)]).tocsr()

    def probabilities(
        self,
        texts: Sequence[str],
        vectors: np.ndarray,
        previous: np.ndarray | None = None,
        labels: Sequence[str] | None = None,
    ) -> list[dict[str, float]]:
        features = self.features(texts, vectors)
        found: list[dict[str, float]] = [{} for _ in texts]
        columns = [i for i, n in enumerate(self.names) if labels is None or n in labels]
        if columns:  # every label's logistic regression at once: one product with the stacked coefficients
            # (all of them: a sparse row times the whole matrix is cheaper than copying the columns asked)
            p = _sigmoid(np.asarray(features @ self.weights)[:, columns] + self.bias[columns])
            names = [self.names[i] for i in columns]
            for row, values in zip(found, p, strict=True):
                row.update(zip(names, values.tolist(), strict=True))
        if self.follow is not None and previous is not None and (labels is None or CONTINUES in labels):
            weights, bias = self.follow
            follow = _sigmoid(np.asarray(self.follow_features(features, vectors, previous) @ weights) + bias)
            for row, value in zip(found, follow, strict=True):
                row[CONTINUES] = float(value)
        return found

    def save(self, path: Path) -> None:
        """The head as one ``.npz`` of arrays (no pickle: loading it runs no code)."""
        arrays: dict[str, np.ndarray] = {"names": np.array(self.names), "weights": self.weights, "bias": self.bias}
        for part, vectorizer in (("chars", self.chars), ("words", self.words)):
            terms = sorted(vectorizer.vocabulary, key=vectorizer.vocabulary.__getitem__)
            arrays[f"{part}_terms"] = np.array(terms)
            arrays[f"{part}_idf"] = vectorizer.idf
            arrays[f"{part}_shape"] = np.array([vectorizer.analyzer, str(vectorizer.low), str(vectorizer.high)])
        if self.follow is not None:
            arrays["follow_weights"], arrays["follow_bias"] = self.follow[0], np.array([self.follow[1]])
        with path.open("wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> Head:
        with np.load(path, allow_pickle=False) as data:
            parts = []
            for part in ("chars", "words"):
                analyzer, low, high = (str(v) for v in data[f"{part}_shape"])
                vocabulary = {str(term): i for i, term in enumerate(data[f"{part}_terms"].tolist())}
                parts.append(NgramTfidf(analyzer, int(low), int(high), vocabulary, data[f"{part}_idf"]))
            follow = (data["follow_weights"], float(data["follow_bias"][0])) if "follow_weights" in data else None
            names = tuple(str(n) for n in data["names"].tolist())
            return cls(parts[0], parts[1], names, data["weights"], data["bias"], follow)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class QuestionReader:
    """Reads questions with a fitted :class:`Head` at the thresholds the model card chose."""

    def __init__(self, head: Head, thresholds: dict[str, float]) -> None:
        self.head = head
        self.thresholds = thresholds

    def read(self, text: str, vector: np.ndarray, previous: np.ndarray | None = None) -> Reading:
        """What ``text`` asks, given its encoder vector (and the previous question's, for a follow-up)."""
        before = None if previous is None else previous.reshape(1, -1)
        probabilities = self.head.probabilities([text], vector.reshape(1, -1), before)[0]
        return Reading(probabilities, self.thresholds)

    def audiences(self, texts: Sequence[str], vectors: np.ndarray) -> list[frozenset[str]]:
        """Whom each of a source's lines is for, by the qualifiers the reader reads in it ("Для юридических
        лиц: …" business, "Из-за границы: …" abroad, "Владельцы Ozon Card …" a product line). The lines'
        passage vectors stand in for question vectors: a line says whom it serves in the words a question
        uses to ask for it. Places are left to the place rules, which know the articles' spellings, and
        product lines to the names: held out, "product" is the reader's least precise label (0.56), and on
        lines it read "Бесплатная линия по России" as one (0.84). A line "со всех телефонов" is the general
        one, yet reads as for another operator's subscribers: that label is left to questions too."""
        if not texts:
            return []
        labels = [f"qualifier:{q}" for q in LINE_QUALIFIERS]
        rows = self.head.probabilities(texts, vectors, labels=labels)
        return [frozenset(label.split(":")[1] for label, p in row.items() if p >= LINE) for row in rows]


@lru_cache(maxsize=8)  # read once per process: hashing the training files on every question cost ~20 ms
def digest(model: str) -> str:
    """What the trained head depends on: its data, the encoder, scikit-learn and this module's settings."""
    from importlib.metadata import version

    h = hashlib.sha256(f"{model}|{version('scikit-learn')}|{C}|npz|questions-encoder".encode())
    for path in training_files():
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def train(settings: Settings) -> Head:
    """Fit the head on every training question (~25 s on 2 cores, most of it the encoder). The questions
    are embedded by the encoder that embeds questions when the head reads them: the built default's ONNX
    graph, 20 s for the 3,360 against torch's 41 (its load included), vectors within cosine 0.9999."""
    from hotline.index.embeddings import load_query_embeddings

    rows = load_rows()
    embeddings = load_query_embeddings(settings)
    texts = [r["question"] for r in rows]
    previous_texts = [r["history"][-1] if r["history"] else "" for r in rows]
    vectors = embed(embeddings, texts)
    with_history = [i for i, t in enumerate(previous_texts) if t]
    previous = np.zeros_like(vectors)
    if with_history:
        previous[with_history] = embed(embeddings, [previous_texts[i] for i in with_history])
    return Head.fit(texts, vectors, previous, [targets(r) for r in rows])


def embed(embeddings: Any, texts: list[str]) -> np.ndarray:
    batch = getattr(embeddings, "embed_queries", None)
    return np.asarray(batch(texts) if batch else [embeddings.embed_query(t) for t in texts], dtype=np.float32)


def thresholds() -> dict[str, float]:
    if not THRESHOLDS.is_file():
        return {}
    return {str(k): float(v) for k, v in json.loads(THRESHOLDS.read_text(encoding="utf-8")).items()}


_loaded: dict[Path, QuestionReader] = {}  # one reader per process and head, like the encoder
_loading = threading.Lock()


def _load(path: Path, settings: Settings) -> QuestionReader:
    with _loading:
        if path not in _loaded:
            _loaded[path] = _load_or_train(path, settings)
        return _loaded[path]


def _load_or_train(path: Path, settings: Settings) -> QuestionReader:
    if not path.is_file():
        head = _train_and_keep(path, settings)
        if head is not None:  # a read-only models dir: the head still serves this process
            return QuestionReader(head, thresholds())
    try:
        return QuestionReader(Head.load(path), thresholds())
    except Exception as exc:  # a damaged file: one line, and the next start trains it again
        path.unlink(missing_ok=True)
        raise ModelUnavailable(f"the question reader at {path} could not be read ({first_line(exc)}); removed") from exc


def _train_and_keep(path: Path, settings: Settings) -> Head | None:
    """Train the head and keep it at ``path``; the head itself when it could not be kept."""
    log.info("training the question reader (once per models dir)")
    head = train(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.part")  # two processes may train at once
        head.save(temporary)
        temporary.replace(path)
    except OSError as exc:
        log.warning("the question reader could not be saved in %s: %s", path.parent, first_line(exc))
        return head
    return None


def reader_path(settings: Settings) -> Path | None:
    """Where the reader for these settings is kept; None for the hashing stand-in (its vectors say nothing
    of meaning; the fast specs use it, and read by words alone)."""
    from hotline.config.settings import HASHING_MODEL
    from hotline.index.embeddings import model_id

    if settings.embedding_model == HASHING_MODEL:
        return None
    return settings.model_dir / f"reader-{digest(model_id(settings))}.npz"


def ensure_reader(settings: Settings) -> bool:
    """Train the reader now if it is not kept yet (the ingest does, so that the page starts without it);
    whether it trained."""
    path = reader_path(settings)
    if path is None or path.is_file():
        return False
    with _loading:
        if not path.is_file():
            _train_and_keep(path, settings)
            return True
    return False


def load_reader(settings: Settings) -> QuestionReader | None:
    """The reader for the configured encoder, trained on first use and kept in the models dir; none for the
    hashing stand-in."""
    path = reader_path(settings)
    return None if path is None else _load(path, settings)
