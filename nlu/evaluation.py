"""Held-out NLU examples and the scores we report on them.

Standard library only, so that the Rasa environment (benchmarks) and the
Python 3.11 environment (tests) share it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

# [text]{"entity": ...} or [text](entity) -> text
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")
HELDOUT_DIR = Path(__file__).resolve().parents[1] / "tests" / "nlu"


def plain_text(example: str) -> str:
    return ANNOTATION.sub(r"\1", example).strip()


def read_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs from a Rasa YAML NLU file, entity annotations removed."""
    import yaml  # both environments have PyYAML

    pairs = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((plain_text(line[2:]), block["intent"]))
    return pairs


def heldout(language: str) -> list[tuple[str, str]]:
    return read_examples(HELDOUT_DIR / f"heldout_{language}.yml")


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=False)) / len(gold)


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the gold intents (a prediction of nlu_fallback counts as wrong)."""
    true_positive: Counter = Counter()
    predicted_count: Counter = Counter(predicted)
    gold_count: Counter = Counter(gold)
    for g, p in zip(gold, predicted, strict=False):
        if g == p:
            true_positive[g] += 1
    scores: dict[str, float] = {}
    for label in gold_count:
        precision = true_positive[label] / predicted_count[label] if predicted_count[label] else 0.0
        recall = true_positive[label] / gold_count[label]
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return sum(scores.values()) / len(scores)
