"""Run cases through the same entry point the page and the command line use, and score them."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from eval.cases import Case
from eval.scoring import CaseResult, score, unique_phones
from hotline.answer import Answer, Turn
from hotline.pipeline import Hotline

WARM_UP = "телефон горячей линии"  # loads the model and the index view before anything is timed


def corpus_phones(bot: Hotline) -> frozenset[str]:
    """Every phone (E.164) that some passage of the live index holds: the line between wrong and invented."""
    return frozenset(phone for text in bot.index().texts for phone in unique_phones(text))


def run_case(bot: Hotline, case: Case, known_phones: frozenset[str]) -> CaseResult:
    """Ask the turns in order, each with the conversation so far; score the last one."""
    history: list[Turn] = []
    try:
        for turn in case.turns[:-1]:
            history.append(Turn(turn, bot.ask(turn, history).text))
        started = time.perf_counter()
        answer = bot.ask(case.question, history)
        latency = (time.perf_counter() - started) * 1000
    except Exception as exc:  # a crash on one question is a finding to report, not a reason to stop
        crash = f"crashed: {type(exc).__name__}: {exc}"
        return replace(score(case, Answer(body=f"({crash})", answered=False), 0.0, known_phones), reasons=(crash,))
    return score(case, answer, latency, known_phones)


def run_cases(bot: Hotline, cases: Sequence[Case], progress: bool = False) -> list[CaseResult]:
    bot.ask(WARM_UP)
    known_phones = corpus_phones(bot)
    iterable: Sequence[Case] = cases
    if progress:
        from tqdm import tqdm

        iterable = tqdm(cases, desc="eval", unit="case", leave=False)
    return [run_case(bot, case, known_phones) for case in iterable]
