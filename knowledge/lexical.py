"""Okapi BM25 over the passages, for the names and terms that embeddings blur.

An inverted index (term -> passages and their precomputed weights) keeps a
query at a few array operations, also at ten thousand passages.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

# Re-exported: knowledge.lexical.words is where the search side has always found it.
from common.text import WORD, words  # noqa: F401


class BM25:
    def __init__(self, texts: Sequence[str], k1: float = 1.5, b: float = 0.75):
        counts = [Counter(words(text)) for text in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        average = float(lengths.mean()) if len(lengths) else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc, c in enumerate(counts):
            for term, count in c.items():
                postings[term].append((doc, count))
        self.size = len(texts)
        self.index: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # How rare each word is: weighs the question's words when counting those a sheet holds.
        self.idf: dict[str, float] = {}
        for term, entries in postings.items():
            docs = np.array([d for d, _ in entries])
            tf = np.array([t for _, t in entries], dtype=np.float32)
            idf = math.log((self.size - len(docs) + 0.5) / (len(docs) + 0.5) + 1)
            self.idf[term] = idf
            weight = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[docs] / average))
            self.index[term] = (docs, weight.astype(np.float32))

    def weights(self, query: str) -> dict[str, float]:
        """The query's words that the passages use, each with its rarity (unknown words are left out)."""
        return {term: self.idf[term] for term in words(query) if term in self.idf}

    def scores(self, query: str) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        for term in words(query):
            if term in self.index:
                docs, weight = self.index[term]
                total[docs] += weight
        return total
