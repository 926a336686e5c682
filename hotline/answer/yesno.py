"""Whether a source's sentence says yes or no to a yes/no question ("Обязательно ли сначала отправлять
претензию?" — "Досудебный порядок … не является обязательным": no).

The question's predicate is the word before "ли" ("обязательно ли", "можно ли"), or, without "ли", each
word that says how something is ("звонок бесплатный?": "бесплатный", not "звонок"). The sentence answers
when it writes that word (any form of it: the same stem) or its opposite: negated ("не является
обязательным"), with a negating prefix ("бесплатно" for "платно", "необязательно" for "обязательно"), or as
the language's opposite word ("нельзя" for "можно"). No verdict when the sentence writes none of them: the
quote alone is the answer then, as a wrong "да" is worse than none.

Why rules and not a trained model: polarity here is a fact of the language (negation, prefixes, a handful
of opposite pairs), and the verdict is only given beside the quote that says it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hotline.language.morphology import top_parse

WORD = re.compile(r"[а-яёa-z]+", re.IGNORECASE)
NEGATING_WORDS = {"не", "ни"}
NEGATING_PREFIXES = ("бес", "без", "не")  # бесплатно / платно, необязательно / обязательно
# Opposites that share no stem: a fact of Russian, not of any source.
OPPOSITES = {"можно": "нельзя", "нельзя": "можно", "надо": "незачем", "нужно": "незачем"}
# A link verb between "не" and the word it negates: "не является обязательным", "не будет платным".
LINKS = ("явля", "будет", "был", "счита", "станов", "всегда")
STEM = 5  # letters two forms of one word share at least ("обязательно", "обязательным")
# What a yes/no question without "ли" asks about: how a thing is ("бесплатный", "можно", "работает"), not
# the thing ("звонок"), which the sentence writes whatever it says of it.
SAYING = {"ADJF", "ADJS", "ADVB", "PRED", "PRTF", "PRTS", "VERB", "INFN"}


# Words that make a sentence's yes a "yes, but only if": a verdict would drop the condition.
RESTRICTING = re.compile(
    r"(?<!\w)(?:только|лишь|исключени\w*|кроме|если|при условии|в случа\w*|за исключением)(?!\w)", re.IGNORECASE
)
ASKS = re.compile(r"(?<!\w)ли(?!\w)", re.IGNORECASE)
SHARED = 2  # words of the question a restricting sentence writes to be about what is asked


def answered(question: str, asked: frozenset[str], quotes: Sequence[tuple[str, frozenset[str]]]) -> bool | None:
    """The yes or no the quotes of an answer say, in order (each a text and its lemmas; ``asked``: the
    question's lemmas): the first that says one, unless it restricts itself, or another quote about
    what is asked does ("написать в чат смогут только авторизованные" beside "написать можно через сайт").
    A quote that asks ("Можно ли отменить?", a table's header) says nothing."""
    stating = [(t, lemmas) for t, lemmas in quotes if not (t.rstrip().endswith("?") or ASKS.search(t))]
    if any(RESTRICTING.search(t) and len(asked & lemmas) >= SHARED for t, lemmas in stating):
        return None
    for text, _ in stating:
        said = verdict(question, text)
        if said is not None:
            return None if RESTRICTING.search(text) else said
    return None


def verdict(question: str, sentence: str) -> bool | None:
    """True for yes, False for no, None when ``sentence`` does not say (see the module's docstring)."""
    asked = _predicates(question)
    said = [w.casefold().replace("ё", "е") for w in WORD.findall(sentence)]
    for predicate, negated in asked:
        for i, word in enumerate(said):
            match = _matches(predicate, word)
            if match is None:
                continue
            flipped = not match
            if _negated(said, i):
                flipped = not flipped
            return flipped == negated
    return None


def _negated(said: list[str], i: int) -> bool:
    """Whether the word at ``i`` is negated: "не" right before it, or before a link verb before it ("не
    является обязательным"); not a "не" of another clause ("товар, который не подошёл, можно вернуть")."""
    before = said[max(0, i - 2) : i]
    if before[-1:] and before[-1] in NEGATING_WORDS:
        return True
    return len(before) == 2 and before[0] in NEGATING_WORDS and before[1].startswith(LINKS)


def _predicates(question: str) -> list[tuple[str, bool]]:
    """The words the question asks yes or no about, each with whether the question negates it ("не
    опасно ли"): the word before "ли" when it has one, else its content words."""
    typed = [w.casefold().replace("ё", "е") for w in WORD.findall(question)]
    found: list[tuple[str, bool]] = []
    for i, word in enumerate(typed):
        if word == "ли" and i:
            found.append((typed[i - 1], i > 1 and typed[i - 2] == "не"))
    if found:
        return found
    return [
        (w, i > 0 and typed[i - 1] == "не")
        for i, w in enumerate(typed)
        if len(w) >= STEM and top_parse(w).tag.POS in SAYING
    ]


def _matches(predicate: str, word: str) -> bool | None:
    """True when ``word`` is a form of ``predicate``, False when it is its opposite, None otherwise."""
    if _same_stem(predicate, word):
        return True
    if OPPOSITES.get(predicate) == word:
        return False
    for prefix in NEGATING_PREFIXES:
        if word.startswith(prefix) and _same_stem(predicate, word[len(prefix) :]):
            return False
        if predicate.startswith(prefix) and _same_stem(predicate[len(prefix) :], word):
            return False
    return None


def _same_stem(a: str, b: str) -> bool:
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return (shared >= STEM and shared >= min(len(a), len(b)) - 3) or (a == b and len(a) >= 3)
