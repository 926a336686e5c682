"""``python app.py [--host 127.0.0.1] [--port 7860]``: the hotline page in the browser.

A thin layer over :mod:`hotline`: it builds components and wires events; every handler calls one library
function and formats its result. The page asks the same entry point as the command line and the
evaluation (:class:`hotline.bot.Hotline`); the full chat replaces this page in the UI issue.
"""

from __future__ import annotations

import argparse
import os
import sys

# Gradio reports usage to its servers unless told not to; hotline makes no call to the internet.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from hotline import HotlineError, Passage, Retriever, Settings
from hotline.cli import run_command
from ingest import ensure_index

MAX_QUESTION_CHARS = 2000


def format_passages(passages: list[Passage]) -> str:
    if not passages:
        return "В источниках ничего не нашлось."
    blocks = []
    for n, passage in enumerate(passages, 1):
        quote = "\n".join(f"> {line}" if line else ">" for line in passage.text.splitlines())
        blocks.append(f"**[{n}] {passage.heading}**\n\n{quote}")
    return "\n\n".join(blocks)


def build(settings: Settings) -> gr.Blocks:
    retriever = Retriever(settings)

    def search(question: str) -> str:
        question = (question or "").strip()[:MAX_QUESTION_CHARS]
        if not question:
            return "Задайте вопрос, например: «Какой телефон у поддержки Ozon Card?»"
        try:
            return format_passages(retriever.search(question))
        except HotlineError as exc:
            return f"База знаний недоступна: {exc}"

    with gr.Blocks(title="hotline", analytics_enabled=False) as demo:
        gr.Markdown("# hotline\nПоиск по статьям о поддержке магазина: телефоны, адреса, куда жаловаться.")
        question = gr.Textbox(
            label="Вопрос", placeholder="Как позвонить в поддержку из Москвы?", max_length=MAX_QUESTION_CHARS
        )
        ask = gr.Button("Найти", variant="primary")
        answer = gr.Markdown(elem_id="answer")
        gr.on([question.submit, ask.click], search, inputs=question, outputs=answer, api_name="search")
    return demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    args = parser.parse_args(argv)

    def serve() -> int:
        settings = Settings()
        ensure_index(settings, progress=sys.stderr.isatty())
        demo = build(settings)
        demo.queue(default_concurrency_limit=4).launch(server_name=args.host, server_port=args.port, quiet=True)
        return 0

    return run_command(serve, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
