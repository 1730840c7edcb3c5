"""Fits knowledge/ranking.yml: the second stage's weights, the model of "the best sheet is right", and
the thresholds to answer, to offer a choice or to say "no reliable answer".

    python -m knowledge.ranking_tune        (make tune-ranking; writes knowledge/ranking.yml)

On the development questions (bench/data/answers_dev.yml and bench/data/retrieval_queries.yml,
both written apart from the evaluation set of `make bench-answers`), split in two halves by a hash
of each question: everything is fitted on the first half and reported on both, so that the second
half tells whether the fit holds on questions it has not seen. The thresholds maximise the mean
score the visitor gets, with the rubric of `make bench-answers` (docs/benchmarks.md): 2 for the
right sheet, 1 for an honest "no reliable answer" to a covered question, 2 for it to an uncovered
one, 0 for a wrong or uncovered answer; a choice between two sheets counts CHOICE_VALUE when one of
them is right (the visitor taps once more), 0 when neither is.
Run it again after changing the content, the glossary, the encoder or the first stage.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import yaml

from common.defaults import PROJECT_ROOT
from knowledge.glossary import elsewhere_for
from knowledge.lexical import words
from knowledge.ranking import ANSWER, CHOOSE, FEATURES, PARAMETERS_FILE, Candidate, Parameters, decide, rerank, signals
from knowledge.search import KnowledgeSearch

DEV_FILES = (
    PROJECT_ROOT / "bench" / "data" / "answers_dev.yml",
    PROJECT_ROOT / "bench" / "data" / "retrieval_queries.yml",
)
CHOICE_VALUE = 1.75
TITLE_WEIGHTS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08)
HINT_WEIGHTS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08)
ANSWER_FROM = tuple(np.round(np.arange(0.20, 0.96, 0.025), 3))
CHOOSE_FROM = tuple(np.round(np.arange(0.05, 0.90, 0.05), 3))
CHOOSE_MARGINS = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03)
# A little L2 keeps the logistic weights finite when a signal separates the tuning half perfectly.
L2 = 0.1


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    expected: frozenset[str]  # empty: no sheet covers it

    @property
    def held_out(self) -> bool:
        return hashlib.sha256(f"{self.lang}\0{self.text}".encode()).digest()[0] % 2 == 1


def development_questions() -> list[Question]:
    answers_dev, retrieval = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in DEV_FILES)
    questions = [Question(q["text"], q["lang"], frozenset(q["expected_topics"])) for q in answers_dev["questions"]]
    questions += [Question(q["q"], q["lang"], frozenset([q["topic"]])) for q in retrieval["queries"]]
    questions += [Question(q["q"], q["lang"], frozenset()) for q in retrieval["off_topic"]]
    return questions


def outcome_score(question: Question, kind: str, topics: Sequence[str]) -> float:
    right = bool(question.expected & set(topics))
    if not question.expected:
        return 2.0 if kind not in (ANSWER, CHOOSE) else 0.0
    if kind == ANSWER:
        return 2.0 if right else 0.0
    if kind == CHOOSE:
        return CHOICE_VALUE if right else 0.0
    return 1.0


@dataclass(frozen=True)
class Sample:
    question: Question
    candidates: list[Candidate]
    elsewhere: bool  # the question names a need that others cover (knowledge/elsewhere.yml)
    length: int  # its number of words


def recall_at_1(data: Sequence[Sample], parameters: Parameters) -> float:
    covered = [d for d in data if d.question.expected]
    return float(np.mean([rerank(d.candidates, parameters)[0][0].topic in d.question.expected for d in covered]))


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Newton's method on the L2-penalised log-likelihood; x standardised inside, weights returned raw."""
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / spread]
    w = np.zeros(z.shape[1])
    penalty = L2 * np.eye(z.shape[1])
    penalty[0, 0] = 0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z.T * (p * (1 - p))) @ z + penalty
        w -= np.linalg.solve(hessian, gradient)
    coefficients = w[1:] / spread
    return float(w[0] - coefficients @ mean), coefficients


