"""Share of free-text questionnaire answers understood: `make bench-orientation`.

On tests/data/orientation_answers.yml (answers typed as visitors do, with what
they mean), per language and per question, next to a baseline that recognises
only the exact button values.
"""
from collections import defaultdict

from actions.orientation.answers import interpret, questionnaire
from tests.test_orientation_answers import EXAMPLES


def exact_buttons_only(question: str, text: str):
    options = questionnaire().get(question, {}).get("options", {})
    return text.strip() if text.strip() in options else None


def main() -> None:
    for lang, examples in EXAMPLES.items():
        per_question = defaultdict(lambda: [0, 0])
        baseline = 0
        for example in examples:
            right = interpret(example["question"], example["text"]).value == example["expected"]
            per_question[example["question"]][0] += right
            per_question[example["question"]][1] += 1
            baseline += exact_buttons_only(example["question"], example["text"]) == example["expected"]
        total = sum(r for r, _ in per_question.values())
        print(f"{lang}: {total}/{len(examples)} understood ({total / len(examples):.1%}); "
              f"exact button values only: {baseline}/{len(examples)}")
        for question, (right, count) in sorted(per_question.items()):
            print(f"  {question:<26} {right}/{count}")


if __name__ == "__main__":
    main()
