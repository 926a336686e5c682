"""``python -m ingest [--corpus DIR] [--full | --rebuild] [--wait SECONDS]``: bring the index in line with
the corpus."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hotline.config.cli import command_parser, run_command
from hotline.config.settings import Settings
from hotline.reader.model import ensure_reader
from ingest.pipeline import rebuild_index, run_ingest
from ingest.report import IngestReport


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("python -m ingest", __doc__)
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: HOTLINE_CORPUS_DIR or ./corpus)")
    parser.add_argument("--full", action="store_true", help="rebuild from scratch (a model change does this by itself)")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="the index is damaged: move it aside unopened and build a new one from the corpus",
    )
    parser.add_argument("--wait", type=float, default=None, metavar="SECONDS", help="wait for a running ingest")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")
    args = parser.parse_args(argv)

    def ingest() -> int:
        settings = Settings()
        if args.corpus is not None:
            settings = settings.model_copy(update={"corpus_dir": args.corpus})
        progress = not args.quiet and sys.stderr.isatty()
        if args.rebuild:
            report = rebuild_index(settings, progress=progress, wait=args.wait)
        else:
            report = run_ingest(settings, full=args.full, progress=progress, wait=args.wait)
        print_report(report, quiet=args.quiet)
        # The question reader is trained here, once per models dir, so that the page starts without it.
        started = time.perf_counter()
        if ensure_reader(settings) and not args.quiet:
            print(f"trained the question reader in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        return 0

    return run_command(ingest, debug=args.debug)


def print_report(report: IngestReport, quiet: bool = False) -> None:
    if not quiet:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        for path, library in report.readers:
            print(f"read by {library}: {path}", file=sys.stderr)
        for boilerplate in report.boilerplate:
            print(f"boilerplate (x{boilerplate.count}), dropped: {boilerplate.text[:70]}…", file=sys.stderr)
        if report.replaced_note:
            print(report.replaced_note, file=sys.stderr)
        if report.rebuilt:
            print(f"built a new index (generation {report.generation})", file=sys.stderr)
        for change in report.changes:
            print(f"fact {change.describe()}", file=sys.stderr)
        for conflict in report.conflicts:
            print(f"conflict: {conflict.describe()}", file=sys.stderr)
        for article in report.stale:
            print(f"stale: {article.article} (updated {article.updated}, {article.days} days ago)", file=sys.stderr)
    print(report.summary())


if __name__ == "__main__":
    sys.exit(main())
