"""Understanding the questionnaire's answers (actions/orientation/answers.py)."""

import pytest
import yaml

from actions.orientation.answers import corrections, interpret, questionnaire
from common.defaults import PROJECT_ROOT

EXAMPLES = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "orientation_answers.yml").read_text())


def understood_share(lang: str) -> float:
    examples = EXAMPLES[lang]
    return sum(interpret(e["question"], e["text"]).value == e["expected"] for e in examples) / len(examples)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_free_text_answers_are_understood(lang):
    # The floor for the figure `make bench-orientation` prints; the set has 30+ answers per language.
    assert len(EXAMPLES[lang]) >= 30
    assert understood_share(lang) >= 0.9


@pytest.mark.parametrize(
    "question, text, expected",
    [
        ("education", "j'ai fini mes humanités", "secondary"),
        ("education", "ik heb een bachelor verpleegkunde", "higher"),
        ("age_band", "j'ai 19 ans", "from_18_to_25"),
        ("age_band", "ik ben 46", "over_45"),
    ],
)
def test_the_examples_of_the_issue(question, text, expected):
    assert interpret(question, text).value == expected


@pytest.mark.parametrize(
    "question", ["situation", "age_band", "education", "need_area", "time_available", "mobility", "counsellor_language"]
)
def test_every_button_value_is_understood_as_itself(question):
    for value in questionnaire()[question]["options"]:
        assert interpret(question, value).value == value


@pytest.mark.parametrize("text", ["je ne sais pas", "Passer", "sla over", "Weet ik niet", "geen idee"])
def test_a_question_can_be_skipped(text):
    answer = interpret("education", text)
    assert answer.skipped and answer.understood and answer.value is None


def test_an_answer_that_means_nothing_is_not_understood():
    answer = interpret("situation", "bleu")
    assert not answer.understood


def test_a_correction_of_an_earlier_answer_is_found():
    assert corrections("non, en fait j'ai 26 ans", ["situation", "age_band"], "education") == {
        "age_band": "from_26_to_45"
    }
    assert corrections("nee, eigenlijk ben ik 17", ["age_band"], "education") == {"age_band": "under_18"}


def test_an_ordinary_answer_is_not_taken_for_a_correction():
    assert corrections("j'ai fini mes humanités", ["age_band", "situation"], "education") == {}


def test_languages_with_their_levels():
    assert interpret("languages", "français couramment, un peu de néerlandais").value == {"fr": "fluent", "nl": "basic"}
    assert interpret("languages", "Engels").value == {"en": "good"}
    assert interpret("languages", "rien").value is None


@pytest.mark.parametrize(
    "text, expected", [("j'aime pas", "dislike"), ("pourquoi pas", "neutral"), ("ja, graag", "like"), ("like", "like")]
)
def test_interest_items(text, expected):
    assert interpret("social_help", text).value == expected
