"""``python -m hotline "вопрос" [--json]``: one answer on stdout (the Answer as JSON with --json)."""

from __future__ import annotations

import gc
import json
import sys


def main(argv: list[str] | None = None) -> int:
    # A one-shot process: CPython's cyclic collector would walk the ~300,000 objects the imports below make,
    # again and again as they are made, for garbage a single answer hardly leaves: 0.12 s of a 2 s command.
    # Off for the answer (an index to build is built by a process of its own).
    gc.disable()
    from hotline.config.cli import build_index_apart, command_parser, run_command
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
            if not index_is_current(settings, store):  # a fresh data dir: built first, as the page does
                bot.close()  # the embedded index's files are the ingest's while it writes them
                build_index_apart()
                bot = Hotline(settings)
            reply = bot.ask(args.question)
        finally:
            bot.close()
        print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2) if args.json else reply.text)
        return 0

    return run_command(answer, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
