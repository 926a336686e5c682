"""The README is what a person setting hotline up reads: its settings table lists every setting."""

from __future__ import annotations

import re

from hotline.config.settings import Settings

from .conftest import REPO


def test_every_setting_is_in_the_readmes_table() -> None:
    listed = set(re.findall(r"^\| `(HOTLINE_[A-Z_]+)` \|", (REPO / "README.md").read_text(encoding="utf-8"), re.M))
    assert listed == {f"HOTLINE_{name.upper()}" for name in Settings.model_fields}


def test_the_readmes_pictures_and_links_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(((?:docs/)[^)#]+)", readme):
        assert (REPO / target).is_file(), target
