"""Prompt templates and every user-facing word (answers, the page, its refusals), kept as files in
``prompts/`` and loaded by name.

Loading checks that a template has the placeholders its caller will fill, so a template edited into
something the code cannot fill fails at start-up with a message, not in the middle of an answer.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hotline.config.errors import HotlineError
from hotline.config.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"


class PromptError(HotlineError):
    """A template is missing, malformed, or lacks a placeholder the code fills (said in one line at start-up)."""


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@lru_cache(maxsize=32)
def load_text(name: str, required: frozenset[str] = frozenset(), folder: Path = PROMPTS_DIR) -> str:
    """The template ``prompts/<name>``, checked to contain every placeholder in ``required``."""
    path = folder / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"prompt template {path} cannot be read: {exc.strerror or exc}") from exc
    missing = required - placeholders(text)
    if missing:
        raise PromptError(f"prompt template {path} lacks {', '.join('{' + m + '}' for m in sorted(missing))}")
    return text


@lru_cache(maxsize=32)
def load_yaml(name: str, folder: Path = PROMPTS_DIR) -> Any:
    path = folder / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PromptError(f"prompt file {path} cannot be read: {exc}") from exc


def wording(language: str) -> dict[str, Any]:
    """The words around an answer's facts and quotes (``prompts/extractive.yaml``), in ``language``
    (Russian when it has none)."""
    by_language: dict[str, dict[str, Any]] = load_yaml("extractive.yaml")
    return by_language.get(language) or by_language["ru"]


def page_wording() -> dict[str, Any]:
    """The page's own words (``prompts/page.yaml``): the chat, the knowledge base, an ingest's problems and
    an upload's refusals, in Russian."""
    words: dict[str, Any] = load_yaml("page.yaml")
    return words


def counted(n: int, noun: str) -> str:
    """``n`` with ``noun`` (a key of ``plurals`` in ``prompts/page.yaml``) in the form Russian gives that
    number: 1 статья, 3 статьи, 5 статей."""
    one, few, many = page_wording()["plurals"][noun]
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"
