"""Answering: the records a question gets back, the :class:`Answerer` protocol, and its two peers.

- :mod:`hotline.answer.extractive` quotes the sources (always there, no model);
- :mod:`hotline.answer.llm` has a language model phrase the answer from the same passages;
- :mod:`hotline.answer.guard` is applied once, by the pipeline (:mod:`hotline.pipeline`), to whatever either
  answerer writes.
"""

from hotline.answer.types import Answer, Answerer, Citation, Draft, Fact, Turn

__all__ = ["Answer", "Answerer", "Citation", "Draft", "Fact", "Turn"]
