"""``python -m hotline.directory [--json | --csv] [--organizations]``: every contact fact in the live index,
with whose it is, its line, article, section and date; then the conflicts, the stale articles and the last
ingests' changes (the table form only). ``--organizations`` lists the registry instead: each organisation
with its id, aliases, articles and the chunks that give its contacts."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict

from hotline.config.cli import command_parser, run_command
from hotline.config.settings import Settings
from hotline.directory import Entry, conflicts, disputed, history, saved, stale
from hotline.index.view import SnapshotView
from hotline.search.retrieval import Retriever

COLUMNS = ("organization", "kind", "line", "value", "normalized", "article", "section", "updated", "conflict")


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("python -m hotline.directory", __doc__)
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON object: entries, conflicts, stale, changes")
    form.add_argument("--csv", action="store_true", help="the entries as CSV")
    parser.add_argument("--organizations", action="store_true", help="the organisation registry instead")
    args = parser.parse_args(argv)

    def registry() -> int:
        retriever = Retriever(Settings())
        try:
            view = SnapshotView.load(retriever.store, retriever.snapshot(), with_vectors=False)
            records = view.registry
        finally:
            retriever.close()
        if args.json:
            print(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2))
            return 0
        rows = [[r.id, r.name, "; ".join(r.aliases), "; ".join(r.articles), str(r.chunks)] for r in records]
        if args.csv:
            csv.writer(sys.stdout).writerows([["id", "name", "aliases", "articles", "chunks"], *rows])
            return 0
        for row in rows:
            print(" | ".join(row))
        print(f"\n{len(records)} organisations")
        return 0

    def show() -> int:
        settings = Settings()
        retriever = Retriever(settings)
        try:
            snapshot = retriever.snapshot()  # the live one, or a one-line error when there is none
            load = lambda: SnapshotView.load(retriever.store, snapshot, with_vectors=False)  # noqa: E731
            entries = saved.of_snapshot(snapshot, settings.data_dir, load)
        finally:
            retriever.close()
        found = conflicts(entries)
        marked = disputed(found)
        old = stale(snapshot.articles, settings.stale_after_days)
        recent = history.recent(settings.data_dir)
        if args.json:
            body = {
                "entries": [{**asdict(e), "line": e.line, "conflict": e in marked} for e in entries],
                "conflicts": [asdict(c) for c in found],
                "stale": [asdict(s) for s in old],
                "changes": [asdict(i) for i in recent],
            }
            print(json.dumps(body, ensure_ascii=False, indent=2))
            return 0
        rows = [_row(e, e in marked) for e in entries]
        if args.csv:
            writer = csv.writer(sys.stdout)
            writer.writerows([COLUMNS, *rows])
            return 0
        for row in rows:
            print(" | ".join(str(cell) for cell in row))
        print(f"\n{len(entries)} facts; {len(found)} conflicts; {len(old)} stale articles")
        for conflict in found:
            print(f"conflict: {conflict.describe()}")
        for article in old:
            print(f"stale: {article.article} (updated {article.updated}, {article.days} days ago)")
        for ingested in recent:
            for change in ingested.changes:
                print(f"{ingested.at} fact {change.describe()}")
        return 0

    return run_command(registry if args.organizations else show, debug=args.debug)


def _row(e: Entry, disputed: bool) -> list[str]:
    mark = "conflict" if disputed else ""
    return [e.organization, e.kind, e.line, e.value, e.normalized, e.article, e.section, e.updated, mark]


if __name__ == "__main__":
    sys.exit(main())
