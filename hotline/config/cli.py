"""What every command line shares: errors become one clear line and an exit status, not a traceback."""

from __future__ import annotations

import argparse
import logging
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from hotline.config.errors import HotlineError


def command_parser(prog: str, description: str | None) -> argparse.ArgumentParser:
    """A command's argument parser, with the ``--debug`` (show tracebacks) that every command has. Its
    name is the one it was called by: ``hotline-ingest`` from the console script, ``python -m ingest``
    (``prog``) otherwise. ``description`` is a module docstring: its first paragraph, less the usage line
    it opens with, is the help's description, as argparse commands have one."""
    called = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(
        prog=called if called.startswith("hotline") else prog, description=_described(description)
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def _described(doc: str | None) -> str | None:
    """ "``python -m ingest […]``: bring the index in line with the corpus." → "Bring the index in line
    with the corpus." (the usage line argparse prints already)."""
    if not doc:
        return doc
    first = " ".join(doc.strip().split("\n\n")[0].split())
    first = re.sub(r"``([^`]*)``", r"\1", re.sub(r"^``[^`]*``:\s*", "", first))  # no reST in a terminal
    return first[:1].upper() + first[1:]


def build_index_apart(refusal: str = "the index could not be built (see the line above)") -> None:
    """Build the index with ``python -m ingest`` in a process of its own, its report and summary on this
    process's stderr (a command's stdout is its answer's alone). Apart, because the ingest's torch model
    (~900 MB) would otherwise stay in a page's memory for as long as it serves, and the library never
    imports the ingest. Raises ``refusal`` when it fails; the ingest has said why."""
    built = subprocess.run([sys.executable, "-m", "ingest"], stdout=subprocess.PIPE, text=True, check=False)
    print(built.stdout, end="", file=sys.stderr)
    if built.returncode != 0:
        raise HotlineError(refusal)


def run_command(body: Callable[[], int], debug: bool = False) -> int:
    """Run a command's body; a known error prints ``error: <what to do>`` and exits 1, Ctrl-C exits 130.

    With ``debug`` the traceback is shown too. An unexpected exception is a bug: it is reported as one
    line plus a hint to rerun with --debug, and logged in full.
    """
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return body()
    except HotlineError as exc:
        if debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:  # a bad HOTLINE_* value: name the variable and what it must be
        if debug:
            raise
        for error in exc.errors():
            name = "HOTLINE_" + "_".join(str(part) for part in error["loc"]).upper()
            print(f"error: {name}: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        logging.getLogger("hotline").debug("unexpected error", exc_info=True)
        print(f"error: unexpected {type(exc).__name__}: {exc} (rerun with --debug for details)", file=sys.stderr)
        return 1
