"""Load benchmark: N concurrent chat users against the real page, through gradio_client.

    python bench/load.py [--users 1,4,16] [--seconds 15] [--runs 3] [--inflate 20] [--modes embedded,server]
                         [--checkout DIR ...] [--url URL] [--via page,api]

Without --url it starts ``python app.py`` on a free loopback port over a temporary index built from the
repository's corpus, once per mode: ``embedded`` (Chroma on disk in the data dir) and ``server`` (a
``chroma run`` on another loopback port, which the page reaches over HTTP), and stops them afterwards.
Each user is one gradio_client session (``--via page``) or one HTTP client of ``POST /api/v1/answer``
(``--via api``; ``page,api`` measures both on the same server, row by row) asking the evaluation's
questions in turn, as fast as answers come, for --seconds; every answer is checked to be one (an
assistant message, or an Answer's JSON), and errors are counted.
Printed per N: answers per second, p50/p95 latency of one whole chat call (queue, answer, streaming),
errors, and the page process's resident memory (now and its peak, from /proc). The users run in this
process's threads, on the same machine as the server: on 2 cores the two compete, so read the figures as
ratios between N, not as the server's capacity.

The steps are run ``--runs`` times over one page, and after each run ``--inflate`` more sessions restore
the largest conversation a client can send (10 000 turns of long questions, as the abuse probe did):
the page's memory after each run shows whether sessions are bounded (a page that keeps whatever it is
sent grows by the inflated sessions and by every user's ever longer history). ``--checkout DIR`` (any
number of times) runs the same over another checkout's ``app.py`` (a ``git worktree`` of an older
commit), one after the other in the same run, so that variants are compared on the same machine state.
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
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.cases import load_cases  # noqa: E402
from hotline.config.settings import Settings  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"{url} did not come up; see {log}") from None
            time.sleep(0.5)


def start_chroma(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``chroma run`` on a free loopback port, its data under ``workdir``."""
    port = free_port()
    log = workdir / "chroma.log"
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(workdir / "chroma-server"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/api/v2/heartbeat", process, log)
    return process, url


def app_env(workdir: Path, corpus: Path, chroma_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        HOTLINE_DATA_DIR=str(workdir / "data"),
        HOTLINE_CORPUS_DIR=str(corpus),
        HOTLINE_MODELS_DIR=str(Settings().model_dir),
    )
    if chroma_url:
        env["HOTLINE_CHROMA_URL"] = chroma_url
    return env


def start_app(workdir: Path, env: dict[str, str], checkout: Path = REPO) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = workdir / "app.log"
    process = subprocess.Popen(
        [sys.executable, str(checkout / "app.py"), "--port", str(port)],
        env={**env, "PYTHONPATH": str(checkout)},
        cwd=checkout,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    wait_for(url, process, log)
    return process, url


def resident_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) memory of a process, in MB (Linux /proc)."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def inflate(url: str, sessions: int) -> None:
    """``sessions`` new sessions that each restore a 10 000-turn conversation (~7 MB, what the page's
    private ``restore`` event took from any client). No question follows: on a page that kept it, one
    question would take ~15 s."""
    import uuid

    import httpx

    turn = {"question": "а для Питера?", "answer": "ответ " * 100, "cited": [], "standalone": "", "messages": [1]}
    flood = {"messages": [{"role": "user", "content": "а для Питера?"}] * 10_000, "turns": [turn] * 10_000}
    with httpx.Client(base_url=url, timeout=600) as client:
        config = client.get("config").json()
        index = {d.get("api_name"): i for i, d in enumerate(config["dependencies"])}
        for _ in range(sessions):
            session = uuid.uuid4().hex
            for name, data in (("restore", [flood]),):
                body = {"data": data, "fn_index": index[name], "session_hash": session, "event_data": None}
                if client.post("gradio_api/queue/join", json=body).status_code != 200:
                    continue  # refused at the door: nothing kept
                with client.stream("GET", "gradio_api/queue/data", params={"session_hash": session}) as events:
                    for line in events.iter_lines():
                        if "process_completed" in line:
                            break


def ask_page(url: str) -> tuple[Callable[[str], bool], Callable[[], None]]:
    """One chat user through gradio_client: (ask a question → whether an answer came, close)."""
    from gradio_client import Client

    client = Client(url, verbose=False)

    def ask(question: str) -> bool:
        messages = client.predict(question, api_name="/chat")[0]
        return any(m["role"] == "assistant" for m in messages)

    return ask, client.close


def ask_api(url: str) -> tuple[Callable[[str], bool], Callable[[], None]]:
    """One client of the HTTP API (``POST /api/v1/answer``): (ask → whether an answer came, close)."""
    import httpx

    client = httpx.Client(base_url=url, timeout=60)

    def ask(question: str) -> bool:
        reply = client.post("api/v1/answer", json={"question": question})
        return reply.status_code == 200 and "answered" in reply.json()

    return ask, client.close


CLIENTS = {"page": ask_page, "api": ask_api}


def run(url: str, users: int, seconds: float, questions: list[str], via: str = "page") -> dict[str, float]:
    clients = [CLIENTS[via](url) for _ in range(users)]
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(n: int, client: tuple[Callable[[str], bool], Callable[[], None]]) -> None:
        nonlocal errors
        i = n
        while time.monotonic() < stop:
            question = questions[i % len(questions)]
            i += users
            started = time.perf_counter()
            try:
                ok = client[0](question)
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
    for _, close in clients:
        close()
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
    parser.add_argument("--runs", type=int, default=3, help="times the steps run over one page (memory over runs)")
    parser.add_argument("--inflate", type=int, default=20, help="sessions flooded with history after each run")
    parser.add_argument("--modes", default="embedded,server", help="embedded, server, or both")
    parser.add_argument("--checkout", action="append", default=[], help="also measure this checkout's app.py")
    parser.add_argument("--url", help="a running page instead of starting one")
    parser.add_argument("--via", default="page", help="page (gradio_client), api (POST /api/v1/answer), or both")
    args = parser.parse_args()
    questions = [case.question for case in load_cases(REPO / "eval" / "cases.yaml") if len(case.turns) == 1]
    print(f"{len(questions)} questions, {args.seconds:.0f} s per step, {args.runs} runs, {args.inflate} inflated")
    header = (
        f"{'page':<10} {'mode':<9} {'via':<4} {'run':>3} {'users':>5} {'requests':>9} {'req/s':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8}"
    )
    print(f"{header} {'errors':>7} {'page RSS / peak MB':>19}")
    checkouts = [("this", REPO)] + [(Path(c).name, Path(c).resolve()) for c in args.checkout]
    for name, checkout in [("given", REPO)] if args.url else checkouts:
        for mode in ["given"] if args.url else args.modes.split(","):
            measure(args, questions, name, checkout, mode)


def measure(args: argparse.Namespace, questions: list[str], name: str, checkout: Path, mode: str) -> None:
    """The runs over one page (started from ``checkout`` in ``mode``, or the one at ``--url``)."""
    with tempfile.TemporaryDirectory(prefix="hotline-load-") as tmp:
        work = Path(tmp)
        processes: list[subprocess.Popen[bytes]] = []
        try:
            if args.url:
                url = args.url
            else:
                chroma_url = None
                if mode == "server":
                    chroma, chroma_url = start_chroma(work)
                    processes.append(chroma)
                app, url = start_app(work, app_env(work, REPO / "corpus", chroma_url), checkout)
                processes.append(app)
            run(url, 1, 2.0, questions)  # warm-up: model, index, caches
            after: list[float] = []
            for n in range(1, args.runs + 1):
                for users in (int(u) for u in args.users.split(",")):
                    for via in args.via.split(","):  # the page and the API side by side, on one server
                        r = run(url, users, args.seconds, questions, via)
                        memory = "" if args.url else "{:>10.0f} / {:<6.0f}".format(*resident_mb(processes[-1].pid))
                        print(
                            f"{name:<10} {mode:<9} {via:<4} {n:>3} {users:>5} {r['requests']:>9.0f} {r['rps']:>7.1f} "
                            f"{r['p50']:>8.0f} {r['p95']:>8.0f} {r['errors']:>7.0f} {memory}",
                            flush=True,
                        )
                if args.inflate:
                    inflate(url, args.inflate)
                if not args.url:
                    after.append(resident_mb(processes[-1].pid)[0])
            if after:
                runs, growth = " → ".join(f"{mb:.0f}" for mb in after), after[-1] / after[0] - 1
                print(f"{name:<10} {mode:<9} RSS after each run: {runs} MB ({growth:+.1%} over the first)")
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
