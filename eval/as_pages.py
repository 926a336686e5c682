"""A corpus of Markdown articles as the web pages they were taken from: each article inside a site's page,
with what a site puts around it (a menu, breadcrumbs, "popular" links to other articles, a lawyer's advert
with its own number, readers' comments with numbers of their own, the editors' contacts in the footer).

Why: the HTML reader (``ingest.formats``, trafilatura) is judged by what it leaves out as much as by what it
keeps: the numbers around an article are other people's, and one that reached an answer would be a wrong
number said as the organisation's. Evaluating a case file on its corpus and on this rendering of it, side by
side, measures that. Three layouts, as sites are built: semantic HTML5 (a blog engine's), ``div`` soup with
class names (a news portal's, in windows-1251), and an old table layout. The front matter goes where a page
keeps it: the title in ``<title>`` after the site's name, the date and address in its meta tags;
``organization`` and ``aliases`` have no place in a page: a maintainer who keeps pages declares them in
the registry's corrections file, so that is where they go (``organizations.yaml``; ``--no-registry`` leaves
it out, and the ingest infers whom each page is about, as it would for pages nobody declared).

    python -m eval.as_pages eval/real-pages/corpus OUT_DIR
    python -m eval --cases eval/real-pages/cases.yaml --corpus OUT_DIR --out eval/out/real-pages-html

The surrounding numbers are invented, checked to be in no article, and listed in ``OUT_DIR/../chrome.json``
(beside the corpus, so the ingest does not read it) for a check that no answer says one.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from ingest import front_matter

# Other people's contacts, as sites print them around an article. Invented; ``render`` refuses a corpus
# that holds any of them, so that one in an answer can only have come from a page's surroundings.
ADVERT = ("Бесплатная консультация юриста по защите прав потребителей", "8 (800) 301-27-94")
EDITORS = ("+7 (495) 150-43-21", "redakciya@spravka-online.example")
COMMENTS = [
    ("Ирина", "Дозвонилась только по номеру 8-499-322-45-17, ждала минут двадцать."),
    ("Сергей К.", "У меня в итоге помог чат, а по телефону +7 (812) 407-19-66 никто не взял трубку."),
]
SITES = ["Справочник потребителя", "Куда звонить.ру", "Горячие линии России"]


def front_and_body(text: str) -> tuple[dict[str, Any], str]:
    """(title, source and updated, the text after the front matter), read as the ingest reads them."""
    meta, body, _ = front_matter.read(text)
    fields = {"title": meta.title, "source": meta.source, "updated": meta.updated, "organization": meta.organization}
    return {k: v for k, v in fields.items() if v} | ({"aliases": list(meta.aliases)} if meta.aliases else {}), body


def article_html(path: Path) -> tuple[str, str, dict[str, Any]]:
    """(title, the article's own HTML, its front matter)."""
    text = path.read_text(encoding="utf-8")
    meta, body = front_and_body(text)
    if path.suffix == ".txt":
        first, _, rest = body.strip().partition("\n")
        paragraphs = [p.strip() for p in rest.split("\n") if p.strip()]
        return first.strip(), "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs), meta
    title = meta.get("title", "")
    if not title and (heading := re.match(r"\s*# (.+)\n", body)):
        title, body = heading.group(1), body[heading.end() :]
    return title, MarkdownIt("commonmark").enable("table").render(body), meta


def semantic(site: str, title: str, content: str, meta: dict[str, Any], others: list[str]) -> str:
    popular = "".join(f"<li><a href='/a/{i}'>{html.escape(t)}</a></li>" for i, t in enumerate(others))
    comments = "".join(
        f"<div class='comment'><b>{html.escape(who)}</b><p>{html.escape(said)}</p></div>" for who, said in COMMENTS
    )
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>{html.escape(title)} — {site}</title>{_meta(meta)}</head><body>
<header><a href="/">{site}</a><nav><ul><li><a href="/banki">Банки</a></li><li><a href="/svyaz">Связь</a></li>
<li><a href="/magaziny">Магазины</a></li><li><a href="/kontakty">Контакты</a></li></ul></nav></header>
<div class="cookie">Мы используем cookie. <button>Согласен</button></div>
<main><nav class="breadcrumbs"><a href="/">Главная</a> › <a href="/spravka">Справка</a></nav>
<article><h1>{html.escape(title)}</h1><time datetime="{meta.get("updated", "")}">{meta.get("updated", "")}</time>
{content}</article>
<section class="comments"><h2>Комментарии</h2>{comments}</section></main>
<aside><h3>Популярное</h3><ul>{popular}</ul>
<div class="ad">{ADVERT[0]}: {ADVERT[1]}</div></aside>
<footer><p>© 2026 {site}. Редакция: {EDITORS[0]}, {EDITORS[1]}</p></footer></body></html>"""


def portal(site: str, title: str, content: str, meta: dict[str, Any], others: list[str]) -> str:
    popular = "".join(f"<div class='item'><a href='/n/{i}'>{html.escape(t)}</a></div>" for i, t in enumerate(others))
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>{site}: {html.escape(title)}</title>{_meta(meta)}</head><body><div id="wrapper">
<div class="top-menu"><a href="/">Новости</a> | <a href="/spravka">Справка</a> | <a href="/reklama">Реклама</a></div>
<div class="banner">{ADVERT[0]} — звоните {ADVERT[1]}</div>
<div class="content-main"><div class="post"><h1 class="post-title">{html.escape(title)}</h1>
<div class="post-date">{meta.get("updated", "")}</div><div class="post-body">{content}</div></div>
<div class="comments-block"><div class="c-head">Отзывы читателей</div>
{"".join(f"<div class='c'><span>{html.escape(w)}</span>: {html.escape(s)}</div>" for w, s in COMMENTS)}</div></div>
<div class="sidebar-right"><div class="widget-title">Читайте также</div>{popular}</div>
<div class="footer-bottom">{site} © 2026. Телефон редакции {EDITORS[0]}. Почта {EDITORS[1]}</div>
</div></body></html>"""


def tables(site: str, title: str, content: str, meta: dict[str, Any], others: list[str]) -> str:
    links = "<br>".join(f"<a href='/p{i}.html'>{html.escape(t)}</a>" for i, t in enumerate(others))
    return f"""<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>{_meta(meta)}</head>
<body><table width="100%"><tr><td colspan="2"><font size="5">{site}</font> — <a href="/">на главную</a></td></tr>
<tr><td width="200" valign="top"><b>Разделы</b><br>{links}<br><br><small>{ADVERT[0]}<br>{ADVERT[1]}</small></td>
<td valign="top"><h1>{html.escape(title)}</h1>{content}</td></tr>
<tr><td colspan="2"><small>© {site}, {EDITORS[0]}, {EDITORS[1]}</small></td></tr></table></body></html>"""


LAYOUTS = {"semantic": semantic, "portal": portal, "tables": tables}


def _meta(meta: dict[str, Any]) -> str:
    said = ""
    if source := meta.get("source", "").split(" ; ")[0].strip():
        said += f'<link rel="canonical" href="{html.escape(source)}"><meta property="og:url" content="{source}">'
    if updated := meta.get("updated"):
        said += f'<meta property="article:modified_time" content="{updated}">'
    return said


def chrome_numbers() -> list[str]:
    return [ADVERT[1], EDITORS[0], *(re.search(r"[+\d][\d() -]{9,}\d", s).group(0) for _, s in COMMENTS)]  # type: ignore[union-attr]


def render(corpus: Path, out: Path, registry: bool = True) -> dict[str, str]:
    """Write each article of ``corpus`` as a page under ``out``, and (with ``registry``) the organisations
    their front matter declared as ``out/organizations.yaml``; (file name → layout)."""
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".md", ".txt") and not p.name.startswith("."))
    digits = {re.sub(r"\D", "", n)[-10:] for n in chrome_numbers()}
    every = re.sub(r"\D", "", " ".join(p.read_text(encoding="utf-8") for p in files))
    if clash := [d for d in digits if d in every]:
        raise SystemExit(f"the corpus holds a number the pages' surroundings use ({clash}): change it here")
    titles = [article_html(p)[0] for p in files]
    out.mkdir(parents=True, exist_ok=True)
    used: dict[str, str] = {}
    declared: dict[str, dict[str, Any]] = {}
    for n, path in enumerate(files):
        title, content, meta = article_html(path)
        if organization := meta.get("organization"):
            entry = declared.setdefault(organization, {"name": organization, "aliases": [], "articles": []})
            entry["aliases"] += [a for a in meta.get("aliases", []) if a not in entry["aliases"]]
            entry["articles"].append(path.relative_to(corpus).with_suffix(".html").as_posix())
        layout = list(LAYOUTS)[int(hashlib.sha1(path.name.encode()).hexdigest(), 16) % len(LAYOUTS)]
        site = SITES[n % len(SITES)]
        others = [t for t in titles if t != title][n % 5 : n % 5 + 4]
        page = LAYOUTS[layout](site, title, content, meta, others)
        target = out / (path.relative_to(corpus).with_suffix(".html"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.encode("cp1251", errors="xmlcharrefreplace") if layout == "portal" else page.encode())
        used[target.name] = layout
    if registry and declared:
        text = yaml.safe_dump(list(declared.values()), allow_unicode=True, sort_keys=False)
        (out / "organizations.yaml").write_text(text, encoding="utf-8")
    (out.parent / "chrome.json").write_text(json.dumps([*chrome_numbers(), EDITORS[1]], ensure_ascii=False))
    return used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.as_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder of .md/.txt articles")
    parser.add_argument("out", type=Path, help="where the pages go (a new folder)")
    parser.add_argument("--no-registry", action="store_true", help="no organizations.yaml: names are inferred")
    args = parser.parse_args(argv)
    used = render(args.corpus, args.out, registry=not args.no_registry)
    print(f"{len(used)} pages in {args.out}: " + ", ".join(f"{k} {list(used.values()).count(k)}" for k in LAYOUTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
