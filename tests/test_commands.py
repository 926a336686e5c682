"""The commands a user types are console scripts, with --help in argparse's usual shape (issue 26)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hotline import Settings
from ingest import run_ingest

from .conftest import REPO, subprocess_env

SCRIPTS = ["hotline", "hotline-ingest", "hotline-eval", "hotline-directory"]


@pytest.mark.slow
def test_each_command_is_a_console_script_whose_help_names_it() -> None:
    for script in SCRIPTS:
        found = Path(sys.executable).parent / script
        assert found.is_file(), f"{script} is not installed (pip install -e . makes it)"
        done = subprocess.run([str(found), "--help"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        usage, _, rest = done.stdout.partition("\n\n")
        assert usage.startswith(f"usage: {script} [-h] [--debug]"), usage
        description = rest.split("\n\n")[0]
        assert description[:1].isupper() and "``" not in description, description


HEAVY = (
    "ingest",
    "langchain_classic",
    "langchain_core",  # even the hashing encoder's base class (~0.1 s)
    "langchain_huggingface",  # the torch model's LangChain class (~0.3 s)
    "sklearn",
    "tokenizers",  # its trie of XLM-R's pieces: 0.48 s, 225 MB (hotline.index.e5_tokens)
    "torch",
    "sentence_transformers",
    "transformers",
)
PROBE = """
import json, runpy, sys
sys.argv = ["hotline", "телефон горячей линии Роспотребнадзора"]
try:
    runpy.run_module("hotline", run_name="__main__")
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


@pytest.mark.slow
def test_a_question_on_the_command_line_imports_neither_the_ingest_nor_torch_nor_scikit_learn(
    settings: Settings,
) -> None:
    """A command a support agent's script calls per question pays for its imports each time (issue 27): with
    an index there, the answer needs none of the ingest (LangChain's indexing), torch (questions are
    embedded by ONNX Runtime, tokenized by the written-out vocabulary), LangChain, or scikit-learn (the
    reader's head is arrays)."""
    run_ingest(settings)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=subprocess_env(settings), timeout=300
    )
    assert done.returncode == 0, done.stderr
    *answer, loaded = done.stdout.strip().splitlines()
    assert "Роспотребнадзор" in "\n".join(answer) or "8 800" in "\n".join(answer)
    assert sorted(set(json.loads(loaded)) & set(HEAVY)) == []


def test_the_page_imports_gradio_without_rewriting_its_type_stubs() -> None:
    """Gradio's import rewrites every component's .pyi stub, half of the page's start (page.gradio_stubs)."""
    probe = "import app, gradio.component_meta as m; print(m.create_or_modify_pyi.__name__, app.gr.Textbox.__name__)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["_nothing", "Textbox"]


def test_the_page_warms_what_gradios_first_event_would_load() -> None:
    """Gradio runs each event under its matplotlib backend switch, whose first use imported matplotlib's
    pyplot (0.39 s) inside the first user's first answer; the page's warm-up loads it instead."""
    probe = (
        "import sys, app; before = 'matplotlib.pyplot' in sys.modules; app.warm_event_path();"
        "print(before, 'matplotlib.pyplot' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_the_librarys_names_load_when_first_used() -> None:
    import hotline

    assert all(getattr(hotline, name).__name__ == name for name in hotline.__all__)
    with pytest.raises(AttributeError):
        hotline.Nope  # noqa: B018


@pytest.mark.slow
def test_a_question_over_a_fresh_data_dir_builds_the_index_apart_and_prints_only_the_answer(settings: Settings) -> None:
    """No index yet: `python -m ingest` builds it in a process of its own (the library never imports the
    ingest), its report on stderr; stdout holds the answer alone, so that --json stays JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "hotline", "телефон озон", "--json"],
        capture_output=True,
        text=True,
        env=subprocess_env(settings),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "234-70-00" in json.loads(done.stdout)["text"]
    assert "chunks" in done.stderr  # the ingest's summary line
