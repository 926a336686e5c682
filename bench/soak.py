"""Soak: 16 users ask while the articles change and ingests run, for a bounded time, on loopback only.

    python bench/soak.py [--users 16] [--seconds 60] [--mode embedded|server]

The page runs over a temporary copy of the corpus. Users ask the evaluation's one-turn questions that
expect phones (``must_phones``); an answer is *wrong* when one of those phones is missing or a phone
appears that no article holds, an *error* when the call fails or returns no answer. Meanwhile another
process edits an article (a sentence added, then taken out: the asked facts never change) and runs
``python -m ingest`` again and again. Printed: requests, errors, wrong answers (both must be 0),
ingests done, and latency p50/p95. Questions the page answers wrong when it is quiet are left out (and counted):
the soak measures what concurrency does, not the answerer's misses.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from load import app_env, start_app, start_chroma  # noqa: E402

from eval.cases import load_cases  # noqa: E402
from hotline.language.phones import find_phones, normalize_phone  # noqa: E402


def answer_text(client: Any, question: str) -> str:
    messages = client.predict(question, api_name="/chat")[0]
    answer = next(m for m in reversed(messages) if m["role"] == "assistant" and not (m.get("metadata") or {}))
    return "".join(part.get("text", "") for part in answer["content"])


def answer_phones(client: Any, question: str) -> set[str]:
    return {p.e164 for p in find_phones(answer_text(client, question))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--mode", choices=("embedded", "server"), default="embedded")
    args = parser.parse_args()
    from gradio_client import Client

    cases = [
        (c.question, {normalize_phone(p) for p in c.must_phones})
        for c in load_cases(REPO / "eval" / "cases.yaml")
        if c.must_phones and len(c.turns) == 1
    ]
    known = {p.e164 for article in (REPO / "corpus").glob("*.md") for p in find_phones(article.read_text("utf-8"))}
    with tempfile.TemporaryDirectory(prefix="hotline-soak-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(REPO / "corpus", corpus)
        processes: list[subprocess.Popen[bytes]] = []
        chroma_url = None
        if args.mode == "server":
            chroma, chroma_url = start_chroma(work)
            processes.append(chroma)
        env = app_env(work, corpus, chroma_url)
        app, url = start_app(work, env)
        processes.append(app)
        # The soak measures what concurrency does to answers, not the answerer's misses: questions the
        # page gets wrong when nothing else runs are left out (and counted).
        quiet = Client(url, verbose=False)
        missed = [c for c in cases if not c[1] <= answer_phones(quiet, c[0])]
        quiet.close()
        cases = [c for c in cases if c not in missed]
        print(f"{len(cases)} questions ({len(missed)} answered wrong even when the page is quiet, left out)")
        stop = time.monotonic() + args.seconds
        lock = threading.Lock()
        latencies: list[float] = []
        counts = {"errors": 0, "wrong": 0, "ingests": 0, "ingest_failures": 0}
        wrong_examples: list[str] = []

        def user(n: int) -> None:
            client = Client(url, verbose=False)
            i = n
            while time.monotonic() < stop:
                question, expected = cases[i % len(cases)]
                i += args.users
                started = time.perf_counter()
                try:
                    text = answer_text(client, question)
                    phones = {p.e164 for p in find_phones(text)}
                    bad = not expected <= phones or bool(phones - known)
                    error = False
                except Exception as exc:  # counted: the soak's figure is how many fail
                    error, bad, text = True, False, repr(exc)
                with lock:
                    latencies.append(time.perf_counter() - started)
                    counts["errors"] += error
                    counts["wrong"] += bad
                    if (bad or error) and len(wrong_examples) < 5:
                        wrong_examples.append(f"{question!r} -> {text[:200]!r}")
            client.close()

        def ingester() -> None:
            article = corpus / "ozon-complaint.md"
            original = article.read_text(encoding="utf-8")
            n = 0
            while time.monotonic() < stop:
                n += 1
                edited = original + f"\n\nОбновление статьи номер {n}.\n" if n % 2 else original
                article.write_text(edited, encoding="utf-8")
                done = subprocess.run(
                    [sys.executable, "-m", "ingest", "--quiet", "--wait", "60"],
                    env=env,
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                )
                with lock:
                    counts["ingests"] += 1
                    counts["ingest_failures"] += done.returncode != 0
                    if done.returncode:
                        wrong_examples.append(f"ingest failed: {done.stderr.strip()[-300:]}")

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        threads.append(threading.Thread(target=ingester))
        began = time.perf_counter()
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=30)
        wall = time.perf_counter() - began
        ordered = sorted(latencies)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"{args.mode}: {args.users} users, {wall:.0f} s: {len(ordered)} requests ({len(ordered) / wall:.1f}/s), "
            f"errors {counts['errors']}, wrong answers {counts['wrong']}, "
            f"ingests {counts['ingests']} ({counts['ingest_failures']} failed), "
            f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )
        for example in wrong_examples:
            print("  " + example)
        if counts["errors"] or counts["wrong"] or counts["ingest_failures"]:
            sys.exit(1)


if __name__ == "__main__":
    main()
