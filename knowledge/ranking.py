"""The second ranking stage and the decision to answer, to ask which sheet, or to say "I don't know".

The first stage (knowledge/search.py) scores every sheet by its passages' similarity to the
question. Near the top its scores are close and say little about being right: measured on 50
visitor questions, wrong answers scored 0.885-0.947 while right sheets sat 0.0004-0.013 behind.
So the few best sheets are scored again with what the first stage cannot see (the question's
words in the sheet's title and summary; a Belgian term of the glossary that points at the
sheet), and the decision uses several signals (that score, the margin to the next sheet, the share
of the question's words the sheet holds, whether the question names a need that others cover, from
knowledge/elsewhere.yml, the question's length) through a logistic model whose weights and thresholds
`python -m knowledge.ranking_tune` fits on a development set and checks on a held-out one.
The parameters live in knowledge/ranking.yml, written by that command.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

PARAMETERS_FILE = Path(__file__).resolve().parent / "ranking.yml"
# Only the best few sheets of the first stage are scored again; the right one is almost always
# among them (`make bench-retrieval`, Recall@3) and more would only add near-zero candidates.
CANDIDATES = 5
ANSWER, CHOOSE, NONE = "answer", "choose", "none"
FEATURES = ("score", "margin", "words", "hint", "elsewhere", "length")
# Long messages (a story with a question in it) match every sheet less closely: their length is a
# signal of its own, counted up to this many words.
LONG_MESSAGE_WORDS = 40


@dataclass(frozen=True)
class Candidate:
    topic: str
    score: float  # first stage: similarity of its passages, plus its share of BM25
    title: float  # weighted share of the question's words in the sheet's title and summary
    words: float  # weighted share of the question's words anywhere in the sheet
    hint: float  # 1 when a glossary term points first at this sheet, 0.5 when second, else 0


@dataclass(frozen=True)
class Parameters:
    title_weight: float
    hint_weight: float
    # Logistic model of "the best sheet is right", over FEATURES.
    intercept: float
    coefficients: tuple[float, ...]
    answer_from: float  # probability at or above which the best sheet is the answer
    choose_from: float  # below answer_from but at or above this, the two best are offered...
    choose_margin: float  # ... when their scores are this close

    @classmethod
    def load(cls, path: Path = PARAMETERS_FILE) -> Parameters:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["parameters"]
        return cls(
            title_weight=float(raw["title_weight"]),
            hint_weight=float(raw["hint_weight"]),
            intercept=float(raw["intercept"]),
            coefficients=tuple(float(raw["coefficients"][name]) for name in FEATURES),
            answer_from=float(raw["answer_from"]),
            choose_from=float(raw["choose_from"]),
            choose_margin=float(raw["choose_margin"]),
        )


@dataclass(frozen=True)
class Decision:
    kind: str  # ANSWER, CHOOSE or NONE
    topics: tuple[str, ...]  # the answer's sheet; the two to choose from; the best guesses for NONE
    confidence: float  # the model's probability that the best sheet is right
    signals: dict[str, float]


def rerank(candidates: Sequence[Candidate], parameters: Parameters) -> list[tuple[Candidate, float]]:
    scored = [(c, c.score + parameters.title_weight * c.title + parameters.hint_weight * c.hint) for c in candidates]
    return sorted(scored, key=lambda pair: -pair[1])


def signals(ranked: Sequence[tuple[Candidate, float]], elsewhere: bool = False, length: int = 0) -> dict[str, float]:
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else score - 1
    return {
        "score": score,
        "margin": score - second,
        "words": best.words,
        "hint": best.hint,
        "elsewhere": float(elsewhere),
        "length": min(length, LONG_MESSAGE_WORDS) / LONG_MESSAGE_WORDS,
    }


def probability(features: dict[str, float], parameters: Parameters) -> float:
    z = parameters.intercept + sum(
        c * features[name] for name, c in zip(FEATURES, parameters.coefficients, strict=False)
    )
    if not math.isfinite(z):
        return 0.0  # a signal that is not a number must not pass for certainty (min(50, nan) is 50)
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


def decide(
    candidates: Sequence[Candidate], parameters: Parameters, elsewhere: bool = False, length: int = 0
) -> Decision:
    """Answer with the best sheet when the model trusts it; offer the two best when they are close
    and the best is half trusted; else say so (the two best are kept for the record, not shown).
    `elsewhere`: the question names a need that others cover (knowledge/elsewhere.yml); `length`:
    its number of words."""
    if not candidates:
        return Decision(NONE, (), 0.0, {})
    ranked = rerank(candidates, parameters)
    found = signals(ranked, elsewhere, length)
    confidence = probability(found, parameters)
    topics = tuple(candidate.topic for candidate, _ in ranked[:2])
    if confidence >= parameters.answer_from:
        return Decision(ANSWER, topics[:1], confidence, found)
    # Two sheets are offered only for a need the centre covers: for one that others cover (housing,
    # residence...), two unrelated sheets would only mislead.
    if (
        len(ranked) > 1
        and not elsewhere
        and confidence >= parameters.choose_from
        and found["margin"] <= parameters.choose_margin
    ):
        return Decision(CHOOSE, topics, confidence, found)
    return Decision(NONE, topics, confidence, found)
