"""Search over the passages, one result per topic, in the visitor's language.

The query is compared with the passages of both languages, because visitors
often use the other language's words ("je suis werkzoekende", "mijn CESS").
A topic's score is the cosine of its best passage, averaged with half the
weight of its second best (a topic that answers in several places is a safer
answer), plus up to LEXICAL_WEIGHT for words it shares with the query (BM25,
relative to the best topic), which catches names such as "C4" or "Equisup".
Each result shows the topic's best passage in the visitor's language when one
is asked for. `make bench-retrieval` measures these choices.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np
import torch

from knowledge import encoder, index
from knowledge.lexical import BM25
from knowledge.passages import Passage
from knowledge.settings import KnowledgeSettings, get_settings


SECOND_PASSAGE_WEIGHT = 0.5
LEXICAL_WEIGHT = 0.03


@dataclass
class Hit:
    passage: Passage
    score: float  # the topic's score (see the module's docstring)

    def to_dict(self) -> Dict:
        p = self.passage
        return {"id": p.id, "topic": p.topic, "area": p.area, "lang": p.lang, "title": p.title,
                "text": p.text, "url": p.url, "organisations": p.organisations,
                "last_checked": p.last_checked, "score": round(self.score, 4)}


class KnowledgeSearch:
    def __init__(self, built: index.Index, model, min_score: float):
        # Grouped by topic, so that per-topic maxima are one `reduceat`.
        order = sorted(range(len(built.passages)), key=lambda i: built.passages[i].topic)
        self.passages = [built.passages[i] for i in order]
        self.embeddings = built.embeddings[order]
        # Scored with torch, not numpy: numpy's BLAS would start its own threads
        # for a large matrix, and they fight torch's for the two cores (measured:
        # query p95 from 28 to 120 ms at 10,000 passages).
        self._matrix = torch.from_numpy(np.ascontiguousarray(self.embeddings))
        self.model = model
        self.min_score = min_score
        self.lexical = BM25([f"{p.title} {p.section} {p.text}" for p in self.passages])
        self.topics = sorted({p.topic for p in self.passages})
        number = {topic: i for i, topic in enumerate(self.topics)}
        self._topic = np.array([number[p.topic] for p in self.passages])
        self._topic_starts = np.flatnonzero(np.r_[True, self._topic[1:] != self._topic[:-1]])
        self._topic_area = np.array([self.passages[i].area for i in self._topic_starts])
        self._langs = np.array([p.lang for p in self.passages])

    @classmethod
    def from_settings(cls, settings: Optional[KnowledgeSettings] = None) -> "KnowledgeSearch":
        settings = settings or get_settings()
        model = encoder.load(settings)
        return cls(index.load_or_build(settings, model), model, settings.min_score)

    def encode_query(self, query: str) -> np.ndarray:
        return self.model.encode(query, prompt=encoder.PROMPTS["query"], normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def search(self, query: str, lang: Optional[str] = None, area: Optional[str] = None,
               k: int = 5) -> List[Hit]:
        """Top `k` topics; with `lang`, each shown through its best passage in that language."""
        return self.rank(self.encode_query(query), self.lexical.scores(query), lang, area, k)

    def topic_scores(self, passage_cosines: np.ndarray, passage_lexical: np.ndarray) -> np.ndarray:
        starts = self._topic_starts
        best = np.maximum.reduceat(passage_cosines, starts)
        second = np.maximum.reduceat(
            np.where(passage_cosines < best[self._topic], passage_cosines, -np.inf), starts)
        second = np.where(np.isfinite(second), second, best)
        lexical = np.maximum.reduceat(passage_lexical, starts)
        if lexical.max() > 0:
            lexical = lexical / lexical.max()
        return (best + SECOND_PASSAGE_WEIGHT * second) / (1 + SECOND_PASSAGE_WEIGHT) \
            + LEXICAL_WEIGHT * lexical

    def rank(self, query_vector: np.ndarray, passage_lexical: np.ndarray,
             lang: Optional[str] = None, area: Optional[str] = None, k: int = 5) -> List[Hit]:
        cosines = (self._matrix @ torch.from_numpy(query_vector)).numpy()
        scores = self.topic_scores(cosines, passage_lexical)
        if area:
            scores = np.where(self._topic_area == area, scores, -np.inf)
        hits: List[Hit] = []
        for t in np.argsort(-scores, kind="stable")[:k]:
            if not np.isfinite(scores[t]):
                break
            shown = np.flatnonzero(self._topic == t)
            if lang and np.any(self._langs[shown] == lang):
                shown = shown[self._langs[shown] == lang]
            best = shown[np.argmax(cosines[shown])]
            hits.append(Hit(self.passages[best], float(scores[t])))
        return hits

    def answer(self, query: str, lang: str) -> Optional[Hit]:
        """The best passage if it is a reliable answer, else None (offer a counsellor)."""
        hits = self.search(query, lang=lang, k=1)
        return hits[0] if hits and hits[0].score >= self.min_score else None
