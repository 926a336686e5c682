"""An Answer as the chat page's answer card, in Markdown: the answer's facts and quotes with phones as
``tel:`` links and e-mails as ``mailto:``, its ``[n]`` marks as links to the source chips below it, and
one chip per source (title › section, date, site) that opens the cited passage with only the facts the
answer used in bold. No Gradio here; the page only places what this returns.

The plain "Источники:" list that ends an answer's text (for the command line and the API) is not part
of the card: it shows the answer's body, and the chips say the same as that list, checkably.

Everything that came from a person (the question) or from an article is HTML-escaped before it becomes
Markdown: an article or a question holding ``<script>`` shows it as text. (Gradio sanitises chat HTML as
well; escaping first means nothing depends on that.)
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from hotline.answer import Answer, Citation
from hotline.language.facts import EMAIL, STATED_KINDS, extract, merge_spans

# What Markdown can act on in one line of a person's text: emphasis, code, links, tables, strikethrough
from hotline.language.phones import find_phones

# What Markdown can act on in one line of a person's text: emphasis, code, links, tables, strikethrough
# anywhere, and a heading, quote, list or numbered list at its start. Nothing else is escaped, so that
# "Санкт-Петербург" and "8 (800)" reach a screen reader as typed.
MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]|~]")
MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+(?=[.)]))")
# A Markdown link or image in an answer's text: neither answerer makes one (the page adds tel: and mailto:
# links itself), so one there was written by a model that obeyed the question, and only its words stay.
FOREIGN_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
WEB_ADDRESS = re.compile(r"https?://[^\s;,<>\"'()]+")
CITATION_MARK = re.compile(r"\[(\d{1,2})\](?!\()")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
NOTE_CHARS = 40  # a source note beyond this is cut in its chip, and whole in the chip's tooltip


def escape(text: str) -> str:
    """Text that cannot open an HTML tag or entity, with its Markdown (the answer's "> " quotes) kept."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def verbatim(text: str) -> str:
    """A person's text shown as typed: no HTML, and no Markdown either (a link or a heading in a
    question stays text)."""
    inline = MARKDOWN_INLINE.sub(r"\\\g<0>", escape(text))
    return "\n".join(MARKDOWN_LINE_START.sub(r"\1\\\2", line) for line in inline.split("\n"))


def linkify(text: str) -> str:
    """``text`` (already escaped) with phones as tel: links and e-mails as mailto: links."""
    spans = [(p.start, p.end, f"[{p.raw}](tel:{p.e164})") for p in find_phones(text)]
    spans += [(m.start(), m.end(), f"[{m.group()}](mailto:{m.group().lower()})") for m in EMAIL.finditer(text)]
    for start, end, link in sorted(spans, reverse=True):
        if not _inside_link(text, start):
            text = text[:start] + link + text[end:]
    return text


def _inside_link(text: str, start: int) -> bool:
    return text.rfind("](", 0, start) > text.rfind(")", 0, start)


def answer_markdown(answer: Answer) -> str:
    """The answer card: its text (escaped, live links, ``[n]`` marks linked to their chips), then one
    chip per source."""
    numbers = {c.n for c in answer.citations}
    body = _marks(text_markdown(answer.body), numbers)
    return "\n\n".join(part for part in (body, sources_markdown(answer)) if part)


def text_markdown(body: str) -> str:
    """An answer's body (or the part streamed so far) for the chat bubble."""
    return linkify(escape(FOREIGN_LINK.sub(r"\1", body)))


def _marks(markdown: str, numbers: set[int]) -> str:
    """``[1]`` as a link to the first chip (the page's script opens it; without the script it is an
    anchor that goes nowhere, and the chip is right below)."""
    return CITATION_MARK.sub(lambda m: f"[\\[{m[1]}\\]](#source-{m[1]})" if int(m[1]) in numbers else m[0], markdown)


def sources_markdown(answer: Answer) -> str:
    """One chip per cited passage: ``<details>`` whose summary is title › section · date · site, and
    whose body is the passage with the answer's facts from it in bold."""
    passages = {p.id: p.text for p in answer.passages}
    used: dict[str, set[str]] = {}
    for fact in answer.facts:
        used.setdefault(fact.passage_id, set()).add(fact.normalized)
    return "\n\n".join(
        _chip(c, passages.get(c.passage_id, c.quote), used.get(c.passage_id, set())) for c in answer.citations
    )


def _chip(citation: Citation, passage: str, used: set[str]) -> str:
    heading = escape(_path(citation.title, citation.section))
    # Ingest already made images text; an index built before that may still hold one (a remote tracker).
    text = FOREIGN_LINK.sub(r"\1", passage) if "![" in passage else passage
    bold = _used_spans(text, citation.quote, used)
    summary = f'<span class="n">[{citation.n}]</span> {heading}{_provenance(citation)}'
    quoted = "\n".join(f"> {line}" for line in _highlight(text, bold))
    return f'<details class="source" data-n="{citation.n}"><summary>{summary}</summary>\n\n{quoted}\n\n</details>'


def _path(title: str, section: str) -> str:
    """title › section, once: an article whose first heading repeats its title ("Озон › Озон",
    "Контакты Озона › Контакты Озона: телефоны") shows the longer of the two alone."""
    if not section.strip():
        return title
    a, b = (" ".join(re.findall(r"\w+", t.casefold())) for t in (title, section))
    if a.startswith(b) or b.startswith(a):
        return section if len(b) > len(a) else title
    return f"{title} › {section}"


def _note(source: str) -> str:
    """A ``source`` note that is not a web address, cut at a word to what a chip's line holds ("seed:
    ozon-support-articles.txt, article 2 of 5 (lines 40–86)" took five lines on a phone); the whole note
    is the span's tooltip."""
    if len(source) <= NOTE_CHARS:
        return escape(source)
    cut = source[:NOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:·-– ")
    return f'<span title="{escape(source).replace(chr(34), "&quot;")}">{escape(cut)}…</span>'


def _provenance(citation: Citation) -> str:
    """ " · 20.01.2026 · boochi.ru, pretenzia.com": what makes a source checkable (HTML: a chip's summary
    is not Markdown). Only http(s) addresses become links, by their site's name; any other ``source``
    note is shown as text."""
    parts = [_date(citation.updated)] if citation.updated else []
    urls = WEB_ADDRESS.findall(citation.source)
    if urls:
        parts.append(
            ", ".join(
                f'<a href="{_safe_url(u)}" target="_blank" rel="noopener">{escape(urlsplit(u).hostname or u)}</a>'
                for u in urls
            )
        )
    elif citation.source.strip():
        parts.append(_note(" ".join(citation.source.split())))
    return "".join(f" · {part}" for part in parts)


def _date(updated: str) -> str:
    """2026-01-20 as 20.01.2026, as Russian writes a date; anything else as written."""
    match = ISO_DATE.fullmatch(updated.strip())
    return f"{match[3]}.{match[2]}.{match[1]}" if match else escape(updated)


def _safe_url(url: str) -> str:
    """A URL that cannot end an attribute or a Markdown link early, or open HTML."""
    return quote(url, safe=":/?#[]@!$&*+,;=%-._~").replace("&", "&amp;")


def _used_spans(passage: str, quote: str, used: set[str]) -> list[tuple[int, int]]:
    """Where the answer's facts stand in the passage; for an answer without facts (a procedure), the
    quoted sentences. Only these are bold: the chip shows what the answer rests on, not every number."""
    if used:
        return merge_spans(
            (f.start, f.end) for f in extract(passage) if f.kind in STATED_KINDS and f.normalized in used
        )
    spans = []
    for piece in (p.strip() for p in quote.split(" … ")):
        at = passage.find(piece) if piece else -1
        if at >= 0:
            spans.append((at, at + len(piece)))
    return merge_spans(spans)


def _highlight(text: str, bold: list[tuple[int, int]]) -> list[str]:
    """The text's lines, escaped, with phones and e-mails as links and the ``bold`` spans in bold (each
    line of a span bold on its own: Markdown emphasis does not cross lines)."""
    out, at = [], 0
    for start, end in bold:
        out.append(linkify(escape(text[at:start])))
        out.append("\n".join(_bold(part) for part in text[start:end].split("\n")))
        at = end
    out.append(linkify(escape(text[at:])))
    return [line.strip() for line in "".join(out).split("\n")]


def _bold(text: str) -> str:
    """``text`` escaped, linked and in bold, with its outer spaces outside the asterisks (Markdown
    ignores ``** x**``)."""
    core = text.strip()
    if not core:
        return text
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}**{linkify(escape(core))}**{tail}"
