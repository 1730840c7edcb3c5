"""Share of free-text questionnaire answers understood: `make bench-orientation`.

Three sets of answers typed as visitors do, with what they mean:
tests/data/orientation_answers.yml, which the words of questionnaire.yml were
written with; bench/data/orientation_answers_second.yml, written apart from
those words and then used to extend them (its header gives its figures from
before); and bench/data/orientation_heldout.yml, written apart from the words
and never used to tune them: the honest figure. Each is measured per language
and per question, next to a baseline that recognises only the exact button values.
"""

from collections import defaultdict
from pathlib import Path

import yaml

from actions.orientation.answers import interpret, questionnaire

SETS = {
    "tuning set": Path("tests/data/orientation_answers.yml"),
    "second set": Path(__file__).parent / "data" / "orientation_answers_second.yml",
    "held-out set": Path(__file__).parent / "data" / "orientation_heldout.yml",
}


def meaning(question: str, text: str):
    answer = interpret(question, text)
    return "skip" if answer.skipped else answer.value


def exact_buttons_only(question: str, text: str):
    options = questionnaire().get(question, {}).get("options", {})
    return text.strip() if text.strip() in options else None


def report(name: str, examples_by_language: dict) -> None:
    for lang, examples in examples_by_language.items():
        per_question: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        baseline = 0
        misses = []
        for example in examples:
            question = (
                "interest" if example["question"] in questionnaire()["interests"]["items"] else example["question"]
            )
            right = meaning(example["question"], example["text"]) == example["expected"]
            per_question[question][0] += right
            per_question[question][1] += 1
            baseline += exact_buttons_only(example["question"], example["text"]) == example["expected"]
            if not right:
                misses.append(example)
        total = sum(r for r, _ in per_question.values())
        print(
            f"{name}, {lang}: {total}/{len(examples)} understood ({total / len(examples):.1%}); "
            f"exact button values only: {baseline}/{len(examples)}"
        )
        for question, (right, count) in sorted(per_question.items()):
            print(f"  {question:<22} {right}/{count}")
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
