"""Whether the unit an answer rests on answers the question (issue 24): "номер факса Озона" is not answered by
Ozon's phone line, nor "телефон для курьеров" by the customers' one, however close they read.

A logistic-regression head over the pair's sentence-encoder vectors, trained on pairs that helper sessions
wrote over invented organisations (``train/verifier/``), kept as a small data file beside them.
"""

from hotline.verifier.head import Verifier, load_verifier

__all__ = ["Verifier", "load_verifier"]
