"""The questionnaire's validation asks the next question itself, as the question's ask action would."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.orientation.answers import interest_groups
from actions.orientation.form import AskGoal, AskInterestGroup, ValidateOrientationForm
from common.vocabulary import ASKS_FOR
from tests.actions_in_process import run_action, tracker


def answered(question: str, text: str, intent: str = "inform", **slots: object) -> Tracker:
    """The tracker the validation gets for `text` typed at `question`: the slot candidate after the message."""
    state = tracker(f"form-{question}", text, intent, slots={"requested_slot": question, **slots})
    state.latest_message["intent"]["confidence"] = 0.99
    state.events.append({"event": "slot", "name": question, "value": text})
    return state


def test_an_answer_gets_the_next_question_marked_with_its_slot_as_its_ask_action_says_it():
    slots = {"situation": "employed", "age_band": "26_45", "education": "secondary", "need_area": "training"}
    messages, events = run_action(ValidateOrientationForm(), answered("need_area", "training", **slots))
    assert {"event": "slot", "name": "requested_slot", "value": "goal", "timestamp": None} in events
    assert messages[-1][ASKS_FOR] == "goal"
    asked, _ = run_action(AskGoal(), tracker("ask-goal", slots=slots))
    assert asked == messages[-1:]


def test_an_answer_not_understood_is_asked_again_with_why_in_the_same_call():
    messages, events = run_action(ValidateOrientationForm(), answered("situation", "le ciel est bleu"))
    assert [m.get("response") for m in messages] == ["utter_orientation_not_understood", None]
    assert messages[-1][ASKS_FOR] == "situation"


def test_the_interest_groups_are_numbered_as_questions_with_a_button_per_activity():
    slots = {"situation": "employed", "age_band": "26_45", "education": "secondary", "need_area": "training"}
    messages, _ = run_action(ValidateOrientationForm(), answered("goal", "skip", **slots))
    assert [m.get("response") for m in messages] == [None]
    assert messages[-1][ASKS_FOR] == "interest_group"
    assert messages[-1]["text"].splitlines()[0] == "Question 6 sur 11"
    payloads = [button["payload"] for button in messages[-1]["buttons"]]
    assert payloads == [
        "+realistic_hands",
        "+investigative_understand",
        "+artistic_create",
        "+social_help",
        "+enterprising_convince",
        "+conventional_organise",
        "+",
        "skip",
    ]
    asked, _ = run_action(AskInterestGroup(), tracker("ask-group", slots={**slots, "goal": "skipped"}))
    assert asked == messages
    picked = {**slots, "goal": "skipped"}
    messages, events = run_action(
        ValidateOrientationForm(), answered("interest_group", "+social_help +artistic_create", **picked)
    )
    interests = next(e["value"] for e in events if e.get("name") == "interests")
    assert interests["social_help"] == interests["artistic_create"] == "like"
    assert interests["realistic_hands"] == "not_chosen" and len(interests) == 6
    assert [m.get("response") for m in messages] == [None]  # tapped: nothing read back
    assert messages[-1]["text"].splitlines()[0] == "Question 7 sur 11"
    assert messages[-1]["buttons"][0]["payload"] == "+realistic_outdoors"


def test_a_typed_interest_answer_is_read_back_by_its_activities():
    slots = {"situation": "employed", "age_band": "26_45", "education": "secondary", "need_area": "training"}
    state = answered("interest_group", "aider les gens, mais pas vendre", **slots, goal="skipped")
    messages, _ = run_action(ValidateOrientationForm(), state)
    assert messages[0]["response"] == "utter_orientation_understood"
    assert messages[0]["answer"] == "Aider, soigner ou écouter des gens"
    assert messages[0]["buttons"][0]["payload"] == '/change_answer{"question": "interests_first"}'
    none, _ = run_action(ValidateOrientationForm(), answered("interest_group", "aucune", **slots, goal="skipped"))
    assert none[0]["answer"] == "aucune de ces activités"


def test_a_message_that_leaves_the_questionnaire_asks_nothing():
    messages, events = run_action(
        ValidateOrientationForm(), answered("situation", "je veux parler à un conseiller", "request_counsellor")
    )
    assert not any(ASKS_FOR in m for m in messages)
    assert any(e["event"] == "action_execution_rejected" for e in events)


# Every answer before the mobility question.
BEFORE_MOBILITY: dict[str, Any] = {
    "situation": "employed",
    "age_band": "from_26_to_45",
    "education": "secondary",
    "need_area": "training",
    "goal": "skipped",
    "interest_group": "all_answered",
    "languages": {"fr": "fluent"},
    "time_available": "full_time",
}


def test_a_typed_answer_is_read_back_with_a_button_to_change_it():
    state = answered("mobility", "pas trop loin, j'ai pas de voiture", **BEFORE_MOBILITY)
    messages, _ = run_action(ValidateOrientationForm(), state)
    assert messages[0]["response"] == "utter_orientation_understood"
    assert messages[0]["answer"] == "Plutôt à Bruxelles"
    assert messages[0]["buttons"] == [{"title": "Modifier", "payload": '/change_answer{"question": "mobility"}'}]
    assert messages[-1][ASKS_FOR] == "counsellor_language"


@pytest.mark.parametrize("question, text", [("mobility", "brussels_only"), ("goal", "devenir électricien")])
def test_a_tapped_answer_or_the_goal_is_not_read_back(question, text):
    messages, _ = run_action(ValidateOrientationForm(), answered(question, text))
    assert "utter_orientation_understood" not in [m.get("response") for m in messages]


def test_modifier_asks_that_question_again_during_the_questionnaire():
    payload = '/change_answer{"question": "mobility"}'
    state = answered("counsellor_language", payload, "change_answer", **BEFORE_MOBILITY, mobility="travel")
    state.latest_message["entities"] = [{"entity": "question", "value": "mobility"}]
    messages, events = run_action(ValidateOrientationForm(), state)
    assert {"event": "slot", "name": "mobility", "value": None, "timestamp": None} in events
    assert {"event": "slot", "name": "counsellor_language", "value": None, "timestamp": None} in events
    assert messages[-1][ASKS_FOR] == "mobility"


def test_modifier_under_the_second_interest_group_keeps_the_first():
    groups = interest_groups()
    first = {item: "like" if item == "social_help" else "not_chosen" for item in groups["interests_first"]}
    second = dict.fromkeys(groups["interests_second"], "not_chosen")
    slots = {**BEFORE_MOBILITY, "interests": {**first, **second}}
    state = answered("mobility", '/change_answer{"question": "interests_second"}', "change_answer", **slots)
    state.latest_message["entities"] = [{"entity": "question", "value": "interests_second"}]
    messages, events = run_action(ValidateOrientationForm(), state)
    assert {"event": "slot", "name": "interests", "value": first, "timestamp": None} in events
    assert {"event": "slot", "name": "interest_group", "value": None, "timestamp": None} in events
    assert messages[-1][ASKS_FOR] == "interest_group"
    assert messages[-1]["buttons"][0]["payload"] == "+realistic_outdoors"
