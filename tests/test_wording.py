"""The wording files hold every word the code asks them for: a key renamed in ``prompts/page.yaml`` or in
the code fails here, not on a page in front of a maintainer."""

from __future__ import annotations

import re
from pathlib import Path

from hotline.config.settings import PROJECT_ROOT
from hotline.wording import counted, page_wording

READERS = ("app.py", "page/knowledge_base.py", "ingest/load.py", "ingest/upload.py")


def test_every_page_word_the_code_reads_is_in_page_yaml() -> None:
    words = page_wording()
    asked: set[tuple[str, str]] = set()
    for name in READERS:
        source = (PROJECT_ROOT / name).read_text(encoding="utf-8")
        # say = page_wording()["chat"] ... say["thinking"];  page_wording()["problems"]["kinds"]; _said("gone")
        sections = re.findall(r'say = page_wording\(\)\["(\w+)"\]', source)
        for section in sections:
            asked |= {(section, key) for key in re.findall(r'say\[["\'](\w+)["\']\]', source)}
        asked |= set(re.findall(r'page_wording\(\)\["(\w+)"\]\["(\w+)"\]', source))
        asked |= {("upload", key) for key in re.findall(r'_said\("(\w+)"', source)}
    assert asked, "the pattern no longer finds how the code reads its words"
    missing = [(s, k) for s, k in asked if k not in words.get(s, {}) and not any(k in w for w in words.values())]
    assert not missing


def test_plural_forms_follow_the_number() -> None:
    assert [counted(n, "chunk") for n in (1, 3, 5, 11, 21, 112)] == [
        "1 фрагмент",
        "3 фрагмента",
        "5 фрагментов",
        "11 фрагментов",
        "21 фрагмент",
        "112 фрагментов",
    ]
    assert Path(PROJECT_ROOT / "prompts" / "page.yaml").is_file()
