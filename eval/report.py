"""The evaluation report: report.json for tools, report.md for people, chart.png for a glance.

report.json's keys are a contract (DESIGN.md): add keys freely, rename none.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.scoring import CaseResult
from hotline.language.phones import find_phones

ANSWER_CHARS = 700  # how much of a failing answer report.md shows


def summarize(results: Sequence[CaseResult]) -> dict[str, Any]:
    """The summary block of report.json."""
    passed = sum(r.passed for r in results)
    expected_none = [r for r in results if r.case.expect_no_answer]
    said_none = [r for r in results if not r.answer.answered]
    true_none = [r for r in said_none if r.case.expect_no_answer]
    retrieval = [r for r in results if r.retrieval_scored]
    latencies = [r.latency_ms for r in results]
    return {
        "cases": len(results),
        "passed": passed,
        "pass_rate": _ratio(passed, len(results)),
        "invented_phones": sum(len(r.invented) for r in results),
        # What the answerer wrote before the guard: the invented phones users saw plus those it removed.
        "invented_phones_before_guard": sum(len(r.invented) + len(r.invented_removed) for r in results),
        "wrong_phones": sum(len(r.wrong) for r in results),
        # With no "no answer" given at all, precision is 0/0; we report 0, the conservative reading.
        "no_answer_precision": _ratio(len(true_none), len(said_none)),
        "no_answer_recall": _ratio(len(true_none), len(expected_none)),
        "hit_at_5": _ratio(sum(1 for r in retrieval if r.rank is not None and r.rank <= 5), len(retrieval)),
        "mrr": round(float(np.mean([1 / r.rank if r.rank else 0.0 for r in retrieval])), 3) if retrieval else 0.0,
        "latency_ms_p50": _percentile(latencies, 50),
        "latency_ms_p95": _percentile(latencies, 95),
        # The evidence the answerer declines on (HOTLINE_MIN_SIMILARITY): the closest passage's cosine to
        # the question, lowest among the cases that have an answer, highest among those that have none.
        "similarity_answerable_min": _extreme(results, False, min),
        "similarity_no_answer_max": _extreme(results, True, max),
        "no_answer_cases": len(expected_none),
        "no_answer_curve": no_answer_curve(results),
        "retrieval_cases": len(retrieval),
        "checks": _rates((name, held) for r in results for name, held in r.checks.items()),
        "categories": _rates((r.case.category or "-", r.passed) for r in results),
    }


CURVE = [round(0.1 * i, 1) for i in range(10)]  # the verifier's thresholds the curve is read at


def no_answer_curve(results: Sequence[CaseResult]) -> list[dict[str, float]]:
    """No-answer precision and recall had the verifier declined at each threshold (hotline.verifier): a
    case is declined at t when it was declined for another reason, or its best quote's support is under t
    (an answer declined by the verifier records its support, so a lower threshold would have answered)."""
    points = []
    for t in CURVE:
        said = [
            r
            for r in results
            if (not r.answer.answered and r.answer.support is None)
            or (r.answer.support is not None and r.answer.support < t)
        ]
        true = [r for r in said if r.case.expect_no_answer]
        expected = sum(r.case.expect_no_answer for r in results)
        points.append(
            {"threshold": t, "precision": _ratio(len(true), len(said)), "recall": _ratio(len(true), expected)}
        )
    return points


def closest(result: CaseResult) -> float | None:
    """The highest cosine of a retrieved passage to the question (None when retrieval did not compare)."""
    values = [p.similarity for p in result.answer.passages if p.similarity is not None]
    return round(max(values), 3) if values else None


def _extreme(results: Sequence[CaseResult], no_answer: bool, pick: Any) -> float | None:
    values = [v for r in results if r.case.expect_no_answer == no_answer and (v := closest(r)) is not None]
    return pick(values) if values else None


def case_record(result: CaseResult) -> dict[str, Any]:
    """One entry of report.json's ``cases``."""
    case, answer = result.case, result.answer
    return {
        "id": case.id,
        "category": case.category,
        "passed": result.passed,
        "reasons": list(result.reasons),
        "answer": answer.text,
        "answered": answer.answered,
        "phones": list(result.phones),
        "latency_ms": round(result.latency_ms, 1),
        "turns": list(case.turns),
        "query": answer.query,
        "invented": list(result.invented),
        "removed_by_guard": list(answer.removed),
        "invented_removed": list(result.invented_removed),
        "wrong": list(result.wrong),
        "retrieval_rank": result.rank,
        "similarity": closest(result),
        "support": None if answer.support is None else round(answer.support, 3),
        "citations": [f"{c.title} › {c.section}" if c.section else c.title for c in answer.citations],
    }


