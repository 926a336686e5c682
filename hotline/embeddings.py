"""Sentence embeddings: the embedded navec default, built once into the data dir, or any sentence-transformers model.

The default must work on a machine with no network, so it cannot come from a model hub. The natasha wheel
ships navec, Russian word vectors trained on news (250 002 words x 300 dimensions, product-quantised). We
wrap them as a real ``SentenceTransformer`` made only of stock modules, so the saved folder loads anywhere
sentence-transformers does:

    WordEmbeddings (navec vocabulary, SIF-scaled) -> mean Pooling -> Normalize

Each word vector is scaled by its SIF weight, ``a / (a + p(w))`` with ``p`` from the counts navec ships:
frequent words ("и", "в", "как") count for almost nothing, so a passage's vector is that of its content
words. Because Normalize follows the mean, scaling the vectors once at build time gives exactly the
weighted mean a separate ``WordWeights`` module would compute, without its 37 MB of config. That is a
language statistic, not a corpus one, and it costs nothing at query time.

The vocabulary is kept whole: it is sorted alphabetically, not by frequency, and the corpus's own words
reach rank ~170 000 by frequency at the 99th percentile (query words such as "посоветуйте" sit near
200 000), so a frequency cut would lose real words. The weights are stored as float16 instead, which
halves the folder (navec's vectors are 100-centroid quantised, so nothing measurable is lost) and they
are widened to float32 on load.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_huggingface import HuggingFaceEmbeddings

from hotline.errors import ModelUnavailable
from hotline.settings import NAVEC_MODEL, Settings

# Bump the version when the recipe below changes: the id is recorded in the index, so an index built by
# an older recipe is refused rather than silently mixed with new vectors.
NAVEC_MODEL_ID = "navec-news-v1-sif-v1"
NAVEC_ARCHIVE = ("data", "emb", "navec_news_v1_1B_250K_300d_100q.tar")
SIF_A = 1e-3


def model_id(settings: Settings) -> str:
    """The name recorded in the index for the model these settings select."""
    return NAVEC_MODEL_ID if settings.embedding_model == NAVEC_MODEL else settings.embedding_model


def navec_archive() -> Path:
    """The navec tar inside the installed natasha package, found without importing natasha (slow)."""
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("the natasha package is not installed; run `make install`")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*NAVEC_ARCHIVE)
    if not path.is_file():
        raise ModelUnavailable(f"navec vectors not found at {path}; reinstall natasha")
    return path


def build_navec_model(target: Path) -> Path:
    """Build the default SentenceTransformer from natasha's navec vectors into ``target``.

    The folder appears atomically (built beside it, then renamed), so a killed build leaves no
    half-written model that a later load would trust.
    """
    from navec import Navec
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import (
        Normalize,
        Pooling,
        WordEmbeddings,
    )
    from sentence_transformers.sentence_transformer.modules.tokenizer import WhitespaceTokenizer

    navec = Navec.load(str(navec_archive()))
    counts = np.asarray(navec.vocab.counts, dtype=np.float64)
    sif = SIF_A / (SIF_A + counts / counts.sum())
    vectors = (navec.pq.unpack() * sif[:, None]).astype(np.float16)

    # No stop words: SIF already silences frequent words, and the stock English list would drop "a", "i"…
    tokenizer = WhitespaceTokenizer(vocab=navec.vocab.words, stop_words=[], do_lower_case=True)
    embedding = WordEmbeddings(tokenizer=tokenizer, embedding_weights=vectors)
    pooling = Pooling(embedding.get_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[embedding, pooling, Normalize()], device="cpu")
    embedding.emb_layer.half()  # stored as float16; WordEmbeddings widens it to float32 on load

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        model.save(str(staging), create_model_card=False)
        if target.exists():  # another process finished first; theirs is as good as ours
            shutil.rmtree(staging)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _is_word_model(client: Any) -> bool:
    from sentence_transformers.sentence_transformer.modules import WordEmbeddings

    return isinstance(client[0], WordEmbeddings)


class HotlineEmbeddings(HuggingFaceEmbeddings):
    """LangChain embeddings over a SentenceTransformer, with what our models need on top.

    - Word-vector models (the navec default) see text pre-tokenised by razdel: their whitespace tokenizer
      only strips ASCII punctuation, so «Помощь», "техподдержки»" or "(495)" would otherwise be unknown
      words and silently dropped.
    - Models that declare ``query``/``document`` prompts (e5, bge-m3 variants) get them, so asymmetric
      retrieval works without per-model code.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        prompts = getattr(self._client, "prompts", None) or {}
        if "query" in prompts:
            self.query_encode_kwargs = {**self.encode_kwargs, "prompt_name": "query"}
        for name in ("document", "passage"):
            if name in prompts:
                self.encode_kwargs = {**self.encode_kwargs, "prompt_name": name}
                break
        self._pretokenize = _is_word_model(self._client)

    @property
    def dimension(self) -> int:
        dimension = self._client.get_embedding_dimension()
        if dimension is None:
            raise ModelUnavailable(f"embedding model {self.model_name!r} does not say its dimension")
        return int(dimension)

    def _embed(self, texts: list[str], encode_kwargs: dict[str, Any]) -> list[list[float]]:
        if self._pretokenize:
            from razdel import tokenize

            texts = [" ".join(token.text for token in tokenize(text)) for text in texts]
        return super()._embed(texts, encode_kwargs)


def ensure_navec_model(settings: Settings) -> Path:
    """The built default model's folder, building it on first use (~3 s)."""
    target = settings.model_dir / NAVEC_MODEL_ID
    if not (target / "modules.json").is_file():
        build_navec_model(target)
    return target


@lru_cache(maxsize=4)
def _load(name_or_path: str, local: bool) -> HotlineEmbeddings:
    if local:
        # Local folders never need the hub; make sure nothing tries (hub calls fail or hang offline).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        return HotlineEmbeddings(
            model_name=name_or_path,
            model_kwargs={"device": "cpu", "local_files_only": local},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 64},
        )
    except Exception as exc:  # sentence-transformers raises many kinds; the user needs one message
        raise ModelUnavailable(f"cannot load embedding model {name_or_path!r}: {exc}") from exc


def load_embeddings(settings: Settings) -> HotlineEmbeddings:
    """The embeddings the settings select, loaded once per process (building the default if needed)."""
    if settings.embedding_model == NAVEC_MODEL:
        return _load(str(ensure_navec_model(settings).resolve()), True)
    path = Path(settings.embedding_model).expanduser()
    if path.exists():
        return _load(str(path.resolve()), True)
    return _load(settings.embedding_model, False)
