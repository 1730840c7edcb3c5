"""Share of free-text questionnaire answers understood: `make bench-orientation`.

Five sets of answers typed as visitors do, with what they mean:
tests/data/orientation_answers.yml, which the words of questionnaire.yml were
written with; bench/data/orientation_answers_second.yml, written apart from
those words and then used to extend them (its header gives its figures from
before); bench/data/orientation_heldout.yml, written apart from the words, whose
misses were looked at on 2026-12-06 (issue 18); bench/data/orientation_heldout_2.yml,
written on 2026-12-06 by a writer who saw only the questions and their options; and
bench/data/orientation_heldout_3.yml, the typed answers to the two interest groups,
written on 2026-12-07 the same way. The last two were never used to tune the words:
the honest figures (their misses are not printed). Since 2026-12-07 the interest
activities are asked in two groups, not one by one: the sets' answers to single
activities were dropped then. Each set is measured per language and per question,
next to a baseline that recognises only the exact button values, with the answers
recorded with the opposite meaning ("rather in Brussels" read as ready to travel or
move, French read as Dutch; for an interest group, an activity read as picked that
the visitor did not pick), the worst misreading.
"""

from collections import defaultdict
from pathlib import Path

import yaml

from actions.orientation.answers import interpret, questionnaire

SETS = {
    "tuning set": Path("tests/data/orientation_answers.yml"),
    "second set": Path(__file__).parent / "data" / "orientation_answers_second.yml",
    "first held-out set": Path(__file__).parent / "data" / "orientation_heldout.yml",
    "second held-out set": Path(__file__).parent / "data" / "orientation_heldout_2.yml",
    "interests held-out set": Path(__file__).parent / "data" / "orientation_heldout_3.yml",
}
# Never used to tune the words: their misses are not printed.
HONEST = {"second held-out set", "interests held-out set"}
# Meanings that say the contrary of each other, both ways.
OPPOSITES = {
    frozenset({"brussels_only", "travel"}),
    frozenset({"brussels_only", "move"}),
    frozenset({"fr", "nl"}),
    frozenset({"jobseeker_registered", "jobseeker_unregistered"}),
    frozenset({"foreign_recognised", "foreign_not_recognised"}),
}


def is_opposite(found: object, expected: object) -> bool:
    """Opposite meanings; for an interest group, an activity read as picked that the visitor did not pick."""
    if isinstance(found, list):
        return isinstance(expected, list) and bool(set(found) - set(expected))
    return isinstance(found, str) and isinstance(expected, str) and frozenset({found, expected}) in OPPOSITES


def meaning(question: str, text: str):
    answer = interpret(question, text)
    if answer.skipped:
        return "skip"
    return sorted(answer.value) if isinstance(answer.value, list) else answer.value


def expected_meaning(example: dict):
    return sorted(example["expected"]) if isinstance(example["expected"], list) else example["expected"]


def exact_buttons_only(question: str, text: str):
    options = questionnaire().get(question, {}).get("options", {})
    return text.strip() if text.strip() in options else None


def report(name: str, examples_by_language: dict) -> None:
    for lang, examples in examples_by_language.items():
        per_question: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        baseline = 0
        misses = []
        opposite = []
        for example in examples:
            question = example["question"]
            expected = expected_meaning(example)
            found = meaning(question, example["text"])
            right = found == expected
            per_question[question][0] += right
            per_question[question][1] += 1
            baseline += exact_buttons_only(question, example["text"]) == expected
            if not right:
                misses.append(example)
                if is_opposite(found, expected):
                    opposite.append(example)
        total = sum(r for r, _ in per_question.values())
        print(
            f"{name}, {lang}: {total}/{len(examples)} understood ({total / len(examples):.1%}); "
            f"exact button values only: {baseline}/{len(examples)}; with the opposite meaning: {len(opposite)}"
        )
        for question, (right, count) in sorted(per_question.items()):
            print(f"  {question:<22} {right}/{count}")
        if name in HONEST:
            continue  # its misses are not shown, so that nobody tunes the words to them
        for example in misses:
            print(
                f"  missed: {example['question']}: {example['text']!r} "
                f"-> {meaning(example['question'], example['text'])!r}, expected {example['expected']!r}"
            )


def main() -> None:
    for name, path in SETS.items():
        report(name, yaml.safe_load(path.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
