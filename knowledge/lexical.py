"""Okapi BM25 over the passages, for the names and terms that embeddings blur.

An inverted index (term -> passages and their precomputed weights) keeps a
query at a few array operations, also at ten thousand passages.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Dict, List, Sequence, Tuple

import numpy as np

WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> List[str]:
    """Lower case, accents removed ("équivalence" and "equivalence" match)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)))


class BM25:
    def __init__(self, texts: Sequence[str], k1: float = 1.5, b: float = 0.75):
        counts = [Counter(words(text)) for text in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        average = float(lengths.mean()) if len(lengths) else 1.0
        postings: Dict[str, List[Tuple[int, int]]] = defaultdict(list)
        for doc, c in enumerate(counts):
            for term, tf in c.items():
                postings[term].append((doc, tf))
        self.size = len(texts)
        self.index: Dict[str, Tuple[np.ndarray, np.ndarray]] = {}
        for term, entries in postings.items():
            docs = np.array([d for d, _ in entries])
            tf = np.array([t for _, t in entries], dtype=np.float32)
            idf = math.log((self.size - len(docs) + 0.5) / (len(docs) + 0.5) + 1)
            weight = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[docs] / average))
            self.index[term] = (docs, weight.astype(np.float32))

    def scores(self, query: str) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        for term in words(query):
            if term in self.index:
                docs, weight = self.index[term]
                total[docs] += weight
        return total
