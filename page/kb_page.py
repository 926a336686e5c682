"""The knowledge base's page (``/kb/``, see :mod:`app`): the index in one line, the articles (open one,
delete one), the registry and the contact directory, re-ingest, an upload, the feedback as CSV. Every
handler calls one library function and places what :mod:`page.knowledge_base` makes of the result.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.utils import get_upload_folder

from hotline import HotlineError, Settings, directory
from hotline.directory import history, saved
from hotline.pipeline import Hotline
from hotline.wording import page_wording
from ingest import IngestReport
from ingest.isolated import run_ingest_isolated
from ingest.upload import SUFFIXES as UPLOADED
from ingest.upload import add_article, limits_text, refused_upload, remove_article
from page.feedback import FeedbackStore
from page.guards import CACHE_EXPIRY, received
from page.knowledge_base import (
    article_rows,
    article_text,
    directory_notes,
    directory_rows,
    directory_summary,
    figures,
    ingest_summary,
    refusal,
    registry_rows,
)
from page.render import escape

log = logging.getLogger("hotline.app")


Overview = tuple[str, list[list[Any]], list[list[Any]], list[list[str]], str]


def _listing(columns: Sequence[str], widths: Sequence[str], height: int, elem_id: str) -> gr.Dataframe:
    """A read-only table of the knowledge base, searchable, its cells wrapped. Its columns are in pixels,
    not shares of the screen: on a phone the table scrolls sideways instead of breaking its headers one
    letter a line."""
    return gr.Dataframe(
        headers=list(columns),
        interactive=False,
        wrap=True,
        show_search="search",
        max_height=height,
        column_widths=list(widths),
        elem_id=elem_id,
    )


def build_knowledge_base(settings: Settings, bot: Hotline, feedback: FeedbackStore) -> gr.Blocks:
    """The maintainers' page: the index in one line, the articles (open one, delete one), re-ingest, an
    upload, the feedback. Uploads over the limit are refused in the browser, before any byte is sent
    (page.js, with Gradio's ``max_file_size`` as the server's backstop)."""
    limit = limits_text(settings)
    say = page_wording()["knowledge_base"]

    def overview() -> Overview:
        """(the index in one line, the articles, the contact directory, its conflicts, changes and stale
        articles): what every action on the page refreshes."""
        try:
            view = bot.index()
            entries = saved.of_snapshot(view.snapshot, settings.data_dir, lambda: view)
            found = directory.conflicts(entries)
            old = directory.stale(view.snapshot.articles, settings.stale_after_days)
            notes = directory_notes(found, history.recent(settings.data_dir), old, settings.stale_after_days)
            articles = [row.cells() for row in article_rows(view)]
            return figures(bot.stats()), articles, registry_rows(view), directory_rows(entries, found), notes
        except HotlineError as exc:
            return say["unavailable"].format(why=escape(refusal(exc))), [], [], [], ""

    def outcome(report: IngestReport, done: str = "") -> str:
        lines = [f"{say['done']}{done}{ingest_summary(report)} {directory_summary(report)}".rstrip()]
        lines += [f"- {escape(p.russian())}" for p in report.problems]
        return "\n".join(lines)

    def bar(progress: gr.Progress) -> Callable[[int, int], None]:
        return lambda done, total: progress((done, total), desc=say["progress"], unit=say["progress_unit"])

    def reingest(progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        try:
            report = run_ingest_isolated(settings, progress=bar(progress))
        except HotlineError as exc:
            return say["not_updated"].format(why=escape(refusal(exc))), *overview()
        return outcome(report), *overview()

    def upload(path: str | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        """(what happened, the upload box: emptied after a success, the listings)."""
        if not path:
            return say["choose_file"], gr.skip(), *overview()
        file = Path(path)
        if not received(file, get_upload_folder()):  # a client may name any file on the server instead
            log.warning("upload refused: %s is not in Gradio's upload folder", path)
            return say["not_uploaded"].format(why=escape(refused_upload(file.name))), gr.skip(), *overview()
        data = file.read_bytes()
        existing = settings.corpus_dir / file.name
        replacing = existing.is_file()
        same = replacing and existing.read_bytes() == data
        try:
            report = add_article(settings, file.name, data, progress=bar(progress), ingest=run_ingest_isolated)
        except HotlineError as exc:
            return say["not_uploaded"].format(why=escape(refusal(exc))), gr.skip(), *overview()
        name = escape(file.name)
        if same:  # the same file again: nothing to report but that
            return say["same"].format(name=name), None, *overview()
        done = say["replaced" if replacing else "added"]
        return outcome(report, done.format(name=name)), None, *overview()

    def chosen(rows: Any, data: gr.SelectData) -> tuple[Any, ...]:
        """(the article's path, its text, the delete button, the confirmation and its cancel hidden, the
        delete's last result emptied) for a clicked row."""
        path = str(data.row_value[0]) if data.row_value else ""
        hidden = gr.update(visible=False)
        if not path:
            return "", "", hidden, hidden, hidden, ""
        try:
            label, text = article_text(settings, path)
        except HotlineError as exc:
            label, text = say["article_text"], str(exc)
        delete_this = gr.update(visible=True, value=say["delete_this"].format(path=path))
        return path, gr.update(visible=True, value=text, label=label), delete_this, hidden, hidden, ""

    def delete(
        path: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        hidden = gr.update(visible=False)
        try:
            report = remove_article(settings, path, progress=bar(progress), ingest=run_ingest_isolated)
        except HotlineError as exc:
            failed = say["not_removed"].format(why=escape(refusal(exc)))
            return failed, *overview(), path, gr.skip(), hidden, hidden, hidden
        done = outcome(report, say["removed"].format(name=escape(path)))
        return done, *overview(), "", gr.update(visible=False, value=""), hidden, hidden, hidden

    # One folder for the page's lifetime, each export overwriting the last (Gradio serves its own copy).
    exports = tempfile.TemporaryDirectory(prefix="hotline-feedback-")

    def export() -> str:
        return str(feedback.export_csv(Path(exports.name) / "feedback.csv"))

    # A maintainer's tasks first, each with its result beside its button (and its progress there only: the
    # tables stay as they are while an ingest runs); the registry and the directory below them.
    with gr.Blocks(title=say["title"], analytics_enabled=False, delete_cache=CACHE_EXPIRY) as demo:
        gr.Markdown(say["heading"])
        stats = gr.Markdown(elem_id="index-stats")
        update = gr.Button(say["reingest"], variant="primary", elem_id="reingest")
        reingested = gr.Markdown(elem_id="ingest-result")
        gr.Markdown(say["articles"])
        table = _listing(say["columns"], ["200px", "330px", "130px", "240px", "110px", "110px"], 360, "articles")
        opened = gr.State("")
        text = gr.Textbox(  # under the row clicked, not a screen lower (page.js brings it into view)
            label=say["article_text"],
            lines=8,
            max_lines=20,
            interactive=False,
            visible=False,  # until a row is clicked
            elem_id="article-text",
        )
        with gr.Row():
            remove = gr.Button(say["delete"], variant="secondary", size="sm", visible=False, elem_id="delete-article")
            confirm = gr.Button(
                say["confirm_delete"], variant="stop", size="sm", visible=False, elem_id="confirm-delete"
            )
            cancel = gr.Button(say["cancel"], size="sm", visible=False, elem_id="cancel-delete")
        deleted = gr.Markdown(elem_id="delete-result")
        gr.Markdown(say["new_article"].format(limit=limit))
        article = gr.File(label=say["article"], file_types=list(UPLOADED), type="filepath", elem_id="upload")
        gr.HTML('<p id="upload-refusal" role="alert"></p>', padding=False)
        add = gr.Button(say["add"], elem_id="add-article")
        uploaded = gr.Markdown(elem_id="upload-result")
        gr.Markdown(say["registry"])
        organizations = _listing(say["registry_columns"], ["260px", "330px", "380px", "170px"], 300, "registry")
        gr.Markdown(page_wording()["directory"]["heading"])
        widths = ["130px", "100px", "170px", "180px", "170px", "160px", "110px", "120px"]
        facts = _listing(page_wording()["directory"]["columns"], widths, 420, "directory")
        notes = gr.Markdown(elem_id="directory-notes")
        gr.Markdown(say["feedback"])
        download = gr.Button(say["export"], size="sm", elem_id="export-feedback")
        csv_file = gr.File(label="feedback.csv", interactive=False, elem_id="feedback-file")
        listing = [stats, table, organizations, facts, notes]

        # Each action says at once, beside its button, that it has started (Gradio's own placeholder is an
        # English "processing | 1.1s"); its progress bar and result then replace that line.
        def started(key: str) -> Callable[[], str]:
            return lambda: f"_{say['working'][key]}_"

        quiet: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden", "queue": False}
        update.click(started("reingest"), outputs=reingested, **quiet).then(
            reingest,
            outputs=[reingested, *listing],
            api_name="reingest",
            concurrency_id="ingest",
            concurrency_limit=1,
            show_progress_on=[reingested],
        )
        add.click(started("upload"), outputs=uploaded, **quiet).then(
            upload,
            inputs=article,
            outputs=[uploaded, article, *listing],
            api_name="upload",
            concurrency_id="ingest",
            show_progress_on=[uploaded],
        )
        table.select(
            chosen, inputs=table, outputs=[opened, text, remove, confirm, cancel, deleted], api_visibility="private"
        )
        shown = gr.update(visible=True)
        remove.click(lambda: (shown, shown), outputs=[confirm, cancel], api_visibility="private")
        hide = gr.update(visible=False)
        cancel.click(lambda: (hide, hide), outputs=[confirm, cancel], api_visibility="private")
        confirm.click(started("delete"), outputs=deleted, **quiet).then(
            delete,
            inputs=opened,
            outputs=[deleted, *listing, opened, text, remove, confirm, cancel],
            api_visibility="private",  # the article comes from the row clicked, kept in the session
            concurrency_id="ingest",
            show_progress_on=[deleted],
        )
        download.click(export, outputs=csv_file, api_name="export_feedback")
        demo.load(overview, outputs=listing, api_visibility="private")
    return demo
