"""A BERT sentence-transformers model run by numpy: all-MiniLM-L6-v2's vectors without torch.

sentence-transformers needs torch (750 MB installed, 5 s to import on these machines) to run a
six-layer encoder that is a dozen matrix products a layer. The same forward pass in numpy over
the weights the model package ships (``model.safetensors``, mapped from the file), with the
model's own tokenizer run by Hugging Face ``tokenizers``, gives the same vectors (cosine above
0.99999 on a thousand sentences, ``tests/test_encoder.py``) at a seventh of the installed size,
loads in a fifth of a second, and embeds a question in a few milliseconds
(``benchmarks/semantic_runtimes.py`` compares it with sentence-transformers and onnxruntime).

What it runs is what sentence-transformers runs for such a model: the text stripped, tokenized
and cut at ``max_seq_length`` tokens, the BERT encoder (post-norm layers, exact GELU), the
pooling its ``1_Pooling/config.json`` names (mean, CLS or max), and unit length, which askbot
always wants (a dot product is then the cosine).

Imported only when a model is used (``askbot.semantic.load_encoder``): numpy and tokenizers
load here and nowhere on askbot's lexical path.
"""

from __future__ import annotations

import json
import os
from array import array
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

from ..errors import UsageError
from . import BATCH

#: A float32 matrix.
Matrix = Any
#: Told (done, total) as batches finish: ``askbot index`` draws its progress line from it.
Progress = Callable[[int, int], None]

#: The pooling modes sentence-transformers' ``Pooling`` config can name that this encoder runs.
_POOLING = ("pooling_mode_mean_tokens", "pooling_mode_cls_token", "pooling_mode_max_tokens")
# sqrt(2/pi) and the coefficients of Abramowitz & Stegun 7.1.26 for erf (error under 1.5e-7,
# below float32's own), for BERT's exact GELU, x * Phi(x): numpy has no erf.
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
#: The safetensors dtypes read, as numpy stores them (BF16 is widened to float32 by hand).
_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16, "I64": np.int64}
#: A header larger than this is not a model's (the format itself allows 100 MB).
_MAX_HEADER = 100_000_000
#: Rows of the GELU's input worked on at once: 128 x 1,536 float32 fit in a core's cache.
_GELU_ROWS = 128
#: Texts tokenized at once. ``tokenizers`` returns an ``Encoding`` per text (ids, tokens, offsets,
#: masks): of a 100,000-entry base's 300,000 texts at once, 1.6 GB. Each chunk's ids are kept
#: as compact arrays and its encodings dropped.
_TOKENIZE_CHUNK = 4096


