"""What the chat says it covers, read from the live index: the organisations its articles are about, the
best covered first. A person learns what to ask before a question fails, and a deployment on other
articles says its own names with no edit (only the words around them are in ``prompts/page.yaml``)."""

from __future__ import annotations

from hotline.index.view import SnapshotView
from hotline.wording import counted, page_wording

NAMED = 12  # names shown before "и ещё N": a line or two on a phone, at hundreds of organisations too


def covered(view: SnapshotView) -> list[str]:
    """The organisations that have articles of their own, most chunks first (then by name): a company
    only quoted in another's roundup is not what the knowledge base is about."""
    own = [r for r in view.registry if r.articles]
    return [r.name for r in sorted(own, key=lambda r: (-r.chunks, r.name.casefold()))]


def coverage_line(names: list[str]) -> str:
    """One line of Markdown: "Статьи о 14 организациях: Ozon, … и ещё 2." (an empty index says so)."""
    say = page_wording()["chat"]["covers"]
    if not names:
        return say["nothing"]
    shown = ", ".join(names[:NAMED])
    more = say["more"].format(count=len(names) - NAMED) if len(names) > NAMED else ""
    return say["line"].format(organizations=counted(len(names), "organization_about"), names=shown, more=more)
