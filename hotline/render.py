"""An Answer as Markdown for the chat page: phones as ``tel:`` links, e-mails as ``mailto:``, and the cited
passages with their facts in bold. No Gradio here; the page only places what this returns.

Everything that came from a person (the question) or from an article is HTML-escaped before it becomes
Markdown: an article or a question holding ``<script>`` shows it as text. (Gradio sanitises chat HTML as
well; escaping first means nothing depends on that.)
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from hotline.answer import Answer, Citation
from hotline.facts import EMAIL, STATED_KINDS, extract, find_phones, merge_spans

MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]()#+\-.!|>~]")
# A Markdown link or image in an answer's text: neither answerer makes one (the page adds tel: and mailto:
# links itself), so one there was written by a model that obeyed the question, and only its words stay.
FOREIGN_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
WEB_ADDRESS = re.compile(r"https?://[^\s;,<>\"'()]+")
TOO_LONG_NOTE = "Вопрос очень длинный: отвечаю на его первые {limit} символов."


def escape(text: str) -> str:
    """Text that cannot open an HTML tag or entity, with its Markdown (the answer's "> " quotes) kept."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def verbatim(text: str) -> str:
    """A person's text shown as typed: no HTML, and no Markdown either (a link or a heading in a
    question stays text)."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", escape(text))


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
    """The answer's text for the chat bubble: escaped, with live links."""
    return text_markdown(answer.text)


def text_markdown(text: str) -> str:
    """An answer's text (or the part streamed so far) for the chat bubble."""
    return linkify(escape(FOREIGN_LINK.sub(r"\1", text)))


def sources_markdown(answer: Answer) -> str:
    """The cited passages: article title, section, and the quote with its facts in bold and linked."""
    return "\n\n".join(_source(citation) for citation in answer.citations)


def sources_title(answer: Answer) -> str:
    n = len(answer.citations)
    return f"Источники ({n})" if n else "Источники"


def _source(citation: Citation) -> str:
    heading = escape(citation.title + (f" › {citation.section}" if citation.section else ""))
    # Ingest already made images text; an index built before that may still hold one (a remote tracker).
    said = FOREIGN_LINK.sub(r"\1", citation.quote) if "![" in citation.quote else citation.quote
    about = _provenance(citation)
    return f"**[{citation.n}] {heading}**{about}\n\n" + "\n".join(f"> {line}" for line in _highlight(said))


def _provenance(citation: Citation) -> str:
    """ " · обновлено 2026-01-20 · boochi.ru, pretenzia.com": what makes a source checkable. Only http(s)
    addresses become links (by their site's name); any other ``source`` note is shown as text."""
    parts = [f"обновлено {escape(citation.updated)}"] if citation.updated else []
    urls = WEB_ADDRESS.findall(citation.source)
    if urls:
        parts.append(", ".join(f"[{escape(urlsplit(u).hostname or u)}]({_safe_url(u)})" for u in urls))
    elif citation.source.strip():
        # Only what could make a link or emphasis is escaped: a screen reader would read "articles\.txt".
        parts.append("источник: " + re.sub(r"([\[\]()*_`\\])", r"\\\1", escape(citation.source.strip())))
    return "".join(f" · {part}" for part in parts)


def _safe_url(url: str) -> str:
    """A URL that cannot end the Markdown link early or open HTML."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%-._~")


def _highlight(quote: str) -> list[str]:
    """The quote's lines, escaped, with each fact in bold (phones and e-mails also as links)."""
    out, at = [], 0
    # Facts may overlap (hours inside an address's sentence): the union is bold once.
    for start, end in merge_spans((f.start, f.end) for f in extract(quote) if f.kind in STATED_KINDS):
        fact = quote[start:end].strip()
        out.append(escape(quote[at:start]) + f"**{linkify(escape(fact))}**" + escape(quote[start + len(fact) : end]))
        at = end
    out.append(escape(quote[at:]))
    return [line.strip() or "" for line in "".join(out).split("\n")]
