"""The question reader: a trained model that reads what a question asks for, what it rules out, which of an
organisation's lines it means, and whether it goes on from the previous question.

It replaces word lists with a learned signal (issue 24): frozen sentence-encoder vectors of the question,
plus character and word n-grams learned from the training questions, with a logistic-regression head per
label. The training questions (``train/reader/*.jsonl``) were written by helper sessions in six voices over
invented organisations; the model card (``train/reader/MODEL_CARD.md``) gives each label's precision and
recall on voices held out. The head is trained at first use, like the encoder is built, and kept in the
models dir under a name that changes with its data, the encoder and scikit-learn.
"""

from hotline.reader.labels import Reading
from hotline.reader.model import QuestionReader, load_reader

__all__ = ["QuestionReader", "Reading", "load_reader"]
