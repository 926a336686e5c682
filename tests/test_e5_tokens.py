"""The question path's tokenizer, written out (hotline.index.e5_tokens), gives the library's token ids:
a question tokenized otherwise than its passages were at ingest would be searched with a vector of
another text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from hotline.index.e5 import model_id
from hotline.index.e5_onnx import MAX_TOKENS
from hotline.index.e5_tokens import VOCABULARY, load_vocabulary, write_vocabulary

from .test_e5 import corpus_chunks, questions


@pytest.fixture(scope="module")
def both(models_dir: Path) -> tuple:
    folder = models_dir / model_id()
    pieces = load_vocabulary(folder)
    assert pieces is not None  # the built default's tokenizer is one the module reproduces
    library = Tokenizer.from_file(str(folder / "tokenizer.json"))
    library.enable_truncation(MAX_TOKENS)
    library.no_padding()
    return pieces, library


def differing(both: tuple, texts: list[str]) -> list[str]:
    pieces, library = both
    theirs = [encoding.ids for encoding in library.encode_batch(texts)]
    return [text for text, ids in zip(texts, theirs, strict=True) if pieces.encode(text, MAX_TOKENS) != ids]


def test_every_codepoint_alone_and_between_words_gets_the_librarys_ids(both: tuple) -> None:
    # Unassigned, private-use, control and newer characters too: NFKC tables differ between Python and
    # the library (U+32FF and Unicode 14's letters), which the written vocabulary keeps as the library does.
    # Planes 3 to 13 are unassigned (each an unknown piece alike): a sample of them stands for the rest.
    codepoints = [*range(0xD800), *range(0xE000, 0x30000), *range(0x30000, 0xE0000, 97), *range(0xE0000, 0x110000, 7)]
    chars = list(map(chr, codepoints))
    assert differing(both, chars) == []
    assert differing(both, [f"a{c} б {c}{c}" for c in chars[::5]]) == []


def test_every_chunk_question_and_awkward_text_gets_the_librarys_ids(both: tuple) -> None:
    awkward = [
        "", " ", "  a  ", "<s>x</s>", "a<mask>b", "<unk><pad>", "номер " * 600, "😀 ✓", "Ｏｚｏｎ  двойные\tпробелы",
        "x\u200bz", "\u2581\u2581a", "te\u0301st", "ﬁ ½ ² ㋿", "\x00\x01ab\x7f", "ё Ё й", "query: Где?",
    ]  # fmt: skip
    rng = random.Random(7)
    alphabet = [chr(c) for c in [*range(32, 0x500), *range(0x2000, 0x2100), *range(0x1F300, 0x1F700)]]
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(3000)]
    texts = [*corpus_chunks(), *questions(), *awkward, *noise]
    assert len(texts) > 3000
    assert differing(both, texts) == []
    pieces, _ = both
    assert len(pieces.encode("номер " * 600, MAX_TOKENS)) == MAX_TOKENS  # cut as the library cuts


def test_a_tokenizer_it_does_not_reproduce_is_left_to_the_library(models_dir: Path, tmp_path: Path) -> None:
    spec = json.loads((models_dir / model_id() / "tokenizer.json").read_text(encoding="utf-8"))
    spec["normalizer"] = {"type": "Lowercase"}
    (tmp_path / "tokenizer.json").write_text(json.dumps(spec), encoding="utf-8")
    assert write_vocabulary(tmp_path) is False
    assert load_vocabulary(tmp_path) is None
    assert not (tmp_path / VOCABULARY).exists()


def test_a_damaged_vocabulary_file_is_written_again(models_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_bytes((models_dir / model_id() / "tokenizer.json").read_bytes())
    (tmp_path / VOCABULARY).parent.mkdir()
    (tmp_path / VOCABULARY).write_bytes(b"\x00 not marshal")
    pieces = load_vocabulary(tmp_path)
    assert pieces is not None and pieces.encode("Где", MAX_TOKENS)[0] == 0
    assert load_vocabulary(tmp_path) == pieces  # read back from what it wrote
