"""The trained reader's view of a question, brought into its analysis.

:func:`hotline.search.query.analyze` finds names, places and words; the reader (:mod:`hotline.reader`) says
what the question asks for and what it rules out. This module turns the second into the terms the answerer
works in: intents (by precedence) and the kinds of fact that may not answer ("только не звонить": no phone).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from hotline.config.settings import Settings
from hotline.reader import Reading, load_reader
from hotline.search.query import Query
from hotline.search.similarity import Encoder, TextCache

# The answerer's intent for each kind the reader reads. How to write in an app's chat or a site's form is
# told in steps, not given as one fact.
INTENTS = {
    "phone": "phone",
    "email": "email",
    "chat": "procedure",
    "form": "procedure",
    "address": "address",
    "hours": "hours",
    "authority": "authority",
    "steps": "procedure",
    "duration": "law",
    "cost": "price",
}
# The reader's kinds behind each of the lexicon's intents: where the two agree.
READ_AS = {
    "phone": {"phone"},
    "email": {"email"},
    "contact": {"phone", "email", "chat", "form"},
    "address": {"address"},
    "hours": {"hours"},
    "price": {"cost"},
    "law": {"duration"},
    "authority": {"authority"},
    "where": {"authority", "phone", "email", "chat", "form"},
    "procedure": {"steps", "chat", "form", "other"},
}
# The facts a ruled-out channel would give.
CHANNEL_FACTS = {"phone": ("phone",), "email": ("email",), "chat": (), "form": (), "address": ("address",)}
# Question words: a question that has one ("По какому номеру?") asks for more than a yes or a no.
# A conjunction is not one: "прежде чем идти в суд", "правда ли, что …", "так как".
OPEN = re.compile(
    r"(?<!прежде )(?<!перед )(?<!, )(?<!так )"
    r"\b(?:как\w*|куда|где|когда|сколько|кто|кому|кого|что|чем|откуда|почему|зачем|what|where|how|when|which|who)\b",
    re.IGNORECASE,
)
# Words that negate (Russian, its Latin transliteration, English): without one, nothing is ruled out over
# being asked.
NEGATION = re.compile(r"(?<!\w)(?:не|нет|без|кроме|ни|ne|net|bez|not|no|without|except|never|\w+n't)(?!\w)", re.I)
WHETHER = {"law", "price"}  # intents a yes/no question names without asking for their facts
SURE = 0.9  # a kind the reader reads this surely overrides word matches it does not agree with
AGREES = 0.5


def with_reading(query: Query, reading: Reading | None) -> Query:
    """``query`` with what the reader read.

    The words of the question (the lexicon's intents) and the reader's reading of it mostly agree; then the
    words keep their order of precedence, measured over many more cases. The reader decides where they
    disagree: a channel it reads as ruled out ("звонить не буду") no longer asks for that channel, a
    question whose words ask for nothing is read for what it asks, and a kind the reader is sure of
    replaces words it finds no support for ("звонок не вариант, где чат?": a chat, not a phone).
    """
    if reading is None:
        return query
    p = reading.probabilities
    channels = reading.excludes | (reading.ruled_out_over_asked() if NEGATION.search(query.text) else frozenset())
    excluded = frozenset(f for channel in channels for f in CHANNEL_FACTS[channel])
    asks = tuple(k for k in reading.asks if k not in channels)
    if reading.yesno:  # "звонок платный?": the sentence that says so answers, not a price (none is written)
        asks = tuple(k for k in asks if k != "cost")
    read = tuple(i for i in dict.fromkeys(INTENTS[k] for k in asks if k in INTENTS) if i not in excluded)
    kept = tuple(i for i in query.intents if i not in excluded)
    agreed = any(p.get(f"asks:{k}", 0.0) >= AGREES for i in kept for k in READ_AS.get(i, ()))
    sure = any(p.get(f"asks:{k}", 0.0) >= SURE for k in asks)
    overruled = not kept or (sure and not agreed)
    intents = (read or kept) if overruled else kept
    yesno = reading.yesno and not _open(query.text)
    if yesno and p.get("asks:cost", 0.0) >= SURE:
        # "Звонок платный?" asks whether, not for a number: the sentence that says so answers (no source
        # writes a price for a call, and the call's words would fetch the number instead).
        intents = ()
    elif yesno:  # "Обязательно ли по закону …?" asks whether, not which law or what price
        intents = tuple(i for i in intents if i not in WHETHER)
    return replace(query, reading=reading, intents=intents, excluded_kinds=excluded, yesno=yesno)


def _open(text: str) -> bool:
    return bool(OPEN.search(text.replace("ё", "е")))


class LineAudiences:
    """Whom each line of a source is for (see :meth:`hotline.reader.QuestionReader.audiences`), from the
    vectors the answerer's similarity has already computed for them."""

    def __init__(self, encoder: Encoder, settings: Settings) -> None:
        self.encoder = encoder
        self.settings = settings
        # The same lines come back for many questions (a line is read ~0.14 ms, 40 of them a question).
        self._known: TextCache[frozenset[str]] = TextCache()

    def __call__(self, texts: Sequence[str]) -> list[frozenset[str]]:
        reader = load_reader(self.settings)
        if reader is None or not texts:
            return [frozenset()] * len(texts)
        return self._known.fill(texts, lambda missing: reader.audiences(missing, self.encoder.documents(missing)))
