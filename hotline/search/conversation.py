"""Follow-up questions: "А из Питера?", "а почта?" made standalone before retrieval.

An elliptical follow-up keeps what the previous question asked and changes one thing: the place ("а
для Питера?"), what is asked ("а почта?", "а часы работы?") or whom it is about ("а для Ozon Card?").
So the standalone question is the follow-up plus the previous question without the words of whatever
the follow-up replaces. The previous question is itself condensed first, so chains of follow-ups work.
The LLM path condenses with ``prompts/condense.md`` instead; this rule needs no model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from hotline.answer import Turn
from hotline.language.lexicon import lexicon
from hotline.search.query import Query
from hotline.search.words import Term

FOLLOW_UP_START = re.compile(
    r"^\s*(?:а|и|ну а|а если|а как|а где|а что|а куда|а для|а из|а в|and|what about|how about|and for)\b", re.IGNORECASE
)
POINTS_BACK = re.compile(r"\b(?:они|них|ним|ними|их|им|them|they|their)\b", re.IGNORECASE)  # whom it asked before
SHORT = 4  # a question with at most this many content words may lean on the one before


def is_follow_up(query: Query) -> bool:
    """Whether ``query`` reads as a continuation: it opens like one, or is short and lacks a subject or
    an ask of its own."""
    if FOLLOW_UP_START.match(query.text):
        return True
    typed = [t for t in query.terms if not t.added]
    has_subject = any(t.lemma in query.key_lemmas and not t.place for t in typed)
    return len(typed) <= SHORT and (not query.intents or not has_subject)


def condense(question: str, history: Sequence[Turn], analyze: Callable[[str], Query]) -> str:
    """The standalone form of ``question`` given the earlier turns (oldest first)."""
    previous = ""
    for turn in history:
        previous = _merge(analyze(turn.question), previous, analyze) if previous else turn.question
    if not previous:
        return question
    return _merge(analyze(question), previous, analyze)


def _merge(query: Query, previous: str, analyze: Callable[[str], Query]) -> str:
    if not is_follow_up(query):
        return query.text
    before = analyze(previous)
    replaced = _replaced(query)
    kept = [t.surface for t in before.terms if not t.added and not replaced(t, before)]
    return f"{query.text} {' '.join(dict.fromkeys(kept))}".strip()


def _replaced(query: Query) -> Callable[[Term, Query], bool]:
    """Which words of the previous question the follow-up replaces."""
    asking = {w for entries in lexicon().intents.values() for entry in entries for w in entry}
    # "а бесплатный?" / "а для всех регионов?" asks for the general line instead of the place asked before.
    new_place = bool(query.places) or any(t.lemma in lexicon().general for t in query.terms if not t.added)
    new_intent = bool(query.intents) and any(t.lemma in asking and not t.added for t in query.terms)
    # A name the corpus does not cover ("а у тинькова?") replaces the previous one too: then it is declined.
    # A word that asks is no new name when the question points back ("а почта электронная у них есть?").
    back = bool(POINTS_BACK.search(query.text))
    new_name = any(t.name and not (back and t.lemma in asking) for t in query.terms if not t.added)
    new_name = new_name or bool(query.unknown_names)

    def replaced(term: Term, before: Query) -> bool:
        if new_place and term.place:
            return True
        if new_intent and term.lemma in asking:
            return True
        return new_name and term.name

    return replaced