def build_report(results: Sequence[CaseResult], meta: Mapping[str, Any]) -> dict[str, Any]:
    return {"summary": summarize(results), "meta": dict(meta), "cases": [case_record(r) for r in results]}


def write_report(report: Mapping[str, Any], results: Sequence[CaseResult], out: Path) -> list[Path]:
    """Write report.json, report.md and chart.png into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "chart.png"]
    paths[0].write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(report, results), encoding="utf-8")
    chart(report, results, paths[2])
    return paths


def markdown(report: Mapping[str, Any], results: Sequence[CaseResult]) -> str:
    s, meta = report["summary"], report["meta"]
    lines = [
        "# hotline evaluation",
        "",
        f"`{meta.get('cases_file', '')}` · {s['cases']} cases · {meta.get('started', '')} · "
        f"model `{meta.get('model', '')}` · index generation {meta.get('generation', '')}",
        "",
        "| pass rate | invented phones | wrong phones | no-answer precision / recall | hit@5 | MRR "
        "| latency p50 / p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| **{s['pass_rate']:.1%}** ({s['passed']}/{s['cases']}) | {s['invented_phones']} | {s['wrong_phones']} "
        f"| {s['no_answer_precision']:.2f} / {s['no_answer_recall']:.2f} | {s['hit_at_5']:.2f} | {s['mrr']:.2f} "
        f"| {s['latency_ms_p50']:.1f} / {s['latency_ms_p95']:.1f} ms |",
        "",
        "Closest passage's similarity to the question (what `HOTLINE_MIN_SIMILARITY` is compared with): "
        f"lowest among cases with an answer {s['similarity_answerable_min']}, highest among cases without one "
        f"{s['similarity_no_answer_max']}.",
        "",
        "No-answer precision / recall had the verifier declined under each threshold "
        "(`HOTLINE_VERIFY_ANSWERS`, `hotline/verifier`): "
        + " · ".join(f"{p['threshold']:.1f}: {p['precision']:.2f} / {p['recall']:.2f}" for p in s["no_answer_curve"]),
        "",
        *_comparison(report),
        "## By category",
        "",
        "| category | cases | passed | rate |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {v['cases']} | {v['held']} | {v['rate']:.0%} |" for name, v in s["categories"].items()),
        "",
        "## By check",
        "",
        "| check | cases | held | rate |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {v['cases']} | {v['held']} | {v['rate']:.0%} |" for name, v in s["checks"].items()),
        "",
    ]
    failures = [r for r in results if not r.passed]
    lines += [f"## Failures ({len(failures)})", ""] if failures else ["## Failures", "", "None.", ""]
    for r in failures:
        lines += _failure(r)
    return "\n".join(lines)


def _comparison(report: Mapping[str, Any]) -> list[str]:
    """Side by side with another run of the same cases (``--compare``), e.g. extractive and LLM."""
    other = report.get("compare")
    if not other:
        return []
    rows = [(report["meta"], report["summary"]), (other["meta"], other["summary"])]
    lines = [
        "## Side by side",
        "",
        "| answerer | pass rate | invented phones before guard | after guard | wrong phones "
        "| no-answer P / R | hit@5 | latency p50 / p95 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for meta, s in rows:
        lines.append(
            f"| {meta.get('answerer', '?')} | {s['pass_rate']:.1%} ({s['passed']}/{s['cases']}) "
            f"| {s.get('invented_phones_before_guard', s['invented_phones'])} | {s['invented_phones']} "
            f"| {s['wrong_phones']} | {s['no_answer_precision']:.2f} / {s['no_answer_recall']:.2f} "
            f"| {s['hit_at_5']:.2f} | {s['latency_ms_p50']:.0f} / {s['latency_ms_p95']:.0f} ms |"
        )
    return [*lines, ""]


def _failure(r: CaseResult) -> list[str]:
    case = r.case
    expected = list(case.must_phones)
    if case.any_phones:
        expected.append(f"one of {', '.join(case.any_phones)}")
    block = [f"### `{case.id}` · {case.category or '-'}", ""]
    for n, turn in enumerate(case.turns, 1):
        prefix = f"**Turn {n}:**" if len(case.turns) > 1 else "**Q:**"
        block.append(f"{prefix} {turn}  ")
    block.append("")
    block += [f"- {reason}" for reason in r.reasons]
    if case.lists_phones or r.phones:
        found = list(dict.fromkeys(m.raw for m in find_phones(r.answer.text)))
        block.append(f"- phones expected: {', '.join(expected) or '—'}; found: {', '.join(found) or '—'}")
    if case.must_authorities:
        block.append(f"- authorities expected: {', '.join(case.must_authorities)}")
    rank = f"rank {r.rank}" if r.rank else ("not in the retrieved passages" if r.retrieval_scored else "not scored")
    block.append(f"- passage with the expected fact: {rank}; answered: {'yes' if r.answer.answered else 'no'}")
    if r.answer.removed:
        block.append(f"- the guard removed: {', '.join(r.answer.removed)}")
    text = r.answer.text if len(r.answer.text) <= ANSWER_CHARS else r.answer.text[:ANSWER_CHARS] + " …"
    block += ["", *(f"> {line}" if line else ">" for line in text.splitlines()), ""]
    return block


def chart(report: Mapping[str, Any], results: Sequence[CaseResult], path: Path) -> None:
    """Pass rate by category, and the latency histogram, side by side."""
    import matplotlib

    matplotlib.use("Agg")  # no display here, and no window wanted
    import matplotlib.pyplot as plt

    categories = report["summary"]["categories"]
    names = list(categories)
    rates = [categories[n]["rate"] for n in names]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, max(3.5, 0.35 * len(names) + 1.5)))
    left.barh(names, rates, color=["#2e7d32" if r >= 0.95 else "#f9a825" if r >= 0.7 else "#c62828" for r in rates])
    left.set_xlim(0, 1)
    left.invert_yaxis()
    left.set_xlabel("pass rate")
    left.set_title(f"Pass rate by category (overall {report['summary']['pass_rate']:.0%})")
    for y, (name, rate) in enumerate(zip(names, rates, strict=True)):
        left.text(min(rate + 0.01, 0.9), y, f"{categories[name]['held']}/{categories[name]['cases']}", va="center")
    right.hist([r.latency_ms for r in results], bins=20, color="#1565c0")
    right.set_xlabel("latency, ms")
    right.set_ylabel("cases")
    s = report["summary"]
    right.set_title(f"Latency (p50 {s['latency_ms_p50']:.1f} ms, p95 {s['latency_ms_p95']:.1f} ms)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _percentile(values: Sequence[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 1) if values else 0.0


def _rates(pairs: Any) -> dict[str, dict[str, Any]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, held in pairs:
        counts[name][0] += 1
        counts[name][1] += bool(held)
    return {name: {"cases": n, "held": h, "rate": _ratio(h, n)} for name, (n, h) in sorted(counts.items())}