def evaluate(data: Sequence[Sample], parameters: Parameters) -> dict[str, float]:
    results = [(d.question, decide(d.candidates, parameters, d.elsewhere, d.length)) for d in data]
    covered = [(q, d) for q, d in results if q.expected]
    return {
        "questions": len(results),
        "mean": float(np.mean([outcome_score(q, d.kind, d.topics) for q, d in results])),
        "right_answers": float(np.mean([d.kind == ANSWER and d.topics[0] in q.expected for q, d in covered])),
        "wrong_answers": float(np.mean([d.kind == ANSWER and d.topics[0] not in q.expected for q, d in covered])),
        "choices": float(np.mean([d.kind == CHOOSE for _, d in results])),
        "abstentions_covered": float(np.mean([d.kind not in (ANSWER, CHOOSE) for _, d in covered])),
        "answered_uncovered": sum(d.kind == ANSWER for q, d in results if not q.expected),
        "uncovered": sum(1 for q, _ in results if not q.expected),
    }


# Where the fit starts; also what the search runs with while sampling, so that tuning needs neither
# knowledge/ranking.yml nor its list of features to match FEATURES (the first stage does not use them).
NEUTRAL = Parameters(0.0, 0.0, 0.0, (0.0,) * len(FEATURES), 0.5, 0.3, 0.01)


def tune(tuning: Sequence[Sample]) -> Parameters:
    title, hint = max(
        itertools.product(TITLE_WEIGHTS, HINT_WEIGHTS),
        key=lambda w: (recall_at_1(tuning, replace(NEUTRAL, title_weight=w[0], hint_weight=w[1])), -sum(w)),
    )
    weighted = replace(NEUTRAL, title_weight=title, hint_weight=hint)
    x = np.array(
        [[signals(rerank(d.candidates, weighted), d.elsewhere, d.length)[name] for name in FEATURES] for d in tuning]
    )
    y = np.array([float(rerank(d.candidates, weighted)[0][0].topic in d.question.expected) for d in tuning])
    intercept, coefficients = fit_logistic(x, y)
    fitted = replace(weighted, intercept=intercept, coefficients=tuple(float(c) for c in coefficients))
    options = [
        replace(fitted, answer_from=a, choose_from=c, choose_margin=m)
        for a in ANSWER_FROM
        for c in CHOOSE_FROM
        if c < a
        for m in CHOOSE_MARGINS
    ]
    # Ties go to the more cautious setting (higher answer threshold).
    return max(options, key=lambda p: (round(evaluate(tuning, p)["mean"], 6), p.answer_from, -p.choose_margin))


def sample(engine: KnowledgeSearch, question: Question) -> Sample:
    first = engine.first_stage(question.text, question.lang)
    return Sample(
        question,
        first.candidates,
        bool(elsewhere_for(engine.elsewhere, first.question, question.lang)),
        len(words(first.question)),
    )


def commit() -> str:
    try:
        # "-dirty" when fitted on changes not yet committed.
        return (
            subprocess.run(
                ["git", "describe", "--always", "--dirty"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
            or "unknown"
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main() -> int:
    engine = KnowledgeSearch.from_settings(parameters=NEUTRAL)
    questions = development_questions()
    data = [sample(engine, q) for q in questions]
    tuning = [d for d in data if not d.question.held_out]
    held_out = [d for d in data if d.question.held_out]
    parameters = tune(tuning)
    figures = {"tuning half": evaluate(tuning, parameters), "held-out half": evaluate(held_out, parameters)}
    digests = {path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:12] for path in DEV_FILES}
    document = {
        "fitted": {
            "date": datetime.date.today().isoformat(),
            "commit": commit(),
            "development_sets": digests,
            "command": "python -m knowledge.ranking_tune",
        },
        "parameters": {
            "title_weight": parameters.title_weight,
            "hint_weight": parameters.hint_weight,
            "intercept": round(parameters.intercept, 4),
            "coefficients": {name: round(c, 4) for name, c in zip(FEATURES, parameters.coefficients, strict=False)},
            "answer_from": float(parameters.answer_from),
            "choose_from": float(parameters.choose_from),
            "choose_margin": float(parameters.choose_margin),
        },
        "figures": {split: {key: round(value, 3) for key, value in found.items()} for split, found in figures.items()},
    }
    header = (
        "# Written by `python -m knowledge.ranking_tune` (knowledge/ranking.py says what each value is).\n"
        "# Do not edit by hand: run it again after changing the content, the glossary or the search.\n"
    )
    PARAMETERS_FILE.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for split, found in figures.items():
        print(
            f"{split:>14}: "
            + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in found.items())
        )
    print(
        f"Recall@1 (covered): tuning {recall_at_1(tuning, parameters):.3f}, "
        f"held-out {recall_at_1(held_out, parameters):.3f}"
    )
    print(f"Written to {PARAMETERS_FILE.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
