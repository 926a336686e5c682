"""``python -m eval [--cases FILE] [--corpus DIR] [--out DIR] [--fail-under RATE]``: score the bot on a case file.

Writes report.json, report.md and chart.png to DIR. Exits 1 when the pass rate is under RATE, 2 when the
case file is malformed (the message names the case). With ``--corpus`` the cases are answered from that
folder's articles, indexed in a data dir of its own (see :func:`corpus_settings`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from eval.cases import CaseFileError, load_cases
from eval.report import build_report, write_report
from eval.runner import run_cases
from hotline.config.cli import command_parser, run_command
from hotline.config.errors import HotlineError
from hotline.config.settings import Settings
from hotline.pipeline import Hotline

HERE = Path(__file__).resolve().parent


def rate(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError("a pass rate between 0 and 1, such as 0.95")
    return number


def corpus_settings(settings: Settings, corpus: Path) -> Settings:
    """Settings that answer from ``corpus``: an index of its own under the data dir (and its own collection
    prefix on a Chroma server), keyed by the folder, so that the configured index is never rebuilt from
    another corpus and a second run over the same folder re-embeds only what changed. Built models are
    shared."""
    key = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    return settings.model_copy(
        update={
            "corpus_dir": corpus,
            "data_dir": settings.data_dir / "eval-corpora" / key,
            "models_dir": settings.model_dir,
            "collection": f"{settings.collection[:40]}-eval-{key}",
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("python -m eval", __doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=HERE / "cases.yaml", help="case file (default: eval/cases.yaml)")
    parser.add_argument(
        "--corpus", type=Path, help="answer from this corpus folder (indexed apart from the main index)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "out", help="report folder (default: eval/out)")
    parser.add_argument("--fail-under", type=rate, default=None, metavar="RATE", help="exit 1 under this pass rate")
    parser.add_argument("--json", action="store_true", help="print report.json on stdout")
    parser.add_argument("--llm", action="store_true", help="answer through the LLM (HOTLINE_LLM_* must be set)")
    parser.add_argument(
        "--compare", type=Path, metavar="REPORT_JSON", help="another run's report.json, shown side by side in report.md"
    )
    args = parser.parse_args(argv)

    try:
        cases = load_cases(args.cases)
        other = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    except CaseFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"error: --compare {args.compare}: {exc}", file=sys.stderr)
        return 2

    def evaluate() -> int:
        from ingest import ensure_index, run_ingest  # a fresh data dir is built from the corpus, as everywhere

        settings = Settings()
        if args.corpus is not None:
            settings = corpus_settings(settings, args.corpus)
        if args.llm and not settings.llm_enabled:
            raise HotlineError("--llm needs HOTLINE_LLM_BASE_URL and HOTLINE_LLM_MODEL (see the README)")
        if not args.llm:  # the extractive path, even where an LLM is configured
            settings = settings.model_copy(update={"llm_base_url": None, "llm_model": None})
        if args.corpus is not None:
            run_ingest(settings, progress=not args.json and sys.stderr.isatty())  # in line with the folder now
        elif (built := ensure_index(settings)) is not None and built.replaced_note:
            print(built.replaced_note, file=sys.stderr)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        bot = Hotline(settings)
        try:
            results = run_cases(bot, cases, progress=not args.json and sys.stderr.isatty())
            snapshot = bot.index().snapshot
        finally:
            bot.close()
        meta = {
            "cases_file": str(args.cases),
            "corpus": str(settings.corpus_dir),
            "started": started,
            "model": snapshot.model,
            "generation": snapshot.generation,
            "answerer": bot.answerer.name,
        }
        report = build_report(results, meta)
        if other:
            report["compare"] = {"meta": other.get("meta", {}), "summary": other["summary"]}
        paths = write_report(report, results, args.out)
        summary = report["summary"]
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print(
                f"pass rate {summary['pass_rate']:.1%} ({summary['passed']}/{summary['cases']}), "
                f"invented phones {summary['invented_phones']} "
                f"({summary['invented_phones_before_guard']} before the guard), "
                f"wrong phones {summary['wrong_phones']}, "
                f"no-answer P/R {summary['no_answer_precision']:.2f}/{summary['no_answer_recall']:.2f}, "
                f"hit@5 {summary['hit_at_5']:.2f}, MRR {summary['mrr']:.2f}, "
                f"latency p50/p95 {summary['latency_ms_p50']:.1f}/{summary['latency_ms_p95']:.1f} ms"
            )
            print(
                "no-answer P/R by verifier threshold: "
                + " · ".join(
                    f"{p['threshold']:.1f} {p['precision']:.2f}/{p['recall']:.2f}" for p in summary["no_answer_curve"]
                )
            )
            print("wrote " + ", ".join(str(p) for p in paths))
        if args.fail_under is not None and summary["pass_rate"] < args.fail_under:
            print(f"error: pass rate {summary['pass_rate']:.3f} is under {args.fail_under}", file=sys.stderr)
            return 1
        return 0

    return run_command(evaluate, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
