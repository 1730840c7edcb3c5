"""What the visitor is sent for each decision of the search API (actions/knowledge_answer.py): pure."""

import json
from typing import Any

import httpx
import pytest

from actions.knowledge_answer import UNCLEAR, choice_buttons, earlier_question, refused_topic, reply_for
from common.limits import max_message_chars

COMPOSED: dict[str, Any] = {
    "topic": "hiring_aids",
    "area": "employment",
    "lang": "fr",
    "title": "Les aides à l'embauche",
    "summary": "Activa.brussels réduit le coût de votre embauche.",
    "heading": "Pour qui ?",
    "text": "Vous êtes inscrit chez Actiris depuis 12 mois.",
    "contacts": ["Actiris : Activa.brussels."],
    "organisations": ["Actiris"],
    "url": "https://www.actiris.brussels",
    "last_checked": "2026-11-21",
    "passage_ids": ["hiring_aids-fr#3", "hiring_aids-fr#4"],
}


def found(decision: str, **rest) -> dict:
    return {
        "decision": decision,
        "confidence": 0.8,
        "topics": [],
        "answer": None,
        "choices": [],
        "elsewhere": [],
        "known_words": 3,
        "definitions": [],
        **rest,
    }


def test_an_answer_shows_the_section_under_its_heading_and_records_the_passages_shown():
    reply = reply_for(found("answer", answer=COMPOSED), "ask_employment", "fr")
    [(name, variables)] = reply.responses
    assert name == "utter_knowledge_answer"
    assert variables["passage"] == "Pour qui ?\nVous êtes inscrit chez Actiris depuis 12 mois."
    assert variables["contacts"] == "• Actiris : Activa.brussels." and variables["checked"] == "21 novembre 2026"
    assert reply.shown == {
        "id": "hiring_aids-fr#3,hiring_aids-fr#4",
        "topic": "hiring_aids",
        "area": "employment",
        "title": "Les aides à l'embauche",
        "url": "https://www.actiris.brussels",
        "score": 0.8,
    }


def test_a_glossary_definition_comes_before_the_summary():
    reply = reply_for(found("answer", answer=COMPOSED, definitions=["Activa est une aide."]), "ask_employment", "fr")
    assert reply.responses[0][1]["summary"] == "Activa est une aide.\n" + COMPOSED["summary"]


def test_a_choice_offers_both_sheets_as_buttons():
    choices = [
        {"topic": "student_jobs", "title": "Les jobs étudiants"},
        {"topic": "register_jobseeker", "title": "S'inscrire chez Actiris"},
    ]
    reply = reply_for(found("choose", choices=choices), "ask_employment", "fr")
    assert reply.responses == [("utter_which_topic", {"buttons": choice_buttons(choices)})] and reply.shown is None
    payload = choice_buttons(choices)[0]["payload"]
    assert payload.startswith("/choose_topic{") and json.loads(payload.removeprefix("/choose_topic")) == {
        "topic": "student_jobs"
    }


def test_no_answer_names_who_else_helps_then_the_counsellor():
    reply = reply_for(found("none", elsewhere=["La commune."]), "out_of_scope", "fr")
    assert [name for name, _ in reply.responses] == ["utter_elsewhere", "utter_no_reliable_answer"]
    assert reply.responses[0][1] == {"elsewhere": "• La commune."}


@pytest.mark.parametrize(
    "intent, known, expected",
    [
        ("ask_training", 0, ["utter_no_reliable_answer"]),  # a question is never "unclear"
        ("nlu_fallback", 3, ["utter_no_reliable_answer"]),  # words the content uses: a clear question
        ("nlu_fallback", 1, [UNCLEAR]),  # "azerty", "tu connais une recette ?"
        ("out_of_scope", 0, [UNCLEAR]),
        ("ask_question", 5, ["utter_ask_your_question"]),  # "j'ai une question"
    ],
)
def test_without_an_answer_only_a_message_without_known_words_is_unclear(intent, known, expected):
    assert [name for name, _ in reply_for(found("none", known_words=known), intent, "fr").responses] == expected


def test_the_question_a_choice_is_about_is_the_last_typed_before_the_tap():
    events = [
        {"event": "user", "text": "stage payé ?"},
        {"event": "bot", "text": "Vous parlez de…"},
        {"event": "user", "text": "/ask_question"},
        {"event": "user", "text": '/choose_topic{"topic": "x"}'},
    ]
    assert earlier_question(events) == "stage payé ?"
    assert earlier_question(events[3:]) is None


def test_a_text_the_store_withheld_is_no_question_and_a_long_one_is_cut_to_a_message():
    tap = {"event": "user", "text": '/choose_topic{"topic": "x"}'}
    # "[…]": the conversation store's text while the scrubber was down (bot/tracker_store.py).
    assert (
        earlier_question([{"event": "user", "text": "stage payé ?"}, {"event": "user", "text": "[…]"}, tap])
        == "stage payé ?"
    )
    longer = "formation " * (max_message_chars() // 5)
    assert earlier_question([{"event": "user", "text": longer}, tap]) == longer[: max_message_chars()]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"detail": [{"type": "value_error", "loc": ["query", "topic"], "msg": "no such topic"}]}, True),
        ({"detail": [{"type": "string_too_long", "loc": ["query", "q"], "msg": "too long"}]}, False),
        ({"detail": "not a list"}, False),
        (["not", "an", "object"], False),
    ],
)
def test_only_a_refusal_of_the_topic_means_the_sheet_is_gone(body, expected):
    assert refused_topic(httpx.Response(422, json=body)) is expected


def test_a_refusal_that_is_not_json_is_not_about_the_topic():
    assert refused_topic(httpx.Response(422, text="<html>proxy error</html>")) is False
