"""An article's front matter, read with limits: what it may say, in what type and at what length.

Front matter comes from whoever writes or uploads an article, and YAML is a big language for five fields.
An alias bomb (``&a [x,x,…]`` nested nine deep, 394 bytes) expands to hundreds of millions of strings
when loaded and turned into text, and a list where a name belongs became a Python repr ("['Ozon',
'Озон']") that every answer then quoted. So the block is read as an event stream first (no alias is
ever expanded: an article has no use for them), held to :data:`MAX_BLOCK_CHARS`, and each known field
must be a scalar (a list of scalars for ``aliases``) of a sane length. An article that breaks one of
these is refused with one line naming the field; the value itself is never repeated back.

A block that is merely not YAML ("title: Банк «Ласточка»: служба поддержки", how people write titles)
is still read line by line, and any other malformed block costs its fields, not the article: only
a field that is there and wrong refuses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml

BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
FIELD_LINE = re.compile(r"^([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")  # front matter read line by line
LIST_LINE = re.compile(r"^[ \t]*-[ \t]+(.+)$")

MAX_BLOCK_CHARS = 10_000
# The longest value each field may have, in characters: a title is a line, an organisation a name.
MAX_CHARS = {"title": 300, "source": 2000, "updated": 40, "organization": 120}
MAX_ALIASES = 50
MAX_ALIAS_CHARS = 120
SCALAR = (str, int, float, bool, date)  # datetime is a date


class Refused(ValueError):
    """The front matter cannot be taken as it is; the message (one line, English) says which field and why,
    ``field`` names it ("" for the block as a whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FrontMatter:
    """The fields hotline reads, as text (``""`` / ``()`` when absent)."""

    title: str = ""
    source: str = ""
    updated: str = ""
    organization: str = ""
    aliases: tuple[str, ...] = ()


class _NoAliases(yaml.SafeLoader):
    """YAML's safe loader that refuses an alias when it meets one, before anything is expanded."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise Refused("front matter uses YAML aliases (*name), which articles may not")
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def read(text: str) -> tuple[FrontMatter, str, str | None]:
    """(the front matter, the body after it, a warning or None); :class:`Refused` when a field is of the
    wrong type or too long, the block too large, or it uses YAML aliases."""
    fields, body, warning = _fields(text)
    return _checked(fields), body, warning


def _fields(text: str) -> tuple[dict[object, object], str, str | None]:
    """(raw fields, body, warning). A block that is not YAML but reads as ``key: value`` lines yields
    those fields (with no warning when YAML failed on its syntax; with one when it failed on a value, a
    bad date). Any other malformed block yields no fields and a warning."""
    match = BLOCK.match(text)
    if not match:
        return {}, text, None
    block, body = match.group(1) or "", text[match.end() :]
    if len(block) > MAX_BLOCK_CHARS:
        raise Refused(f"front matter is longer than {MAX_BLOCK_CHARS} characters")
    try:
        meta = yaml.load(block, Loader=_NoAliases) or {}
    except Refused:
        raise
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:  # bad dates: ValueError
        lines = _field_lines(block)
        if lines is not None and isinstance(exc, yaml.YAMLError):
            return lines, body, None
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        if lines is not None:
            return lines, body, f"front matter is not valid YAML{line}; its fields were read line by line"
        return {}, body, f"front matter is not valid YAML{line}; title taken from the text"
    if not isinstance(meta, dict):
        return {}, body, "front matter is not a mapping of fields; title taken from the text"
    return meta, body, None


def _field_lines(block: str) -> dict[object, object] | None:
    """The block as ``key: value`` lines (each value plain text up to the line's end), or None when a
    line is not one, or a value opens YAML syntax (a list, a quote) that YAML could not read."""
    fields: dict[object, object] = {}
    items: list[str] | None = None  # the list a "key:" line with no value opens ("aliases:", then "- …")
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if items is not None and (item := LIST_LINE.match(line)):
            items.append(item.group(1).strip())
            continue
        field = FIELD_LINE.match(line)
        value = (field.group(2) or "").strip() if field else ""
        if field is None or value.startswith(("[", "{", "'", '"', "&", "*", "!", "|", ">")):
            return None
        items = [] if not value else None
        fields[field.group(1)] = items if items is not None else value
    return fields or None


def _checked(fields: dict[object, object]) -> FrontMatter:
    values = {name: _scalar(name, fields.get(name), limit) for name, limit in MAX_CHARS.items()}
    return FrontMatter(**values, aliases=_aliases(fields.get("aliases")))


def _scalar(name: str, value: object, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, SCALAR):
        raise Refused(f"front matter field '{name}' must be text, not a {_kind(value)}", name)
    text = value.isoformat() if isinstance(value, date) else " ".join(str(value).split())
    if len(text) > limit:
        raise Refused(f"front matter field '{name}' is {len(text)} characters long (at most {limit})", name)
    return text


def _aliases(value: object) -> tuple[str, ...]:
    """``aliases:`` as a list of names, or one comma-separated string."""
    if value is None:
        return ()
    if isinstance(value, SCALAR):
        items: list[object] = list(str(value).split(","))
    elif isinstance(value, list):
        items = value
    else:
        raise Refused(f"front matter field 'aliases' must be a list of names, not a {_kind(value)}", "aliases")
    if len(items) > MAX_ALIASES:
        raise Refused(f"front matter field 'aliases' lists {len(items)} names (at most {MAX_ALIASES})", "aliases")
    names = [_scalar("aliases", item, MAX_ALIAS_CHARS) for item in items]
    return tuple(dict.fromkeys(name for name in names if name))


def _kind(value: object) -> str:
    return "list" if isinstance(value, list) else "mapping" if isinstance(value, dict) else type(value).__name__
