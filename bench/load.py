"""Load benchmark: N concurrent chat users against the real page, through gradio_client.

    python bench/load.py [--users 1,4,16] [--seconds 15] [--url URL]

Without --url it starts ``python app.py`` on a free loopback port over a temporary copy of the index
(built from the repository's corpus), and stops it afterwards. Each user is one gradio_client session
asking the evaluation's questions in turn, as fast as answers come, for --seconds; every answer is
checked to be one (an assistant message), and errors are counted. Printed per N: answers per second,
p50/p95 latency of one whole chat call (queue, answer, streaming), and errors. The users run in this
process's threads, on the same machine as the server: on 2 cores the two compete, so read the figures
as ratios between N, not as the server's capacity.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.cases import load_cases  # noqa: E402
from hotline.settings import Settings  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    base = Settings()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        HOTLINE_DATA_DIR=str(workdir / "data"),
        HOTLINE_CORPUS_DIR=str(REPO / "corpus"),
        HOTLINE_MODELS_DIR=str(base.model_dir),
    )
    port = free_port()
    log = (workdir / "app.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "app.py"), "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"the app did not start; see {workdir / 'app.log'}") from None
            time.sleep(0.5)


def run(url: str, users: int, seconds: float, questions: list[str]) -> dict[str, float]:
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(users)]
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(n: int, client: Client) -> None:
        nonlocal errors
        i = n
        while time.monotonic() < stop:
            question = questions[i % len(questions)]
            i += users
            started = time.perf_counter()
            try:
                messages = client.predict(question, api_name="/chat")[0]
                ok = any(m["role"] == "assistant" for m in messages)
            except Exception:  # counted, not raised: the figure is how many fail
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=user, args=(n, c)) for n, c in enumerate(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    for client in clients:
        client.close()
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000 if ordered else 0.0,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1,4,16")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--url", help="a running page instead of starting one")
    args = parser.parse_args()
    questions = [case.question for case in load_cases(REPO / "eval" / "cases.yaml") if len(case.turns) == 1]
    with tempfile.TemporaryDirectory(prefix="hotline-load-") as tmp:
        process, url = (None, args.url) if args.url else start_app(Path(tmp))
        try:
            run(url, 1, 2.0, questions)  # warm-up: model, index, caches
            print(f"{url}: {len(questions)} questions, {args.seconds:.0f} s per step")
            print(f"{'users':>5} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
            for users in (int(u) for u in args.users.split(",")):
                r = run(url, users, args.seconds, questions)
                print(
                    f"{users:>5} {r['requests']:>9.0f} {r['rps']:>7.1f} {r['p50']:>8.0f} {r['p95']:>8.0f} "
                    f"{r['errors']:>7.0f}"
                )
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