class Layer:
    """One transformer layer's weights, laid out for the products ``x @ weight`` of 2-D token rows:
    each matrix copied once, at load, into (in × out) row-major order, in which OpenBLAS runs a
    question's few rows twice as fast as over the file's (out × in) order transposed (a batch's,
    5% faster; the copy costs 18 ms, ``benchmarks/semantic_runtimes.py``); query, key and value
    as one matrix, so a token pays one product for all three."""

    def __init__(self, weights: dict[str, Matrix], prefix: str) -> None:
        def get(name: str) -> Matrix:
            return weights[f"{prefix}{name}"]

        def rows_first(*names: str) -> Matrix:
            return np.ascontiguousarray(np.concatenate([get(f"{name}.weight") for name in names]).T)

        attention = [f"attention.self.{part}" for part in ("query", "key", "value")]
        self.qkv = rows_first(*attention)
        self.qkv_bias = np.concatenate([get(f"{name}.bias") for name in attention])
        self.out = rows_first("attention.output.dense")
        self.out_bias = get("attention.output.dense.bias")
        self.norm1 = (get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias"))
        self.up = rows_first("intermediate.dense")
        self.up_bias = get("intermediate.dense.bias")
        self.down = rows_first("output.dense")
        self.down_bias = get("output.dense.bias")
        self.norm2 = (get("output.LayerNorm.weight"), get("output.LayerNorm.bias"))


class BertEncoder:
    """A BERT sentence-transformers model in a local folder, giving float32 unit vectors.

    The folder holds what a sentence-transformers (or plain Hugging Face) BERT model is saved
    as: ``config.json``, ``model.safetensors``, ``tokenizer.json``, and optionally
    ``sentence_bert_config.json`` (``max_seq_length``) and ``1_Pooling/config.json``. Anything
    missing or of another architecture is a ``UsageError`` naming the file. ``batch``,
    ``blas_threads`` and ``workers`` are how it uses the cores (``encode``): the defaults are what askbot runs,
    the others are there to measure them against (``benchmarks/semantic_runtimes.py``).
    """

    def __init__(
        self, name: str, folder: str, *, batch: int = BATCH, blas_threads: int = 1, workers: int | None = None
    ) -> None:
        self.name = name
        self.folder = folder
        config = _json(folder, "config.json")
        if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
            raise UsageError(
                f"{folder}: only BERT models with GELU are run without torch "
                f"(config.json says model_type {config.get('model_type')!r})"
            )
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = _weights(folder)
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        try:
            self.words = weights[f"{prefix}embeddings.word_embeddings.weight"]
            self.positions = weights[f"{prefix}embeddings.position_embeddings.weight"]
            self.token_type = weights[f"{prefix}embeddings.token_type_embeddings.weight"][0]
            self.norm = (weights[f"{prefix}embeddings.LayerNorm.weight"], weights[f"{prefix}embeddings.LayerNorm.bias"])
            self.layers = [
                Layer(weights, f"{prefix}encoder.layer.{n}.") for n in range(int(config["num_hidden_layers"]))
            ]
        except KeyError as missing:
            raise UsageError(f"{folder}: model.safetensors has no weight {missing}") from None
        self.pooling = _pooling(folder)
        sentence_config = _json(folder, "sentence_bert_config.json", required=False)
        self.max_tokens = min(int(sentence_config.get("max_seq_length", 512)), len(self.positions))
        self.lowercase = bool(sentence_config.get("do_lower_case", False))
        try:
            self.tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        except Exception as exc:  # tokenizers raises its own Exception subclasses for a bad file
            raise UsageError(f"{folder}: cannot read tokenizer.json: {exc}") from None
        # sentence-transformers pads itself, per batch, and cuts at max_seq_length tokens.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_tokens)
        self._blas = ThreadpoolController()
        self.batch = batch
        self.blas_threads = blas_threads
        #: Worker threads for a long list of texts: by default one a core this process may run on.
        self.workers = workers or _cores()

    def encode(self, texts: Sequence[str], *, progress: Progress | None = None) -> Matrix:
        """One float32 unit row per text, in order, in length-sorted batches of ``batch``.

        The BLAS library runs ``blas_threads`` (one) while it works (``threadpoolctl``), and
        batches go to ``workers`` threads, one a core (numpy lets go of the GIL in its products).
        OpenBLAS's own threads wait for one another between the small products of a sentence
        model: on a machine whose other core is busy, a question took 30 to 300 ms that way
        against 12 ms on one thread (``benchmarks/semantic_runtimes.py``)."""
        found = np.zeros((len(texts), self.words.shape[1]), dtype=np.float32)
        if not texts:
            return found
        ids = self._token_ids(texts)
        order = sorted(range(len(ids)), key=lambda n: len(ids[n]))
        batches = [order[start : start + self.batch] for start in range(0, len(order), self.batch)]
        with self._blas.limit(limits=self.blas_threads, user_api="blas"):
            if len(batches) == 1 or self.workers == 1:
                for done, batch in enumerate(batches, 1):
                    found[batch] = self._forward([ids[n] for n in batch])
                    if progress is not None:
                        progress(done, len(batches))
                return found
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(min(self.workers, len(batches)))
            try:
                rows = pool.map(self._forward, [[ids[n] for n in batch] for batch in batches])
                for done, (batch, vectors) in enumerate(zip(batches, rows, strict=True), 1):
                    found[batch] = vectors
                    if progress is not None:
                        progress(done, len(batches))
            finally:
                # Ctrl-C while embedding a large base: the batches not yet begun are dropped.
                pool.shutdown(wait=True, cancel_futures=True)
        return found

    def _token_ids(self, texts: Sequence[str]) -> list[array[int]]:
        """Each text's token ids, as sentence-transformers reads it (stripped, lowered for a model
        that lowers), ``_TOKENIZE_CHUNK`` texts at a time."""
        ids: list[array[int]] = []
        for start in range(0, len(texts), _TOKENIZE_CHUNK):
            chunk = texts[start : start + _TOKENIZE_CHUNK]
            cleaned = [text.strip().lower() if self.lowercase else text.strip() for text in chunk]
            encodings = self.tokenizer.encode_batch(cleaned, add_special_tokens=True)
            ids.extend(array("i", encoding.ids) for encoding in encodings)
        return ids

    def _forward(self, batch: Sequence[Sequence[int]]) -> Matrix:
        """The unit sentence vectors of a batch of token-id lists.

        The tokens are packed, one row each, for everything but attention, which alone needs
        each text's tokens side by side: it runs on them laid out in a (texts × longest) grid,
        the padding masked out. Padded through every product, a batch of questions of unequal
        length would pay a fifth more (CLINC150's, sorted in groups of 128), four tenths more
        for 32 questions as they come."""
        lengths = np.array([len(ids) for ids in batch])
        size, length = len(batch), int(lengths.max())
        tokens = np.fromiter(chain.from_iterable(batch), dtype=np.int64, count=int(lengths.sum()))
        starts = np.concatenate([[0], np.cumsum(lengths[:-1])])
        places = np.arange(len(tokens)) - np.repeat(starts, lengths)  # each token's place in its text
        grid = np.repeat(np.arange(size) * length, lengths) + places  # ... and its row in the grid
        x = self.words[tokens] + self.positions[places] + self.token_type
        x = _layer_norm(x, *self.norm, self.eps)
        # A padded key gets no attention: a large negative added before the softmax.
        masked: Matrix = np.full(size * length, np.finfo(np.float32).min, dtype=np.float32)
        masked[grid] = 0
        masked = masked.reshape(size, 1, 1, length)
        layout = _Grid(grid, size, length)
        for layer in self.layers:
            x = self._layer(layer, x, masked, layout)
        return _unit(_pool(self.pooling, x, starts, lengths))

    def _layer(self, layer: Layer, x: Matrix, masked: Matrix, grid: _Grid) -> Matrix:
        """One post-norm transformer layer over the batch's packed token rows; biases and
        residuals are added in place (each array a product makes is written once more, not
        copied)."""
        hidden = x.shape[1]
        width = hidden // self.heads
        qkv = x @ layer.qkv
        qkv += layer.qkv_bias
        split = grid.spread(qkv).reshape(grid.size, grid.length, 3, self.heads, width)
        query, key, value = (split[:, :, n].transpose(0, 2, 1, 3) for n in range(3))
        scores = query @ key.transpose(0, 1, 3, 2)
        scores *= np.float32(1 / np.sqrt(width))
        scores += masked
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(grid.size * grid.length, hidden)
        attended = grid.pack(context) @ layer.out
        attended += layer.out_bias
        attended += x
        x = _layer_norm(attended, *layer.norm1, self.eps)
        inner = x @ layer.up
        inner += layer.up_bias
        out = _gelu(inner) @ layer.down
        out += layer.down_bias
        out += x
        return _layer_norm(out, *layer.norm2, self.eps)


class _Grid:
    """Where a batch's packed token rows sit in its (texts × longest) grid: ``spread`` lays rows
    out in it (zeros where a text is shorter), ``pack`` takes them back."""

    def __init__(self, rows: Matrix, size: int, length: int) -> None:
        self.rows, self.size, self.length = rows, size, length
        self.full = len(rows) == size * length  # texts of one length: the grid is the rows

    def spread(self, packed: Matrix) -> Matrix:
        if self.full:
            return packed
        laid = np.zeros((self.size * self.length, packed.shape[1]), dtype=packed.dtype)
        laid[self.rows] = packed
        return laid

    def pack(self, laid: Matrix) -> Matrix:
        return laid if self.full else laid[self.rows]


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    centred *= weight / np.sqrt(variance + np.float32(eps))
    centred += bias
    return centred


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x·Φ(x), in place: ``max(x, 0) - |x|·(1 - erf(|x|/√2))/2``, erf by
    Abramowitz & Stegun 7.1.26 (numpy has none), ``_GELU_ROWS`` rows at a time so that each of
    its dozen passes stays in the cache: ten times faster than the same formula on the whole
    matrix, which spent more time than the matrix products on a batch of long answers."""
    a1, a2, a3, a4, a5 = (np.float32(a) for a in _ERF_A)
    scale, half = np.float32(_ERF_P / np.sqrt(2)), np.float32(-0.5)
    for start in range(0, len(x), _GELU_ROWS):
        rows = x[start : start + _GELU_ROWS]
        size = np.abs(rows)
        t = size * scale
        t += 1
        np.reciprocal(t, out=t)
        tail = t * a5
        for a in (a4, a3, a2, a1):
            tail += a
            tail *= t
        np.multiply(size, size, out=t)
        t *= half
        np.exp(t, out=t)
        tail *= t
        tail *= size
        tail *= -half
        np.maximum(rows, 0, out=rows)
        rows -= tail
    return x


def _pool(mode: str, x: Matrix, starts: Matrix, lengths: Matrix) -> Matrix:
    """Each text's vector from its packed token rows (``starts``, ``lengths``)."""
    if mode == "pooling_mode_cls_token":
        return x[starts]
    if mode == "pooling_mode_max_tokens":
        return np.maximum.reduceat(x, starts, axis=0)
    return np.add.reduceat(x, starts, axis=0) / lengths[:, None].astype(np.float32)


def _unit(rows: Matrix) -> Matrix:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.maximum(norms, np.float32(1e-12))).astype(np.float32)


