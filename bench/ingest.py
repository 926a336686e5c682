"""Ingest benchmark: full ingest throughput, no-op and one-edit re-ingest, at several corpus sizes.

    python bench/ingest.py [--sizes 1,16,100] [--repeat 3] [--formats md,html,pdf,docx]

The corpus is the real one, copied N times with each copy's numbers and a word changed, so that every
chunk is distinct (as in a real corpus of N x 5 articles: 1, 16 and 100 copies make about 60, 1 000 and
6 100 chunks). The model is built and loaded once before timing, and one untimed ingest pays what a
process pays once (Chroma's start, the first batches through the model): those are printed on their
own, as is a whole `python -m ingest` process that has nothing to do, which is what `make run` pays on
every start. Figures are medians of --repeat runs; compare them as ratios within one run, not across
machines. Each full ingest starts with an empty vector cache (``hotline.index.vectors``), so it embeds
every chunk and every line; "rebuild, cached" is the same articles ingested into a second data dir, every
vector read from the cache. ``HOTLINE_QUERY_ENCODER=torch`` times the ingest under torch instead of ONNX
Runtime.

Formats: the real-pages articles (eval/real-pages) as Markdown, as pages inside a site's surroundings,
and as PDF and DOCX made by LibreOffice (bench/formats.py); each is ingested whole into a fresh index,
and the reading alone (files to Markdown articles) is timed apart from the whole ingest.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hotline.config.settings import Settings  # noqa: E402
from hotline.index.embeddings import load_query_embeddings  # noqa: E402
from hotline.index.vectors import FILE as VECTORS  # noqa: E402
from ingest import run_ingest  # noqa: E402
from ingest.load import load_corpus  # noqa: E402


def make_corpus(target: Path, copies: int) -> None:
    target.mkdir(parents=True)
    for n in range(copies):
        for article in sorted((REPO / "corpus").glob("*.md")):
            _, front, body = article.read_text(encoding="utf-8").split("---\n", 2)
            if n:  # distinct chunks: shift every digit run, mark every paragraph with the copy's number
                body = re.sub(r"\d+", lambda m, n=n: str(int(m.group()) + n), body)
                body = re.sub(r"(?m)^([А-ЯA-Z«].*[.!?:])$", rf"\1 Вариант {n}.", body)
            (target / f"{article.stem}-{n}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bench_size(root: Path, copies: int, repeat: int, models_dir: Path) -> dict[str, float]:
    full, noop, edit, cached, chunks = [], [], [], [], 0
    for r in range(repeat):
        work = root / f"x{copies}-{r}"
        make_corpus(work / "corpus", copies)
        settings = Settings(_env_file=None, data_dir=work / "data", corpus_dir=work / "corpus", models_dir=models_dir)  # type: ignore[call-arg]
        (models_dir / VECTORS).unlink(missing_ok=True)  # a full ingest embeds every chunk and line afresh
        full.append(timed(lambda s=settings: run_ingest(s)))
        noop.append(timed(lambda s=settings: run_ingest(s)))
        article = work / "corpus" / "ozon-complaint-0.md"
        article.write_text(article.read_text(encoding="utf-8").replace("100-0004", "100-0005"), encoding="utf-8")
        edit.append(timed(lambda s=settings: run_ingest(s)))
        chunks = run_ingest(settings).chunks
        # The same articles into a second data dir: a rebuild, every vector read from the cache.
        again = settings.model_copy(update={"data_dir": work / "again"})
        cached.append(timed(lambda s=again: run_ingest(s)))
    return {
        "chunks": chunks,
        "full_s": statistics.median(full),
        "chunks_per_s": chunks / statistics.median(full),
        "noop_s": statistics.median(noop),
        "edit_s": statistics.median(edit),
        "cached_s": statistics.median(cached),
    }


def bench_formats(root: Path, kinds: list[str], repeat: int, models_dir: Path) -> None:
    import shutil

    from bench.formats import documents

    real = REPO / "eval" / "real-pages" / "corpus"
    folders = {"md": real}
    if set(kinds) - {"md"}:
        folders |= {suffix[1:]: folder for suffix, folder in documents(real, root / "documents").items()}
    print(f"\n{'format':<7} {'articles':>8} {'chunks':>7} {'reading':>9} {'ingest':>8} {'articles/s':>11} {'vs md':>6}")
    base = None
    for kind in kinds:
        corpus = root / f"as-{kind}"
        shutil.copytree(folders[kind], corpus, ignore=shutil.ignore_patterns("organizations.yaml"))
        reading, full, chunks, articles = [], [], 0, 0
        for r in range(repeat):
            settings = Settings(_env_file=None, data_dir=root / f"{kind}-{r}", corpus_dir=corpus, models_dir=models_dir)  # type: ignore[call-arg]
            reading.append(timed(lambda s=settings: load_corpus(s.corpus_dir, s.read_limit)))
            full.append(timed(lambda s=settings: run_ingest(s)))
            report = run_ingest(settings)
            chunks, articles = report.chunks, report.articles
        seconds = statistics.median(full)
        base = base or seconds
        print(
            f"{kind:<7} {articles:>8} {chunks:>7} {statistics.median(reading):>7.2f} s {seconds:>6.2f} s"
            f" {articles / seconds:>11.1f} {seconds / base:>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,16,100", help="corpus copies to try")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="md,html,pdf,docx", help="article formats to compare ('' for none)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        root = Path(tmp)
        settings = Settings(_env_file=None, data_dir=root / "model", models_dir=root / "models")  # type: ignore[call-arg]
        built = timed(lambda: load_query_embeddings(settings))
        print(f"model build + load: {built:.1f} s (once per models dir / process)")
        make_corpus(root / "warm-up" / "corpus", 1)
        warm = settings.model_copy(
            update={"data_dir": root / "warm-up" / "data", "corpus_dir": root / "warm-up" / "corpus"}
        )
        print(f"first ingest in a process (63 chunks, untimed below): {timed(lambda: run_ingest(warm)):.1f} s")

        if args.formats:
            bench_formats(root, args.formats.split(","), args.repeat, root / "models")
        rows = [bench_size(root, int(n), args.repeat, root / "models") for n in args.sizes.split(",") if n]
        if rows:
            heads = (
                f"{'chunks':>7} {'full ingest':>12} {'chunks/s':>9} {'no-op':>8} {'one edit':>9} {'no-op/full':>11}"
                f" {'rebuild, cached':>16}"
            )
            print(f"\n{heads}")
            for row in rows:
                print(
                    f"{row['chunks']:>7} {row['full_s']:>10.2f} s {row['chunks_per_s']:>9.0f} {row['noop_s']:>6.2f} s"
                    f" {row['edit_s']:>7.2f} s {row['noop_s'] / row['full_s']:>11.2f} {row['cached_s']:>14.2f} s"
                )

        work = root / "cli"
        make_corpus(work / "corpus", 1)
        env = {
            "HOTLINE_DATA_DIR": str(work / "data"),
            "HOTLINE_CORPUS_DIR": str(work / "corpus"),
            "HOTLINE_MODELS_DIR": str(root / "models"),
            "PATH": "/usr/bin:/bin",
        }
        command = [sys.executable, "-m", "ingest", "--quiet"]
        subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True)
        runs = [
            timed(lambda: subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True))
            for _ in range(args.repeat)
        ]
        noop = statistics.median(runs)
        print(f"\n`python -m ingest` with nothing to do, whole process: {noop:.2f} s (median of {args.repeat})")


if __name__ == "__main__":
    main()
