"""The vectors of every line an answer may quote, embedded by the ingest into the vector cache.

An answer scores each line (sentence, row, item) of its ~10 passages by its vector's cosine to the
question, and the reader and the verifier read the same vectors. Embedded when a question first needs
them, they were most of a new question's time: ~55 lines, 0.45 s on two cores, in every new process.
The ingest embeds them once, with the question path's own encoder (so a line's vector is the one the
question path would compute), only for lines the cache does not hold yet: ~2 s for a corpus of 63
chunks, nothing for an unchanged one. A cache that cannot be written costs the questions that time again,
never the ingest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from langchain_core.documents import Document

from hotline.answer.units import encoder_texts
from hotline.config.errors import first_line
from hotline.config.settings import Settings
from hotline.index.embeddings import load_query_embeddings, model_id
from hotline.index.passages import body_of
from hotline.index.vectors import BATCH, KeptVectors, keeps_vectors

log = logging.getLogger(__name__)


def prepare_lines(settings: Settings, documents: Iterable[Document], bar: bool = False) -> int:
    """Embed the lines of ``documents`` the cache lacks; the number embedded. ``bar``: a tqdm bar on the
    terminal, as the chunks have (a first ingest of a large corpus embeds thousands of lines)."""
    if not keeps_vectors(settings):
        return 0
    try:
        texts: dict[str, None] = {}
        for document in documents:
            section = str(document.metadata.get("section", ""))
            body = body_of(document.page_content, str(document.metadata.get("heading", section)))
            texts.update(dict.fromkeys(encoder_texts(body, section)))
        kept = KeptVectors(settings.model_dir, model_id(settings), wait=10.0)  # another ingest's write
        missing = kept.missing(list(texts))
        starts = range(0, len(missing), BATCH)
        if bar and missing:
            from tqdm import tqdm

            starts = tqdm(starts, desc="lines", unit="batch", leave=False)
        for start in starts:
            part = missing[start : start + BATCH]
            kept.put(dict(zip(part, load_query_embeddings(settings).embed_documents(part), strict=True)))
        return len(missing)
    except Exception as exc:  # a cache: its failure costs time, never the ingest
        log.warning("the lines' vectors were not kept ahead: %s", first_line(exc))
        return 0
