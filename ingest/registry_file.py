"""The maintainer's corrections to the organisation registry: ``organizations.yaml`` beside the articles.

Names are inferred where front matter does not declare them, and an inference can be wrong: a product
taken for a company, two spellings of one name that normalisation cannot join, one article about the wrong
organisation. The optional file says what is true, in a list of entries of three shapes::

    - name: Кедр Банк            # an organisation: its name, other names people use, its articles
      aliases: [КБ, Kedr Bank]   #   (the names and the articles' own names are then this one)
      articles: [kedr.md]        #   (these articles are about it, whatever they say or infer)
    - same: [Озон, Ozon Global]  # one organisation, by the first name (a merge)
    - not: [Справочник]          # not an organisation: an article about it is about no one

An article declared under one organisation that front matter or inference gave another is split off it.
The file is read at each ingest: change it, re-ingest, and the registry follows (nothing is re-embedded:
whom an article is about lives in the snapshot's article list). A malformed file is reported in one line
and ignored whole, so that a typo never changes whom the articles are about halfway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from hotline.language.names import name_key
from ingest.files import REGISTRY_FILE as FILE_NAME
from ingest.load import Article
from ingest.problems import Problem

MAX_BYTES = 1_000_000
MAX_NAME_CHARS = 120


@dataclass(frozen=True)
class Corrections:
    names: dict[str, tuple[str, tuple[str, ...]]]  # a name's key -> (the name, its aliases)
    articles: dict[str, str]  # article path -> the organisation it is about
    refused: frozenset[str]  # keys of names that are no organisation's


def apply(articles: Sequence[Article], corpus_dir: Path) -> tuple[list[Article], list[Problem]]:
    """``articles`` with the corrections of ``corpus_dir/organizations.yaml`` applied (as they are when
    there is no such file), and a problem when the file cannot be used."""
    path = corpus_dir / FILE_NAME
    if not path.is_file():
        return list(articles), []
    try:
        corrections = read(path)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        why = f"the registry corrections were not applied: {str(exc).splitlines()[0][:200]}"
        return list(articles), [Problem(FILE_NAME, why, skipped=True, kind="registry_file")]
    return [_corrected(a, corrections) for a in articles], []


def read(path: Path) -> Corrections:
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES} bytes")
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError("not a list of entries")
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    owners: dict[str, str] = {}
    refused: set[str] = set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or len(set(entry) & {"name", "same", "not"}) != 1:
            raise ValueError(f"entry {n}: give one of name, same or not")
        if "not" in entry:
            refused |= {name_key(x) for x in _names(entry["not"], n)}
            continue
        listed = _names(entry.get("same") or [entry.get("name")], n)
        name, aliases = listed[0], (*listed[1:], *_names(entry.get("aliases", []), n, required=False))
        for key in {name_key(x) for x in (name, *aliases)}:
            names[key] = (name, tuple(dict.fromkeys(aliases)))
        for article in _names(entry.get("articles", []), n, required=False):
            owners[article] = name
    return Corrections(names, owners, frozenset(refused))


def _names(value: Any, n: int, required: bool = True) -> list[str]:
    values = value if isinstance(value, list) else [value]
    fine = all(isinstance(v, str) and 0 < len(v.strip()) <= MAX_NAME_CHARS for v in values)
    if (required and not values) or not fine:
        raise ValueError(f"entry {n}: names are non-empty strings of at most {MAX_NAME_CHARS} characters")
    return [" ".join(v.split()) for v in values]


def _corrected(article: Article, corrections: Corrections) -> Article:
    organization = corrections.articles.get(article.path, article.organization)
    if not organization:
        return article
    if organization != article.organization:  # split off: its old names are not the new one's
        article = replace(article, aliases=())
    if name_key(organization) in corrections.refused:
        return replace(article, organization="", aliases=())
    # The file may declare the article's name, or one of its own other names.
    keys = [name_key(n) for n in (organization, *article.aliases)]
    key = next((k for k in keys if k in corrections.names), None)
    if key is None:
        return replace(article, organization=organization)
    name, aliases = corrections.names[key]
    return replace(article, organization=name, aliases=tuple(dict.fromkeys([*aliases, *article.aliases])))
