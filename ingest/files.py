"""Which files of the corpus folder are articles, and one line for everything there that cannot be one.

A corpus folder is edited by people and tools, so it holds more than articles: editor swap files and
``.git`` (hidden: passed over in silence), other types, links, and now and then something no article
can be (a named pipe, which would block the ingest for good if opened; a folder named ``x.md``; a link
that loops or leads nowhere; a folder the ingest may not read). Each of those gets one line rather than
vanishing: an unreadable subfolder had dropped its sixteen articles from the index with only "removed
16" to show for it. A folder that cannot be read is a problem that covers every article under it, so
they keep their indexed chunks, as an unreadable file does (:func:`ingest.pipeline`'s ``_keep_unreadable``).

``os.walk`` rather than ``Path.rglob``: ``rglob`` leaves out a folder it may not read, and everything
that is not a regular file, without a word.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ingest.problems import Problem

SUFFIXES = (".md", ".txt", ".html", ".htm", ".pdf", ".docx")  # the last four made Markdown by ingest.formats
NOT_A_FILE = "not a regular file (a pipe, socket or device), never opened"


REGISTRY_FILE = "organizations.yaml"  # beside the articles: corrections to the organisation registry


def article_files(corpus_dir: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(the article files under ``corpus_dir`` with their paths relative to it, in path order; the
    problems met: folders that cannot be read, links and things that are not articles)."""
    root = corpus_dir.resolve()
    files: list[tuple[Path, str]] = []
    problems: list[Problem] = []

    def unreadable(error: OSError) -> None:
        rel = Path(error.filename or corpus_dir).relative_to(corpus_dir).as_posix()
        why = f"cannot be read ({error.strerror or error}); the articles in it stay as they were indexed"
        problems.append(Problem(rel + "/", why, kind="folder_unreadable", folder=True))

    for folder, folders, names in os.walk(corpus_dir, onerror=unreadable):
        base = Path(folder)
        for name in sorted(folders):
            if name.startswith("."):
                folders.remove(name)  # .git and the like are not walked
            elif (base / name).is_symlink():
                rel = (base / name).relative_to(corpus_dir).as_posix()
                problems.append(
                    Problem(rel, "a link to a folder, not followed (copy the folder in instead)", kind="link_folder")
                )
            elif Path(name).suffix.lower() in SUFFIXES:
                rel = (base / name).relative_to(corpus_dir).as_posix()
                problems.append(
                    Problem(
                        rel,
                        "a folder, not an article (the articles in it are read)",
                        kind="folder_named",
                        skipped=False,
                    )
                )
        for name in names:
            if name.startswith("."):
                continue  # editor swap files, .DS_Store
            path = base / name
            rel = path.relative_to(corpus_dir).as_posix()
            if rel == REGISTRY_FILE:
                continue  # the maintainer's registry corrections (ingest/registry_file.py), not an article
            problem = _not_an_article(path, rel, root)
            if problem is not None:
                problems.append(problem)
            else:
                files.append((path, rel))
    return sorted(files, key=lambda f: f[1]), problems


def _not_an_article(path: Path, rel: str, root: Path) -> Problem | None:
    """Why the file at ``path`` is not read as an article, or None when it is one to read."""
    try:
        target = path.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError):  # a link that loops (ELOOP) or whose target is gone
        return Problem(rel, "a link that leads nowhere (its target is missing, or it loops)", kind="broken_link")
    if not target.is_relative_to(root):
        # A link out of the corpus (to /etc/passwd, to someone's notes) would be quoted to every user.
        return Problem(rel, "a link to a file outside the corpus folder (copy the file in instead)", kind="outside")
    if path.suffix.lower() not in SUFFIXES:
        return Problem(rel, f"not an article (only {', '.join(SUFFIXES)} files are read)", kind="type")
    if not stat.S_ISREG(mode):  # os.walk lists folders (links to them too) apart: this is a pipe, a socket…
        return Problem(rel, NOT_A_FILE, kind="not_a_file")
    return None
