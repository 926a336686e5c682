"""The verifier over the answerer's encoder: the question's and the quotes' vectors are those similarity
computed already (cached by text), so a check costs one product, not a pass of the encoder."""

from __future__ import annotations

from collections.abc import Sequence

from hotline.config.settings import Settings
from hotline.search.similarity import Encoder
from hotline.verifier.head import load_verifier


class Verification:
    """``(question, quotes) -> (support, threshold)``: the best quote's probability of answering, and the
    operating point; None without a verifier for the configured encoder."""

    def __init__(self, encoder: Encoder, settings: Settings) -> None:
        self.encoder = encoder
        self.settings = settings

    def __call__(self, question: str, quotes: Sequence[str]) -> tuple[float, float] | None:
        from hotline.index.embeddings import model_id

        verifier = load_verifier(model_id(self.settings))
        if verifier is None or not quotes:
            return None
        vectors = self.encoder.documents(quotes)
        scores = verifier.scores(self.encoder.query(question), vectors)
        return float(scores.max()), verifier.threshold
