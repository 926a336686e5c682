"""Retrieval benchmark: hit@1, hit@5 and MRR of dense, BM25 and hybrid retrieval, per embedding model and case set.

    python bench/retrieval.py [--models default,…] [--sets ours,mixed,…]

A *set* is a case file and the corpus it is asked against:

- ``ours``: ``eval/cases.yaml`` over the repository's ``corpus/``;
- ``holdout``: ``eval/holdout.yaml`` over ``corpus/`` (written after tuning; never tuned on);
- ``mixed``: ``../shared/corpora/other-stores/cases.yaml`` over ``corpus/`` plus that folder's ten
  companies' articles (see its README);
- ``blind``: ``eval/blind-mixed.yaml`` over the same mixed corpus (written by a helper session that saw
  only the articles and the case schema).

Every case is asked through ``Hotline.ask`` (multi-turn cases with their earlier turns as history), so
what is scored is the retrieval the answerer really gets: condensed, analysed, fused. The gold passage
is the first one holding the case's expected facts (its phones, else its authorities, else its
``must_contain`` texts), as ``python -m eval`` defines it; no-answer cases are not scored. Each model
gets its own index per corpus, in a temporary folder. Figures are over the 10 retrieved passages.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.cases import Case, load_cases  # noqa: E402
from eval.scoring import retrieval_rank  # noqa: E402
from hotline.answer import Turn  # noqa: E402
from hotline.config.settings import Settings  # noqa: E402
from hotline.pipeline import Hotline  # noqa: E402
from hotline.search.retrieval import Retriever  # noqa: E402
from ingest import run_ingest  # noqa: E402

OTHER_STORES = REPO.parent / "shared" / "corpora" / "other-stores"
MODES = ("dense", "bm25", "hybrid")


@dataclass(frozen=True)
class CaseSet:
    name: str
    cases: Path
    corpora: tuple[tuple[Path, str], ...]  # (folder, glob) whose files make the corpus


SETS = {
    "ours": CaseSet("ours", REPO / "eval" / "cases.yaml", ((REPO / "corpus", "*.md"),)),
    "holdout": CaseSet("holdout", REPO / "eval" / "holdout.yaml", ((REPO / "corpus", "*.md"),)),
    "mixed": CaseSet("mixed", OTHER_STORES / "cases.yaml", ((REPO / "corpus", "*.md"), (OTHER_STORES, "*-*.md"))),
    "blind": CaseSet(
        "blind", REPO / "eval" / "blind-mixed.yaml", ((REPO / "corpus", "*.md"), (OTHER_STORES, "*-*.md"))
    ),
}


def ranks(bot: Hotline, cases: list[Case]) -> list[int | None]:
    """The gold passage's rank (1-based, None when not retrieved) for every scorable case."""
    found = []
    for case in cases:
        history: list[Turn] = []
        for turn in case.turns[:-1]:
            history.append(Turn(turn, bot.ask(turn, history).text))
        answer = bot.ask(case.question, history)
        rank, scored = retrieval_rank(case, answer.passages)
        if scored:
            found.append(rank)
    return found


def metrics(found: list[int | None]) -> tuple[float, float, float]:
    """(hit@1, hit@5, MRR)."""
    n = max(len(found), 1)
    return (
        sum(r == 1 for r in found) / n,
        sum(r is not None and r <= 5 for r in found) / n,
        sum(1 / r for r in found if r is not None) / n,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="default", help="HOTLINE_EMBEDDING_MODEL values, comma-separated")
    parser.add_argument("--sets", default="ours,mixed", help=f"case sets, comma-separated: {', '.join(SETS)}")
    args = parser.parse_args()
    sets = [SETS[name] for name in args.sets.split(",")]
    base = Settings()
    print(f"{'model':<28} {'set':<8} {'cases':>5} {'mode':<7} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}")
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        for model in args.models.split(","):
            chosen = base.embedding_model if model == "default" else model
            for case_set in sets:
                if not case_set.cases.is_file():
                    print(f"{chosen:<28} {case_set.name:<8} (no {case_set.cases})")
                    continue
                corpus = Path(tmp) / f"corpus-{case_set.name}"
                corpus.mkdir(exist_ok=True)
                for folder, pattern in case_set.corpora:
                    for path in folder.glob(pattern):
                        shutil.copy(path, corpus / path.name)
                settings = base.model_copy(
                    update={
                        "embedding_model": chosen,
                        "corpus_dir": corpus,
                        "data_dir": Path(tmp) / f"data-{chosen.replace('/', '_')}-{case_set.name}",
                        "models_dir": base.model_dir,
                    }
                )
                run_ingest(settings)
                cases = load_cases(case_set.cases)
                retriever = Retriever(settings)
                for mode in MODES:
                    bot = Hotline(settings.model_copy(update={"retrieval": mode}), retriever)
                    found = ranks(bot, cases)
                    hit1, hit5, mrr = metrics(found)
                    row = f"{chosen:<28} {case_set.name:<8} {len(found):>5} {mode:<7}"
                    print(f"{row} {hit1:>6.2f} {hit5:>6.2f} {mrr:>6.2f}")
                retriever.close()


if __name__ == "__main__":
    main()
