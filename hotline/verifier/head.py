"""The verifier's head: features of a question-unit pair and the logistic regression over them.

The features are the pair's cosine and the two vectors' element-wise product and absolute difference (what
a sentence-pair classifier over frozen encoders commonly reads), and the words of the question the unit
does not write (by lemma): held out by voice, the vectors alone rank pairs at AUC ~0.7, as "номер факса"
and "номер телефона" read alike; which words a question asks that a unit lacks ("факс", "курьер",
"директор") is what tells them apart. Only words of at least two voices' questions have a weight, so a
name or a word unheard in training weighs nothing (one unfamiliar word is never a reason to decline).
The head is kept as ``train/verifier/head.json`` with the operating point the model card chose and the
encoder it was fitted on: a head fitted on another encoder's vectors reads nothing, so it is then not used.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from hotline.verifier.data import DATA_DIR

log = logging.getLogger(__name__)
HEAD = DATA_DIR / "head.json"


def pair_features(questions: np.ndarray, units: np.ndarray) -> np.ndarray:
    """One row per pair of unit-length vectors: cosine, product, absolute difference."""
    product = questions * units
    return np.hstack([product.sum(axis=1, keepdims=True), product, np.abs(questions - units)])


def content_lemmas(text: str) -> frozenset[str]:
    """The lemmas of a text's content words (Latin ones also in Cyrillic, as questions are read)."""
    from hotline.answer.units import lemmas_of
    from hotline.language.morphology import is_function_word

    return frozenset(w for w in lemmas_of(text) if len(w) >= 3 and not w.isdigit() and not is_function_word(w))


def unwritten(question: str, unit: str) -> frozenset[str]:
    """The question's content lemmas that the unit does not write."""
    return content_lemmas(question) - content_lemmas(unit)


# The reader's kinds asked, each against the kind of fact a unit would give it: "e-mail?" and a unit with
# none is a mismatch the vectors blur. And the kinds no fact gives, as read.
LACKED = {"phone": "phone", "email": "email", "address": "address", "hours": "hours", "authority": "authority"}
LACKED |= {"cost": "price", "duration": "law"}
READ = ("asks:chat", "asks:form", "asks:steps", "offtopic", "yesno")


def reading_features(probabilities: Mapping[str, float], unit: str) -> np.ndarray:
    """What the reader read in the question against what the unit gives."""
    from hotline.language.facts import extract

    given = {f.kind for f in extract(unit)}
    lacked = [probabilities.get(f"asks:{k}", 0.0) * (fact not in given) for k, fact in LACKED.items()]
    return np.array([*lacked, *(probabilities.get(label, 0.0) for label in READ)], dtype=np.float32)


def word_features(missing: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """One row per pair: which words of the vocabulary the question asks and the unit lacks."""
    rows = np.zeros((len(missing), len(vocabulary)), dtype=np.float32)
    for i, words in enumerate(missing):
        for w in words:
            if (j := vocabulary.get(w)) is not None:
                rows[i, j] = 1.0
    return rows


@dataclass(frozen=True)
class Verifier:
    """A fitted head: ``threshold`` is the probability under which a unit does not answer."""

    weights: np.ndarray  # the vectors' features' weights
    bias: float
    threshold: float
    model: str
    words: dict[str, float] = field(default_factory=dict)  # a word the question asks and the unit lacks
    reads: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))  # reading_features' weights

    def scores(self, question: np.ndarray, units: np.ndarray) -> np.ndarray:
        """How likely each unit (a row of ``units``) answers ``question``, from the vectors' features alone.

        Answers are checked this way, not with the words and the reader's kinds the head was also fitted on:
        with those, answered questions' support fell under any threshold that keeps answerable cases (at 0.5,
        eval/cases.yaml 96.5 -> 87.2 %, the blind reader batch 91.1 -> 81.1 %), though they rank the training
        pairs better held out (the model card's figures are the full head's)."""
        if len(units) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.probabilities(pair_features(np.broadcast_to(question, units.shape), units), None, None)

    def probabilities(
        self, features: np.ndarray, missing: Sequence[frozenset[str]] | None, read: np.ndarray | None
    ) -> np.ndarray:
        """The same from each pair's features (:func:`pair_features`), the question's words each unit lacks
        and :func:`reading_features` (None: not read), as training reads its held-out pairs."""
        logits = features @ self.weights + self.bias
        if self.words and missing is not None:
            logits = logits + np.array([sum(self.words.get(w, 0.0) for w in words) for words in missing])
        if len(self.reads) and read is not None:
            logits = logits + read @ self.reads
        return 1.0 / (1.0 + np.exp(-logits))

    def save(self, path: Path = HEAD) -> None:
        data = {
            "model": self.model,
            "threshold": self.threshold,
            "bias": round(self.bias, 6),
            "weights": [round(float(w), 6) for w in self.weights],
            "words": {w: round(v, 4) for w, v in sorted(self.words.items()) if abs(v) >= 1e-4},
            "reads": [round(float(w), 6) for w in self.reads],
        }
        path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")


def read(path: Path = HEAD) -> Verifier | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Verifier(
        np.asarray(data["weights"], dtype=np.float32),
        float(data["bias"]),
        data["threshold"],
        data["model"],
        {str(w): float(v) for w, v in data.get("words", {}).items()},
        np.asarray(data.get("reads", []), dtype=np.float32),
    )


@lru_cache(maxsize=4)
def load_verifier(model: str) -> Verifier | None:
    """The kept head, when it was fitted on ``model``'s vectors (else none: answers are not verified)."""
    found = read()
    if found is None or found.model != model:
        log.info("no verifier for %s: answers are not verified (python -m hotline.verifier.train)", model)
        return None
    return found
