"""Which reader makes the better Markdown of a web page, a PDF and a Word document, and how fast: ours
(``ingest.formats``: trafilatura, pypdf, python-docx) beside markitdown, the one converter for all three.

    python bench/formats.py [--corpus eval/real-pages/corpus] [--markitdown /path/to/site-packages]

The articles of ``--corpus`` are made into each format: HTML pages inside a site's surroundings (menu,
adverts, readers' comments, footer, each with numbers of its own: ``eval.as_pages``), and PDF and DOCX
by LibreOffice from the bare article (as a support desk exports a document). Each converter's Markdown
is then measured against the article it came from:

- numbers kept: of the article's phone numbers, the share whose digits are in the output;
- surroundings' numbers: numbers of the page around the article that reached the output (must be 0:
  an answer would say them as the organisation's);
- headings kept: of the article's ``#`` headings, the share that are headings in the output (sections
  are the answer's "where", and the chunker splits at them);
- rows whole: of the article's table rows, the share whose cells are all on one output line (a row
  split up loses which number is whose);
- ms per file.

markitdown is not a dependency: install it apart (``pip install --target DIR 'markitdown[pdf,docx]'``)
and pass DIR; without it only ours is measured.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eval.as_pages import article_html, chrome_numbers, render  # noqa: E402
from ingest.formats import convert  # noqa: E402

PHONE = re.compile(r"(?<![\w/])\+?\d[\d\s()‑−-]{8,}\d")
FORMATS = (".html", ".pdf", ".docx")
HYPHENS = str.maketrans({"\u2011": "-", "\u2010": "-"})


def documents(corpus: Path, out: Path) -> dict[str, Path]:
    """The articles of ``corpus`` as pages (``out/html``), PDFs and DOCX files (``out/pdf``, ``out/docx``)."""
    render(corpus, out / "html")
    bare = out / "bare"
    bare.mkdir(parents=True)
    for article in sorted(p for p in corpus.iterdir() if p.suffix in (".md", ".txt")):
        title, content, _ = article_html(article)
        page = f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        (bare / f"{article.stem}.html").write_text(f"{page}<body><h1>{title}</h1>{content}</body></html>")
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice is not installed: make office")
    folders = {".html": out / "html"}
    for kind, target in (("docx", "docx:MS Word 2007 XML"), ("pdf", "pdf:writer_web_pdf_Export")):
        folders[f".{kind}"] = out / kind
        pages = sorted(str(p) for p in bare.glob("*.html"))
        command = [soffice, "--headless", "--convert-to", target, "--outdir", str(out / kind), *pages]
        subprocess.run(command, check=True, capture_output=True, timeout=1200)
    return folders


def ours(suffix: str, data: bytes) -> str:
    converted = convert(suffix, data, "x" + suffix)
    return getattr(converted, "text", "")


def markitdown_reader(packages: Path) -> Callable[[str, bytes], str]:
    sys.path.append(str(packages))  # after ours: the project's own versions of shared packages stay first
    import io

    from markitdown import MarkItDown, StreamInfo
    from markitdown.converters import _docx_converter

    # Its DOCX pre-processing (equations to LaTeX) parses the document with BeautifulSoup's "xml", which
    # with lxml 6.2 drops the namespace prefixes, and mammoth then finds no body: markitdown 0.1.9 reads no
    # DOCX here at all. Skipped, so that what is measured is its reading (mammoth's), not that fault.
    _docx_converter.pre_process_docx = lambda stream: stream  # type: ignore[attr-defined]
    reader = MarkItDown(enable_plugins=False)

    def read(suffix: str, data: bytes) -> str:
        try:
            return reader.convert_stream(io.BytesIO(data), stream_info=StreamInfo(extension=suffix)).markdown
        except Exception as exc:  # a converter's failure on one file is a figure, not the bench's end
            return f"(failed: {type(exc).__name__})"

    return read


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def measure(source: str, output: str, page: bool) -> dict[str, float]:
    """The four quality figures of one converted file against its source article (hyphens compared as one:
    LibreOffice writes a non-breaking hyphen as a plain one)."""
    source, output = source.translate(HYPHENS), output.translate(HYPHENS)
    numbers = [digits(n) for n in PHONE.findall(source) if len(digits(n)) >= 10]
    flat = digits(output)
    headings = [h.strip() for h in re.findall(r"(?m)^#{1,6} (.+)$", source)]
    out_headings = {" ".join(h.split()) for h in re.findall(r"(?m)^#{1,6} (.+)$", output)}
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
        for line in source.splitlines()
        if line.startswith("|") and not re.match(r"^\|[\s|:-]+\|$", line)
    ]
    lines = [" ".join(line.split()) for line in output.splitlines()]
    whole = [r for r in rows if any(all(" ".join(c.split()) in line for c in r) for line in lines)]
    return {
        "numbers": sum(n in flat for n in numbers) / len(numbers) if numbers else 1.0,
        "chrome": sum(digits(n) in flat for n in chrome_numbers()) if page else 0,
        "headings": sum(" ".join(h.split()) in out_headings for h in headings) / len(headings) if headings else 1.0,
        "rows": len(whole) / len(rows) if rows else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "eval" / "real-pages" / "corpus")
    parser.add_argument("--markitdown", type=Path, help="a folder markitdown is installed in (pip --target)")
    args = parser.parse_args()
    readers: dict[str, Callable[[str, bytes], str]] = {"ours": ours}
    if args.markitdown:
        readers["markitdown"] = markitdown_reader(args.markitdown)
    sources = {p.stem: p.read_text(encoding="utf-8") for p in args.corpus.iterdir() if p.suffix in (".md", ".txt")}
    with tempfile.TemporaryDirectory(prefix="hotline-formats-") as tmp:
        started = time.perf_counter()
        folders = documents(args.corpus, Path(tmp))
        print(f"{len(sources)} articles made HTML, PDF and DOCX in {time.perf_counter() - started:.0f} s\n")
        print(f"{'format':<6} {'reader':<11} {'numbers':>8} {'surround':>9} {'headings':>9} {'rows':>6} {'ms/file':>8}")
        for suffix in FORMATS:
            files = sorted(folders[suffix].glob(f"*{suffix}"))
            for name, read in readers.items():
                figures, times = [], []
                for file in files:
                    data = file.read_bytes()
                    start = time.perf_counter()
                    output = read(suffix, data)
                    times.append((time.perf_counter() - start) * 1000)
                    figures.append(measure(sources[file.stem], output, page=suffix == ".html"))
                mean = {k: statistics.mean(f[k] for f in figures) for k in figures[0]}
                chrome = sum(f["chrome"] for f in figures)
                print(
                    f"{suffix[1:]:<6} {name:<11} {mean['numbers']:>8.1%} {chrome:>9.0f} {mean['headings']:>9.1%}"
                    f" {mean['rows']:>6.1%} {statistics.median(times):>8.1f}"
                )


if __name__ == "__main__":
    main()
