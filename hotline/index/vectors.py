"""Every text's vector under each model, kept beside the models, so that no text is embedded twice.

An ingest embeds only the chunks its data dir has not indexed yet (the record manager); this keeps what
was embedded *anywhere* under the same models dir: a full rebuild (``--full``, a damaged store, a model's
index moved aside), an article taken out and put back, a second data dir over the same articles, and the
re-ingests a test session runs by the dozen all read their vectors instead of loading the model (seconds)
and running it. Keys are the model's id and the text's SHA-256, so a vector is never read for another
model or another text; values are the float32 rows the index itself stores (1.5 KB for e5-small).

Why a SQLite table and not LangChain's ``LocalFileStore``: one file per vector is 30,000 files for a large
corpus, and a write cut short (a full disk, a killed ingest) leaves a torn file that is read back as a
vector; SQLite writes a batch whole or not at all. It is a cache: a file that cannot be read or written
(a full disk, a read-only folder, a damaged file) makes every text a miss and nothing fails.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from hotline.config.settings import HASHING_MODEL, Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.stores import ByteStore

FILE = "vectors.sqlite"
MOST = 200_000  # vectors kept (~300 MB for e5-small); the oldest written go first
BATCH = 256  # vectors computed between writes: a killed ingest keeps what it had embedded


class SQLiteByteStore:
    """LangChain's byte-store interface (``mget``, ``mset``, ``mdelete``, ``yield_keys``) over one SQLite
    table; every failure reads as a miss. Not a subclass of ``ByteStore``, so that the question path, which
    reads it through :class:`KeptVectors`, does not import LangChain (a spec checks a command's imports)."""

    def __init__(self, path: Path, most: int = MOST, wait: float = 10.0) -> None:
        self.path = path
        self.most = most
        self.wait = wait  # seconds to wait for another process's write to end

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.wait)
        connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        return connection

    def mget(self, keys: Sequence[str]) -> list[bytes | None]:
        found: dict[str, bytes] = dict(self._rows("key, value", keys))
        return [found.get(key) for key in keys]

    def present(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` the table holds, without reading their values."""
        return {key for (key,) in self._rows("key", keys)}

    def _rows(self, columns: str, keys: Sequence[str]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        with suppress(sqlite3.Error, OSError), closing(self._connect()) as connection:
            for start in range(0, len(keys), 500):  # SQLite's bound on a statement's parameters
                part = list(keys[start : start + 500])
                marks = ",".join("?" * len(part))
                rows += connection.execute(f"SELECT {columns} FROM vectors WHERE key IN ({marks})", part)
        return rows

    def mset(self, key_value_pairs: Sequence[tuple[str, bytes]]) -> None:
        try:
            with closing(self._connect()) as connection, connection:
                connection.executemany("INSERT OR REPLACE INTO vectors (key, value) VALUES (?, ?)", key_value_pairs)
                connection.execute(
                    "DELETE FROM vectors WHERE rowid <= (SELECT MAX(rowid) FROM vectors) - ?", (self.most,)
                )
        except sqlite3.OperationalError:  # full, read-only, locked past the timeout: this batch is not kept
            pass
        except sqlite3.DatabaseError:  # not a database (damaged): the next write starts a new one
            with suppress(OSError):
                self.path.unlink()
        except OSError:
            pass

    def mdelete(self, keys: Sequence[str]) -> None:
        with suppress(sqlite3.Error, OSError), closing(self._connect()) as connection, connection:
            connection.executemany("DELETE FROM vectors WHERE key = ?", [(key,) for key in keys])

    def yield_keys(self, *, prefix: str | None = None) -> Iterator[str]:
        with suppress(sqlite3.Error, OSError), closing(self._connect()) as connection:
            rows = connection.execute("SELECT key FROM vectors").fetchall()
            yield from (key for (key,) in rows if prefix is None or key.startswith(prefix))


def key(model: str, text: str) -> str:
    return f"{model}:{hashlib.sha256(text.encode()).hexdigest()}"


def _encoded(vector: Sequence[float] | np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def _decoded(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")


def keeps_vectors(settings: Settings) -> bool:
    """Whether these settings keep vectors: not when turned off, nor for the hashing encoder, which
    computes a vector faster than the cache reads one."""
    return settings.vector_cache and settings.embedding_model != HASHING_MODEL


class KeptVectors:
    """The cache as the question path reads it: plain lookups, without LangChain's wrapper classes (whose
    import a one-question command would pay)."""

    def __init__(self, folder: Path, model: str, wait: float = 0.5) -> None:
        # A question waits at most half a second for an ingest's write (a batch's commit takes milliseconds),
        # then embeds its lines itself.
        self.store = SQLiteByteStore(folder / FILE, wait=wait)
        self.model = model

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of ``texts``, those it has."""
        found = self.store.mget([key(self.model, t) for t in texts])
        return {t: _decoded(v) for t, v in zip(texts, found, strict=True) if v is not None}

    def missing(self, texts: Sequence[str]) -> list[str]:
        """``texts`` whose vectors the cache does not hold."""
        keys = [key(self.model, t) for t in texts]
        held = self.store.present(keys)
        return [t for t, k in zip(texts, keys, strict=True) if k not in held]

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        self.store.mset([(key(self.model, t), _encoded(v)) for t, v in vectors.items()])


def cached(embeddings: Embeddings, settings: Settings) -> Embeddings:
    """``embeddings`` with each document's vector read from, or written to, the models dir's cache under
    the model's id (the name the index records for it); ``embeddings`` itself when the settings keep none."""
    if not keeps_vectors(settings):
        return embeddings
    from langchain_classic.embeddings import CacheBackedEmbeddings
    from langchain_classic.storage import EncoderBackedStore

    from hotline.index.embeddings import model_id

    model = model_id(settings)
    store: EncoderBackedStore[str, list[float]] = EncoderBackedStore(
        cast("ByteStore", SQLiteByteStore(settings.model_dir / FILE)),
        key_encoder=lambda text: key(model, text),
        value_serializer=_encoded,
        value_deserializer=lambda data: _decoded(data).tolist(),
    )
    return CacheBackedEmbeddings(embeddings, store, batch_size=BATCH)
