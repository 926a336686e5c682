"""What the guard catches in a model's raw output, over the evaluation's questions.

    HOTLINE_LLM_BASE_URL=… HOTLINE_LLM_MODEL=… python bench/llm_guard.py [--cases eval/cases.yaml]

Each question is retrieved as usual and the model is shown the same passages as in the chat, but its
reply is taken whole (no echo check, no fallback), so this counts what a model really writes: phones in
no article (invented), phones in the corpus but in no passage it cites, and e-mails likewise; then the
same after the guard (must be 0). Needs the configured endpoint and the index.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.cases import load_cases  # noqa: E402
from hotline.answer.client import LLMFailed, chat_model, stream_text  # noqa: E402
from hotline.answer.guard import guard  # noqa: E402
from hotline.answer.llm import answer_messages, cited_numbers  # noqa: E402
from hotline.config.settings import Settings  # noqa: E402
from hotline.language.facts import find_emails  # noqa: E402
from hotline.language.phones import find_phones  # noqa: E402
from hotline.search.retrieval import Retriever  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, default=REPO / "eval" / "cases.yaml")
    args = parser.parse_args()
    settings = Settings()
    model = chat_model(settings)
    if model is None:
        raise SystemExit("set HOTLINE_LLM_BASE_URL and HOTLINE_LLM_MODEL")
    retriever = Retriever(settings)
    corpus = {p.e164 for text in retriever.view().texts for p in find_phones(text)}
    totals = dict(replies=0, failed=0, invented=0, uncited=0, emails=0, after=0, removed=0)
    started = time.perf_counter()
    for case in load_cases(args.cases):
        passages = retriever.search(case.question, settings.llm_passages)
        try:
            raw = "".join(stream_text(model, answer_messages(case.question, passages), settings.llm_timeout, 120))
        except LLMFailed:
            totals["failed"] += 1
            continue
        totals["replies"] += 1
        cited = [passages[n - 1] for n in cited_numbers(raw, len(passages))]
        allowed = {p.e164 for c in cited for p in find_phones(c.text)}
        phones = {p.e164 for p in find_phones(raw)}
        totals["invented"] += len(phones - corpus)
        totals["uncited"] += len((phones & corpus) - allowed)
        totals["emails"] += len(set(find_emails(raw)) - {e for c in cited for e in find_emails(c.text)})
        checked = guard(raw, cited, "[removed]")
        totals["removed"] += len(checked.removed)
        after = {p.e164 for p in find_phones(checked.text)}
        totals["after"] += len(after - allowed)
    print(
        f"{settings.llm_model}: {totals['replies']} replies ({totals['failed']} failed) in "
        f"{time.perf_counter() - started:.0f} s. Before the guard: {totals['invented']} invented phones, "
        f"{totals['uncited']} corpus phones from uncited passages, {totals['emails']} unsupported e-mails. "
        f"The guard removed {totals['removed']}; after it: {totals['after']} unsupported phones."
    )


if __name__ == "__main__":
    main()
