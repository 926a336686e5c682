"""The built e5-small for questions under ONNX Runtime: the same vectors as the torch model, in half the time.

A question is one short sequence. torch runs it as ~200 small module calls in Python, each with its own
overhead; ONNX Runtime runs the exported graph in one call: 15 ms a question against 28 on this 2-core
machine, cosine >= 0.9999 to the torch model's vector on every question of the case files
(``tests/test_e5_onnx.py``, ``bench/answer.py`` prints both paths). Batches of passages go the other way
(torch's bfloat16 kernels embed 49 passages/s, the float32 graph 20), so ingest keeps torch and only the
answering path uses this.

The exported graph starts after the token lookup: it takes the tokens' vectors and the attention mask. The
token table (250,037 x 384, bfloat16, 192 MB) is read in place from the model folder's
``model.safetensors`` as a memory map, so a process holds only the rows its questions touch, and the
graph file stays small (~90 MB float32). The format of that file is stable and documented: an 8-byte
little-endian header length, a JSON header of tensors with dtype, shape and byte offsets, then the bytes.

Nothing here imports torch: answering needs only onnxruntime (a chromadb dependency), numpy, and the
tokenizer written out in :mod:`hotline.index.e5_tokens` (``tokenizers`` when that one does not apply).
Exporting the graph (:func:`export_graph`, once per model folder) does need torch and ``onnx``.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from hotline.config.errors import ModelUnavailable
from hotline.index.e5_tokens import load_vocabulary

GRAPH = "onnx/encoder.onnx"
WORD_TABLE = "embeddings.word_embeddings.weight"
MAX_TOKENS = 512
BATCH = 8  # as ingest batches passages (hotline.index.sentence)


def export_graph(folder: Path) -> Path:
    """Write ``folder/onnx/encoder.onnx``, the encoder of the sentence-transformers ``folder`` after its
    token lookup, in float32 (bfloat16 weights are exact in float32). Atomic like the model's build."""
    import torch
    from transformers import BertModel

    target = folder / GRAPH
    if target.is_file():
        return target
    bert = BertModel.from_pretrained(str(folder), dtype=torch.float32).eval()

    class AfterLookup(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, vectors: Any, mask: Any) -> Any:
            return self.bert(inputs_embeds=vectors, attention_mask=mask).last_hidden_state

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".onnx-", dir=target.parent))
    try:
        hidden = bert.config.hidden_size
        example = (torch.zeros(1, 4, hidden), torch.ones(1, 4, dtype=torch.int64))
        with warnings.catch_warnings():  # its notes on how it exports indexing are not the user's business
            warnings.simplefilter("ignore")
            torch.onnx.export(
                AfterLookup(),
                example,
                str(staging / "encoder.onnx"),
                input_names=["vectors", "mask"],
                output_names=["hidden"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ("vectors", "mask", "hidden")},
                opset_version=17,
                dynamo=False,  # the TorchScript exporter: the dynamo one needs onnxscript; this graph is plain
            )
        os.replace(staging / "encoder.onnx", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _bfloat16_table(path: Path, name: str) -> np.ndarray:
    """A bfloat16 tensor of a safetensors file as a read-only memory map of its raw 16-bit words."""
    with path.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
    entry = header.get(name)
    if entry is None or entry["dtype"] != "BF16":
        raise ModelUnavailable(f"{path} holds no bfloat16 {name}; rebuild the model (delete its folder)")
    start, end = entry["data_offsets"]
    rows, columns = entry["shape"]
    if end - start != rows * columns * 2:
        raise ModelUnavailable(f"{path} is damaged ({name} has the wrong size); delete the folder to rebuild it")
    return np.memmap(path, dtype=np.uint16, mode="r", offset=8 + length + start, shape=(rows, columns))


class OnnxE5:
    """e5-small's questions (and the few short texts an answer embeds) with ONNX Runtime. The LangChain
    ``Embeddings`` methods, with e5's prompts applied and unit-length float32 vectors."""

    def __init__(self, folder: Path, query_prompt: str, passage_prompt: str) -> None:
        import onnxruntime

        graph = folder / GRAPH
        if not graph.is_file():
            raise ModelUnavailable(f"{graph} is missing; delete {folder} to rebuild the model")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # its warnings about unused initialisers are not the user's business
        # Its threads otherwise spin for a while after each run, taking the two cores from the search
        # and scoring that follow the question's embedding.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self._table = _bfloat16_table(folder / "model.safetensors", WORD_TABLE)
        # The pieces written out (hotline.index.e5_tokens: 0.09 s and ~50 MB to load) when the folder's
        # tokenizer is one they reproduce; the library (0.48 s, 225 MB) otherwise.
        pieces = load_vocabulary(folder)
        if pieces is not None:
            self._ids: Callable[[list[str]], list[list[int]]] = lambda texts: [
                pieces.encode(text, MAX_TOKENS) for text in texts
            ]
        else:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.no_padding()
            lock = threading.Lock()  # a Tokenizer used from two threads at once can raise "Already borrowed"

            def ids(texts: list[str]) -> list[list[int]]:
                with lock:
                    return [encoding.ids for encoding in tokenizer.encode_batch(texts)]

            self._ids = ids
        self.query_prompt, self.passage_prompt = query_prompt, passage_prompt
        self.dimension = int(self._table.shape[1])

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._embed([self.query_prompt + t for t in texts]).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed([self.passage_prompt + t for t in texts]).tolist()

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts``, in batches of similar length (as sentence-transformers batches: a
        long text padding a whole batch costs memory quadratic in its length)."""
        out = np.zeros((len(texts), self.dimension), np.float32)
        ids = self._ids(texts)
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            out[rows] = self._run([ids[i] for i in rows])
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), np.int64)
        mask = np.zeros((len(batch), width), np.int64)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        # bfloat16 is the top half of a float32: shifting the words up gives the exact values.
        vectors = (self._table[ids].astype(np.uint32) << 16).view(np.float32)
        (hidden,) = self._session.run(None, {"vectors": vectors, "mask": mask})
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)  # e5's mean pooling
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.where(norms == 0, 1, norms)
