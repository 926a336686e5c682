"""Registry benchmark: what the organisation layer costs as the registry grows.

    python bench/registry.py [--sizes 100,320,1000] [--chunks 30000] [--seed 7]

For each size, a consumer-help site of that many organisations is generated (eval/sitegen.py), loaded,
cleaned and split as the ingest would (no embedding: the registry reads texts, not vectors), then:

- **build**: the registry of the snapshot (declared and inferred names, a roundup's rows, third parties,
  each chunk's owners), as a snapshot view builds it, in seconds;
- **question**: the organisation work one question costs, per question of the site's case file (p50/p95
  ms): the matcher over the registry, the names the corpus lacks, and the owners of 40 retrieved units
  (the units of the top passages an answer reads);
- the chunk count is padded to ``--chunks`` by repeating the site's chunks under new article names, so
  that the registry's build is measured at that size too.

Compare sizes within one run: matching should grow with the question, not with the registry.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.cases import load_cases  # noqa: E402
from eval.sitegen import main as generate  # noqa: E402
from hotline.language.inference import infer  # noqa: E402
from hotline.language.organizations import Organization  # noqa: E402
from hotline.language.registry import CorpusOrganizations  # noqa: E402
from ingest.clean import clean_corpus  # noqa: E402
from ingest.load import load_corpus  # noqa: E402
from ingest.split import split_articles  # noqa: E402

UNITS = 40  # units an answer reads: the rows and sentences of its top passages


def measure(size: int, chunks_wanted: int, seed: int, scratch: Path) -> str:
    site = scratch / f"site-{size}"
    generate(["--out", str(site), "--organizations", str(size), "--seed", str(seed)])
    articles, _ = load_corpus(site / "corpus")
    articles, _ = clean_corpus(articles)
    chunks, _ = split_articles(articles, 700)
    declared = {a.path: Organization(a.organization, a.aliases) if a.organization else None for a in articles}
    rows = [(c.article, c.section, c.body) for c in chunks]
    copies = 0
    while len(rows) < chunks_wanted:
        copies += 1
        rows += [(f"{copies}/{a}", s, b) for a, s, b in rows[: chunks_wanted - len(rows)]]
    started = time.perf_counter()
    inferred = sum(infer(a.title, a.body) is not None for a in articles)
    infer_s = time.perf_counter() - started
    started = time.perf_counter()
    registry = CorpusOrganizations.build(declared, rows)
    build_s = time.perf_counter() - started
    directory = registry.directory
    texts = [b for _, _, b in rows[:UNITS]]
    costs = []
    for case in load_cases(site / "cases.yaml"):
        question = case.question
        started = time.perf_counter()
        directory.mentions(question)
        directory.unknown_names(question, frozenset())
        for text in texts:
            directory.owners_in(text)
        costs.append((time.perf_counter() - started) * 1000)
    costs.sort()
    p95 = costs[int(0.95 * (len(costs) - 1))]
    return (
        f"{size:5} organisations ({len(directory)} in the registry), {len(articles)} articles, {len(rows)} chunks: "
        f"titles read {infer_s:.2f} s ({inferred} named), registry built {build_s:.2f} s; "
        f"per question p50 {statistics.median(costs):.1f} ms, p95 {p95:.1f} ms ({len(costs)} questions)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,320,1000", help="organisations per generated site")
    parser.add_argument("--chunks", type=int, default=0, help="pad each site's chunks to this many")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotline-registry-") as scratch:
        for size in (int(s) for s in args.sizes.split(",")):
            print(measure(size, args.chunks, args.seed, Path(scratch)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
