"""The commands a user types are console scripts, with --help in argparse's usual shape (issue 26)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