def _json(folder: str, name: str, *, required: bool = True) -> dict[str, Any]:
    path = os.path.join(folder, name)
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
    except FileNotFoundError:
        if not required:
            return {}
        raise UsageError(f"{folder}: no {name} (a sentence-transformers model folder is needed)") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read it: {exc}") from None
    if not isinstance(found, dict):
        raise UsageError(f"{path}: not a JSON object")
    return found


def _weights(folder: str) -> dict[str, Matrix]:
    """The tensors of ``model.safetensors``, mapped from the file rather than read into memory.

    The format is a little-endian length, a JSON header naming each tensor's dtype, shape and
    byte range, then the bytes. Mapped, a warm start reads only the pages a question touches:
    the layers (21 MB) and a few rows of the 47 MB word-embedding table, not all 88 MB, which
    ``safetensors.numpy.load_file`` copies (0.12 s of a 0.3 s start, measured by
    ``benchmarks/semantic_cost.py``). Half-precision tensors are widened to float32 once.
    """
    path = os.path.join(folder, "model.safetensors")
    if not os.path.isfile(path):
        raise UsageError(f"{folder}: no model.safetensors (convert the model's weights to safetensors)")
    try:
        with open(path, "rb") as handle:
            length = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(length)) if 0 < length <= _MAX_HEADER else None
        if not isinstance(header, dict):
            raise ValueError("no safetensors header")
        data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
        weights = {}
        for name, tensor in header.items():
            if name == "__metadata__":
                continue
            start, end = tensor["data_offsets"]
            dtype = _DTYPES[tensor["dtype"]]
            raw = data[start:end].view(dtype).reshape(tensor["shape"])
            if tensor["dtype"] == "BF16":  # the upper half of a float32
                raw = (raw.astype(np.uint32) << 16).view(np.float32)
            weights[name] = raw if raw.dtype == np.float32 or raw.dtype.kind != "f" else raw.astype(np.float32)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a safetensors file numpy can read ({exc})") from None
    return weights


def _pooling(folder: str) -> str:
    config = _json(folder, os.path.join("1_Pooling", "config.json"), required=False)
    chosen = [mode for mode, on in config.items() if mode.startswith("pooling_mode") and on is True]
    if not chosen:
        return "pooling_mode_mean_tokens"
    if len(chosen) > 1 or chosen[0] not in _POOLING:
        raise UsageError(f"{folder}: pooling {', '.join(chosen)} is not run without torch (mean, CLS or max only)")
    return chosen[0]
