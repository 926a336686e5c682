"""``python -m hotline "вопрос" [--json]``: one answer on stdout (the Answer as JSON with --json)."""

from __future__ import annotations

import gc
import json
import sys


def main(argv: list[str] | None = None) -> int:
    # A one-shot process: CPython's cyclic collector would walk the ~300,000 objects the imports below make,
    # again and again as they are made, for garbage a single answer hardly leaves: 0.12 s of a 2 s command.
    # Off for the answer; on again before an index must be built (the ingest makes garbage in earnest).
    gc.disable()
    from hotline.config.cli import command_parser, run_command
    from hotline.config.settings import Settings
    from hotline.index.store import index_is_current
    from hotline.pipeline import Hotline

    parser = command_parser("python -m hotline", __doc__)
    parser.add_argument("question", help="the question, in quotes")
    parser.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    args = parser.parse_args(argv)

    def answer() -> int:
        settings = Settings()
        bot = Hotline(settings)
        bot.retriever.encoder.prefetch()
        try:
            store = bot.retriever.store  # one Chroma client for the check and the answer: opening one costs ~0.4 s
            if not index_is_current(settings, store):  # a fresh data dir: built here, as the page does
                from ingest import ensure_index  # only then: the ingest's imports cost a second of every answer

                gc.enable()
                built = ensure_index(settings, store)
                if built is not None and built.replaced_note:
                    print(built.replaced_note, file=sys.stderr)
            reply = bot.ask(args.question)
        finally:
            bot.close()
        print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2) if args.json else reply.text)
        return 0

    return run_command(answer, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
