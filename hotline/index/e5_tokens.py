"""XLM-R's unigram tokenizer for the question path, written out: the token ids of the model folder's
``tokenizer.json``, loaded in a fifth of the time and memory the libraries take.

Why not a library here: ``tokenizers`` builds a trie of per-node hash maps over the 250,002 pieces, 0.48 s
and 225 MB in every process, the largest part of a cold command's time and memory; ``sentencepiece`` (its
double-array trie) takes 0.34 s and 80 MB. A question is short, and a dictionary of the pieces is all the
Viterbi search needs: this module loads in 0.09 s and ~50 MB and reads a question in ~0.1 ms.

``tokenizer.json`` stays the definition. :func:`write_vocabulary` derives this file from it and refuses
anything it does not reproduce exactly (another normaliser, pre-tokeniser or model kind): the question
path then keeps ``tokenizers``. What it reproduces, step by step as ``tokenizers`` runs them:

1. special tokens written in the text (``<s>``, ``<mask>``…) are split out first, longest leftmost;
2. each other part is normalised (the regex replacements and NFKC of the normaliser sequence);
3. Metaspace: spaces become ``▁``, one is prepended, and the text splits before each ``▁``;
4. each word is segmented by ``Unigram::encode_optimized``: the best-scoring path over the pieces, a
   character no piece covers scoring the lowest piece's score less 10, and unknown runs fused into one;
5. the template's ``<s>`` and ``</s>`` around at most ``limit - 2`` ids.

``tests/test_e5_tokens.py`` checks the ids equal to ``tokenizers``' on every codepoint and every text
of the case files and corpora.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from hotline.index.kept import write_atomically

VOCABULARY = "onnx/vocabulary.marshal"
FORMAT = 1
UNKNOWN_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY (and sentencepiece's kUnkPenalty)
SPACE = "▁"
Form = Literal["NFC", "NFD", "NFKC", "NFKD"]
FORMS = ("NFC", "NFD", "NFKC", "NFKD")


class Unsupported(ValueError):
    """The tokenizer does something this module does not reproduce."""


@dataclass(frozen=True)
class Pieces:
    """The vocabulary and the steps around it, as :func:`load_vocabulary` reads them."""

    ids: dict[str, int]
    scores: list[float]
    unknown: int
    first: int  # the template's <s>
    last: int  # and </s>
    specials: dict[str, int]  # tokens split out of the raw text
    steps: list[tuple[str, str, str]]  # ("replace", pattern, content) or ("form", "NFKC", kept characters)
    longest: int  # the longest piece, in characters

    def __post_init__(self) -> None:
        split = "|".join(re.escape(t) for t in sorted(self.specials, key=len, reverse=True))
        object.__setattr__(self, "_specials", re.compile(f"({split})") if split else None)
        object.__setattr__(self, "_steps", [_step(kind, a, b) for kind, a, b in self.steps])
        object.__setattr__(self, "_unknown_score", min(self.scores) - UNKNOWN_PENALTY)

    def encode(self, text: str, limit: int) -> list[int]:
        """The ids of ``text`` with ``<s>`` and ``</s>``, its content cut to ``limit - 2`` ids."""
        ids: list[int] = []
        parts = self._specials.split(text) if self._specials is not None else [text]  # type: ignore[attr-defined]
        for index, part in enumerate(parts):
            if index % 2:  # the separators re.split keeps: a special token
                ids.append(self.specials[part])
                continue
            for step in self._steps:  # type: ignore[attr-defined]
                part = step(part)
            if not part:
                continue
            part = part.replace(" ", SPACE)
            if not part.startswith(SPACE):
                part = SPACE + part
            for word in re.split(f"(?={SPACE})", part):
                if word:
                    ids.extend(self._segment(word))
        return [self.first, *ids[: max(limit - 2, 0)], self.last]

    def _segment(self, word: str) -> list[int]:
        """``Unigram::encode_optimized``: Viterbi over the pieces, in the same order with the same ties."""
        size, ids, scores = len(word), self.ids, self.scores
        best = [0.0] * (size + 1)
        starts: list[int | None] = [None] * (size + 1)
        token = [0] * (size + 1)
        for start in range(size):
            here = best[start]
            single = False
            for end in range(start + 1, min(size, start + self.longest) + 1):
                piece = ids.get(word[start:end])
                if piece is None:
                    continue
                score = scores[piece] + here
                if starts[end] is None or score > best[end]:
                    best[end], starts[end], token[end] = score, start, piece
                single = single or end == start + 1
            if not single:
                score = self._unknown_score + here  # type: ignore[attr-defined]
                if starts[start + 1] is None or score > best[start + 1]:
                    best[start + 1], starts[start + 1], token[start + 1] = score, start, self.unknown
        out: list[int] = []
        end = size
        while end > 0:
            came_from = starts[end]
            assert came_from is not None  # every position is reached: a character alone is a piece or unknown
            if not (token[end] == self.unknown and out and out[-1] == self.unknown):  # unknown runs fuse
                out.append(token[end])
            end = came_from
        out.reverse()
        return out


def _step(kind: str, a: str, b: str) -> Callable[[str], str]:
    if kind == "form":
        form_name = cast(Form, a)
        if not b:
            return lambda text: unicodedata.normalize(form_name, text)
        kept = re.compile("([" + re.escape(b) + "])")

        def form(text: str) -> str:
            parts = kept.split(text)
            return "".join(part if i % 2 else unicodedata.normalize(form_name, part) for i, part in enumerate(parts))

        return form
    pattern = re.compile(a)
    return lambda text: pattern.sub(lambda _: b, text)  # a function: the content is literal, never a template


def load_vocabulary(folder: Path) -> Pieces | None:
    """The folder's written vocabulary, written first if it is missing or from an older format; None when
    its tokenizer is one this module does not reproduce, or nothing can be read or written."""
    path = folder / VOCABULARY
    try:
        data = marshal.loads(path.read_bytes())
        if isinstance(data, dict) and data.get("format") == FORMAT:
            return _pieces(data)
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass  # missing, or written by another format or Python: written again below
    try:
        data = _derive((folder / "tokenizer.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):  # Unsupported is a ValueError
        return None
    with contextlib.suppress(OSError):  # a read-only models folder: derived again by the next process
        write_atomically(path, marshal.dumps(data))
    return _pieces(data)


def write_vocabulary(folder: Path) -> bool:
    """Derive the folder's vocabulary file from its ``tokenizer.json`` (at model build); False when that
    tokenizer does something this module does not reproduce."""
    try:
        data = _derive((folder / "tokenizer.json").read_text(encoding="utf-8"))
    except Unsupported:
        return False
    write_atomically(folder / VOCABULARY, marshal.dumps(data))
    return True


def _pieces(data: dict[str, Any]) -> Pieces:
    return Pieces(
        ids=data["ids"],
        scores=data["scores"],
        unknown=data["unknown"],
        first=data["first"],
        last=data["last"],
        specials=data["specials"],
        steps=[tuple(step) for step in data["steps"]],
        longest=data["longest"],
    )


def _derive(source: str) -> dict[str, Any]:
    """The file's contents from a ``tokenizer.json``'s text, or :class:`Unsupported`."""
    spec = json.loads(source)
    model = spec.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        raise Unsupported("only a unigram model with an unknown piece and no byte fallback")
    pieces = [piece for piece, _ in model["vocab"]]
    specials = {}
    for added in spec.get("added_tokens") or []:
        if added.get("normalized") or added.get("lstrip") or added.get("rstrip") or added.get("single_word"):
            raise Unsupported(f"added token {added.get('content')!r} is matched in a way not reproduced here")
        specials[added["content"]] = added["id"]
    pre = spec.get("pre_tokenizer") or {}
    if (pre.get("type"), pre.get("replacement"), pre.get("prepend_scheme"), pre.get("split")) != (
        "Metaspace",
        SPACE,
        "always",
        True,
    ):
        raise Unsupported("only Metaspace(▁, always, split) pre-tokenisation")
    first, last = _template(spec.get("post_processor") or {}, specials)
    steps = _steps(spec.get("normalizer"))
    return {
        "format": FORMAT,
        "ids": {piece: index for index, piece in enumerate(pieces)},
        "scores": [float(score) for _, score in model["vocab"]],
        "unknown": int(model["unk_id"]),
        "first": first,
        "last": last,
        "specials": specials,
        "steps": _agreeing(steps, source),
        "longest": max(map(len, pieces)),
    }


def _agreeing(steps: list[list[str]], source: str) -> list[list[str]]:
    """The steps, with the characters the library's Unicode tables leave as they are kept so: Python's
    ``unicodedata`` may be newer than the tables ``tokenizers`` was built with (Python 3.11 maps U+32FF
    and 39 characters of Unicode 14 under NFKC, tokenizers 0.23 leaves them). Every codepoint is put
    through both normalisers (~1.5 s, once per model folder); a difference that keeping the character
    does not remove is :class:`Unsupported`."""
    from tokenizers import Tokenizer

    library = Tokenizer.from_str(source).normalizer
    if library is None:
        return steps
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    ours = [_step(*step) for step in steps]

    def normalise(text: str) -> str:
        for step in ours:
            text = step(text)
        return text

    kept = "".join(c for c in chars if normalise(c) != library.normalize_str(c))
    if not kept:
        return steps
    steps = [[kind, a, kept] if kind == "form" else [kind, a, b] for kind, a, b in steps]
    ours = [_step(*step) for step in steps]
    if any(normalise(c) != library.normalize_str(c) for c in kept):
        raise Unsupported("the normaliser differs from the library's on characters it does not leave as they are")
    return steps


def _template(post: dict[str, Any], specials: dict[str, int]) -> tuple[int, int]:
    single = post.get("single") or []
    shape = [next(iter(item)) for item in single]
    if post.get("type") != "TemplateProcessing" or shape != ["SpecialToken", "Sequence", "SpecialToken"]:
        raise Unsupported("only a <s> $A </s> template")
    first, last = single[0]["SpecialToken"]["id"], single[2]["SpecialToken"]["id"]
    if first not in specials or last not in specials:
        raise Unsupported("the template's tokens are not added tokens")
    return specials[first], specials[last]


def _steps(normalizer: dict[str, Any] | None) -> list[list[str]]:
    if not normalizer:
        return []
    kind = normalizer.get("type")
    if kind == "Sequence":
        return [step for inner in normalizer["normalizers"] for step in _steps(inner)]
    if kind in FORMS:
        return [["form", kind, ""]]
    if kind == "Replace":
        pattern = normalizer["pattern"]
        if "String" in pattern:
            return [["replace", re.escape(pattern["String"]), normalizer["content"]]]
        source = pattern["Regex"]
        # Rust's \x{HEX} escapes in Python's spelling; the patterns tokenizer.json holds here are character
        # classes and " {2,}", which the two engines read alike (anything else is refused).
        python = re.sub(r"\\x\{([0-9A-Fa-f]+)\}", lambda m: f"\\U{int(m[1], 16):08X}", source)
        if not re.fullmatch(r"\[(?:\\U[0-9A-F]{8})+\]| \{2,\}", python):
            raise Unsupported(f"a replacement pattern not reproduced here: {source!r}")
        return [["replace", python, normalizer["content"]]]
    raise Unsupported(f"normaliser {kind!r}")
