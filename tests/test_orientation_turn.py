"""What one message does to the questionnaire (actions/orientation/turn.py)."""

from typing import Any

import pytest
import yaml

from actions.orientation import answers, turn
from actions.orientation.answers import questionnaire
from actions.orientation.turn import ALL_ANSWERED, INTEREST_SLOT, INTERESTS, SKIPPED, UNCLEAR
from common.defaults import PROJECT_ROOT

STARTED = {"situation": "jobseeker_registered", "age_band": "from_18_to_25"}


def test_a_free_text_answer_is_kept_as_the_options_value():
    result = turn.read("education", "j'ai fini mes humanités", STARTED, "inform")
    assert result.slots == {"education": "secondary", UNCLEAR: None}
    assert not result.leaves_form


def test_a_button_sends_the_options_value():
    assert turn.read("need_area", "training", STARTED).slots["need_area"] == "training"


@pytest.mark.parametrize(
    "question", ["situation", "age_band", "education", "need_area", "time_available", "mobility", "counsellor_language"]
)
def test_each_buttons_label_typed_as_text_means_its_option(question):
    for value, option in questionnaire()[question]["options"].items():
        for lang in ("fr", "nl"):
            assert turn.read(question, option[lang], STARTED).slots[question] == value, option[lang]


@pytest.mark.parametrize("text", ["je ne sais pas", "sla over", "skip", "je préfère ne pas répondre"])
def test_a_skipped_question_is_marked_and_left_out_of_the_answers(text):
    result = turn.read("education", text, STARTED)
    assert result.slots["education"] == SKIPPED
    assert "education" not in turn.answers({**STARTED, **result.slots})


def test_the_goal_is_kept_in_the_visitors_words():
    assert turn.read("goal", "devenir aide-soignante", STARTED).slots["goal"] == "devenir aide-soignante"
    assert turn.read("goal", "weet ik niet", STARTED).slots["goal"] == SKIPPED


def test_an_earlier_answer_is_corrected_and_the_question_asked_again():
    result = turn.read("education", "non, en fait j'ai 26 ans", STARTED, "inform")
    assert result.corrected == {"age_band": "from_26_to_45"}
    assert result.slots["education"] is None and result.slots["age_band"] == "from_26_to_45"


def test_a_skipped_answer_can_be_corrected_later():
    result = turn.read("education", "eigenlijk ben ik 52", {**STARTED, "age_band": SKIPPED})
    assert result.corrected == {"age_band": "over_45"}


def test_not_understood_is_asked_once_more_then_skipped():
    first = turn.read("education", "euh", STARTED, "nlu_fallback")
    assert first.slots == {"education": None, UNCLEAR: "education"} and not first.moved_on
    second = turn.read("education", "euh encore", {**STARTED, **first.slots}, "nlu_fallback")
    assert second.slots == {"education": SKIPPED, UNCLEAR: None} and second.moved_on


@pytest.mark.parametrize(
    "text, intent, requested",
    [
        ("c'est quoi le CEB ?", "ask_education", False),  # a question, even with an option's word
        ("hoe lang duurt een opleiding bij VDAB", "ask_training", False),
        ("stop, j'arrête", "stop", False),
        ("/request_counsellor", "request_counsellor", False),
        ("kunnen we in het Nederlands verder", "choose_language", True),
        ("j'ai une question", "ask_question", False),
        ('/choose_topic{"topic": "student_jobs"}', "choose_topic", False),  # the sheet chosen for a question
    ],
)
def test_messages_that_are_not_answers_leave_the_form_to_the_rules(text, intent, requested):
    result = turn.read("education", text, STARTED, intent, 0.6, requested)
    assert result.leaves_form and result.slots["education"] is None


def test_an_answer_wins_over_an_unsure_intent():
    # "non" to an interest group picks none of its activities, even if the NLU leans towards `stop`.
    result = turn.read(INTEREST_SLOT, "non", STARTED, "stop", 0.6)
    assert not result.leaves_form and set(result.slots[INTERESTS].values()) == {"not_chosen"}


def test_a_confident_stop_wins_over_words_that_match_an_option():
    # "arrêté le secondaire" is an education answer; "j'arrête le questionnaire" is not.
    assert turn.read("education", "j'arrête le questionnaire", STARTED, "stop", 0.95).leaves_form
    assert not turn.read("education", "lower_secondary", STARTED, "stop", 0.95).leaves_form


def test_a_counsellor_named_in_the_counsellor_language_answer_is_an_answer():
    result = turn.read("counsellor_language", "un conseiller néerlandophone", STARTED, "request_counsellor", 0.9)
    assert result.slots["counsellor_language"] == "nl"


def test_the_interest_groups_are_asked_one_after_the_other_and_counted_as_questions():
    slots: dict[str, Any] = dict(STARTED)
    assert turn.step("age_band", None) == (2, 11)
    assert turn.step("goal", None) == (5, 11)
    for number, (group, answer) in enumerate(zip(answers.interest_groups(), ["+social_help", "skip"], strict=True)):
        assert turn.next_group(slots.get(INTERESTS)) == group
        assert turn.step(INTEREST_SLOT, slots.get(INTERESTS)) == (6 + number, 11)
        slots.update(turn.read(INTEREST_SLOT, answer, slots).slots)
        assert slots[INTEREST_SLOT] == (ALL_ANSWERED if number else None)
    assert turn.step("languages", slots[INTERESTS]) == (8, 11)
    assert turn.step("counsellor_language", slots[INTERESTS]) == (11, 11)
    assert turn.next_question(slots) == "education"
    assert len(slots[INTERESTS]) == 12
    # Skipped activities are left out of the answers the plan reads.
    assert turn.answers(slots)[INTERESTS] == {
        item: "like" if item == "social_help" else "not_chosen" for item in answers.interest_groups()["interests_first"]
    }


def test_the_next_question_is_the_first_without_an_answer():
    assert turn.next_question({}) == "situation"
    assert turn.next_question({**STARTED, "education": SKIPPED}) == "need_area"
    everything = {q: "x" for q in turn.QUESTIONS}
    assert turn.next_question(everything) is None


def test_the_form_asks_every_question_in_the_order_of_turn_py():
    domain = yaml.safe_load((PROJECT_ROOT / "bot" / "orientation" / "domain.yml").read_text(encoding="utf-8"))
    assert domain["forms"]["orientation_form"]["required_slots"] == list(turn.QUESTIONS)
    for question in turn.QUESTIONS:
        assert f"action_ask_{question}" in domain["actions"]
        assert domain["slots"][question]["mappings"] == [
            {"type": "from_text", "conditions": [{"active_loop": "orientation_form", "requested_slot": question}]}
        ]
