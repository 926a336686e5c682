"""Answer benchmark: latency of retrieval and of a whole answer, dense-only vs BM25-only vs hybrid.

    python bench/answer.py [--cases eval/cases.yaml] [--corpus DIR] [--repeat 3]
    python bench/answer.py --site 1000 --chunks 30000 --questions 300 --modes hybrid   # at scale

Every question of the case file (the last turn of each case, with its earlier turns as history) is
asked through ``Hotline.ask`` with each retrieval mode, over one index of the repository's corpus built
in a temporary dir, with the model and the index warm (one untimed pass first). Printed per mode:
p50/p95 of retrieval (analysis + search) and of the whole answer (condense, retrieval, answer, guard),
hit@5 of the passage holding the expected facts, and the eval pass rate. Compare modes within one run.

``--site N`` answers over a consumer-help site of N organisations (``eval/sitegen.py``, its own case
file) instead; ``--chunks M`` then pads its index to M chunks with copies of its chunks under new
article names (``pad<k>/…``), their vectors copied, not embedded again: at 37 chunks/s on this machine
embedding 30,000 chunks would take a quarter of an hour and says nothing about answering, which reads
the index as it is. The copies keep their articles' organisations, so the registry keeps its size and
every lookup, BM25 list and vector search runs over M chunks.

Also printed: the embedding of one new question alone (p50/p95, the model warm), and a whole cold
``python -m hotline "…"`` process over the built index, which is what a user of the command line waits
for: wall, CPU and peak memory, medians of three, with questions embedded under ONNX Runtime (the
default) and under torch (``HOTLINE_QUERY_ENCODER=torch``). ``--cold-only`` prints only those.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.cases import Case, load_cases  # noqa: E402
from eval.runner import corpus_phones  # noqa: E402
from eval.scoring import retrieval_rank, score  # noqa: E402
from eval.sitegen import main as generate  # noqa: E402
from hotline.answer import Turn  # noqa: E402
from hotline.config.settings import Settings  # noqa: E402
from hotline.index.store import IndexStore  # noqa: E402
from hotline.pipeline import Hotline  # noqa: E402
from hotline.search.retrieval import Retriever  # noqa: E402
from ingest import run_ingest  # noqa: E402

MODES = ("dense", "bm25", "hybrid")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def run_mode(bot: Hotline, cases: list[Case], repeat: int, phones: frozenset[str]) -> dict[str, float]:
    histories = {c.id: [Turn(t, bot.ask(t, []).text) for t in c.turns[:-1]] for c in cases}
    retrieval: list[float] = []
    whole: list[float] = []
    hits = scored = passed = 0
    for attempt in range(repeat + 1):
        bot.forget_questions()  # warm model and index, but each question costs a new one
        for case in cases:
            answer = bot.ask(case.question, histories[case.id])
            if attempt == 0:  # the warm-up pass: scored, not timed
                rank, counts = retrieval_rank(case, answer.passages[:5])
                hits += bool(counts and rank)
                scored += counts
                passed += score(case, answer, 0.0, phones).passed
                continue
            retrieval.append(answer.timings["retrieve_ms"])
            whole.append(answer.timings["total_ms"])
    return {
        "retrieve_p50": percentile(retrieval, 50),
        "retrieve_p95": percentile(retrieval, 95),
        "answer_p50": percentile(whole, 50),
        "answer_p95": percentile(whole, 95),
        "hit5": hits / max(scored, 1),
        "pass": passed / len(cases),
    }


def query_embedding_ms(retriever: Retriever, questions: list[str]) -> tuple[float, float]:
    """p50/p95 of embedding one question the encoder has not seen, the model warm."""
    retriever.encoder.query("прогрев")
    times = []
    for question in questions:
        retriever.encoder.forget_questions()
        started = time.perf_counter()
        retriever.encoder.query(question)
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50), percentile(times, 95)


def cold_cli(settings: Settings, question: str, encoder: str, runs: int = 3) -> tuple[float, float, float]:
    """Medians of a whole ``python -m hotline`` process over the built index, questions embedded by
    ``encoder`` (``HOTLINE_QUERY_ENCODER``): wall seconds, CPU seconds (user + system, all its threads) and
    peak resident MB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        HOTLINE_DATA_DIR=str(settings.data_dir),
        HOTLINE_CORPUS_DIR=str(settings.corpus_dir),
        HOTLINE_MODELS_DIR=str(settings.model_dir),
        HOTLINE_QUERY_ENCODER=encoder,
    )
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        # Measured by a small Python of its own: a child's peak RSS counts the memory of the process it was
        # forked from (Linux keeps the larger at exec), and this one holds the model and the index.
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, sys.executable, "-m", "hotline", question],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu, peak = json.loads(done.stdout.strip().splitlines()[-1])
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return statistics.median(walls), statistics.median(cpus), statistics.median(peaks)


MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024]))
"""


def pad_index(settings: Settings, chunks: int) -> int:
    """Copy the live index's chunks (texts, metadata, vectors) under new article names until it holds
    ``chunks``; returns the count."""
    store = IndexStore(settings)
    snapshot = store.snapshot()
    assert snapshot is not None
    collection = store.collection(snapshot.collection)
    got = collection.get(ids=sorted(snapshot.ids), include=["documents", "metadatas", "embeddings"])
    ids, articles = list(snapshot.ids), dict(snapshot.articles)
    copy = 0
    while len(ids) < chunks:
        copy += 1
        new_ids = [f"pad{copy}-{i}" for i in got["ids"]]
        metas = [{**m, "article": f"pad{copy}/{m.get('article', '')}"} for m in got["metadatas"]]
        for start in range(0, len(new_ids), 2000):
            end = start + 2000
            collection.add(
                ids=new_ids[start:end],
                documents=got["documents"][start:end],
                metadatas=metas[start:end],
                embeddings=got["embeddings"][start:end],
            )
        ids += new_ids
        articles.update({f"pad{copy}/{p}": replace(a, path=f"pad{copy}/{p}") for p, a in snapshot.articles.items()})
    store.commit(snapshot.collection, snapshot.model, ids, articles.values())
    store.close()
    return len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, default=REPO / "eval" / "cases.yaml")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the questions")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus", help="the articles (default: corpus/)")
    parser.add_argument("--site", type=int, default=0, help="a generated site of this many organisations")
    parser.add_argument("--chunks", type=int, default=0, help="pad the index to this many chunks (copies)")
    parser.add_argument("--questions", type=int, default=0, help="at most this many questions (0: all)")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold-only", action="store_true", help="only the cold command-line processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        if args.site:
            generate(["--out", str(Path(tmp) / "site"), "--seed", str(args.seed), "--organizations", str(args.site)])
            args.corpus, args.cases = Path(tmp) / "site" / "corpus", Path(tmp) / "site" / "cases.yaml"
        cases = load_cases(args.cases)
        if args.questions:
            cases = cases[:: max(1, len(cases) // args.questions)][: args.questions]
        base = Settings()
        settings = base.model_copy(
            update={"data_dir": Path(tmp) / "data", "corpus_dir": args.corpus, "models_dir": base.model_dir}
        )
        started = time.perf_counter()
        summary = run_ingest(settings, progress=False)
        chunks = summary.chunks
        print(f"ingest: {chunks} chunks in {time.perf_counter() - started:.0f} s")
        if args.chunks > chunks:
            chunks = pad_index(settings, args.chunks)
        if args.cold_only:
            args.modes, args.repeat = "", 0
        print(f"{len(cases)} questions from {args.cases.name}, {chunks} chunks, {args.repeat} timed passes")
        retriever = Retriever(settings)
        print(f"{'mode':<8} {'retrieve p50/p95 ms':>20} {'answer p50/p95 ms':>19} {'hit@5':>6} {'pass':>6}")
        for mode in filter(None, args.modes.split(",")):
            bot = Hotline(settings.model_copy(update={"retrieval": mode}), retriever)
            phones = corpus_phones(bot)
            r = run_mode(bot, cases, args.repeat, phones)
            print(
                f"{mode:<8} {r['retrieve_p50']:>9.1f} / {r['retrieve_p95']:<8.1f} {r['answer_p50']:>8.1f} / "
                f"{r['answer_p95']:<8.1f} {r['hit5']:>6.2f} {r['pass']:>6.1%}"
            )
        if not args.cold_only:
            p50, p95 = query_embedding_ms(retriever, [case.question for case in cases])
            print(f"\none new question's embedding, warm: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        retriever.close()
        print("\na cold `python -m hotline` process, medians of 3:")
        for encoder in ("onnx", "torch"):
            wall, cpu, peak = cold_cli(settings, cases[0].question, encoder)
            print(f"  questions by {encoder:<5}  wall {wall:.2f} s  CPU {cpu:.2f} s  peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
