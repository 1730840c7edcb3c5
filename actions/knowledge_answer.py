"""Answers a visitor's question from the centre's content, through the search API.

The search API decides (knowledge/ranking.py) and composes the answer (knowledge/compose.py); this
action turns its decision into what the visitor reads: the answer with its source; a choice between
two sheets, as buttons; or an honest "no reliable answer" with a counsellor and, where it fits, who
else can help. A clear question never gets "please rephrase": that is kept for messages whose words
the content does not use at all.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.desk_client import record_usage
from actions.failures import describe
from actions.http_clients import kept_client
from actions.language import conversation_language
from actions.settings import get_settings
from actions.unclear_message import reply_to_unclear_message
from common.limits import has_word, max_message_chars
from common.text import safe_text
from common.vocabulary import AREA_INTENTS, AREAS, CHOOSE_TOPIC_INTENT

log = logging.getLogger(__name__)

SHOWN_SLOT = "shown_passages"
# Not a response: "reply as to an unclear message" (rephrase once, then a counsellor).
UNCLEAR = "unclear"
# Messages that may not be questions at all: without an answer and with (almost) no word the content
# uses, they are unclear.
UNCLEAR_OR_STATEMENT = {"nlu_fallback", "inform", "out_of_scope"}
# Fewer of the question's words than this in the content, and no answer: the message was not
# understood, and asking to say it otherwise is fair ("azerty", "ok merci").
MIN_KNOWN_WORDS = 2
MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}


class SearchUnavailable(RuntimeError):
    """The search API did not answer in time, or not with results; the message says what failed, not the question."""


class UnknownTopic(SearchUnavailable):
    """The search API has no sheet of the topic a choice's button named (removed since, or a forged payload)."""


@dataclass
class Reply:
    """What the visitor is sent: responses (name and variables) in order, and the sheet shown."""

    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    shown: dict[str, Any] | None = None


def spelled_date(iso: str, lang: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def is_payload(text: str) -> bool:
    return text.startswith("/")


def question_text(tracker: Tracker) -> str | None:
    """The visitor's words, or None for a button payload such as '/ask_training'."""
    # A lone surrogate (valid JSON, not valid UTF-8) could not even be put in the search's URL.
    text = safe_text(tracker.latest_message.get("text") or "").strip()
    return None if not text or is_payload(text) else text


def earlier_question(events: Sequence[Mapping[str, Any]]) -> str | None:
    """The visitor's last typed message before the latest one: the question a choice of sheet is about.
    It comes back scrubbed from the conversation store, which keeps the words that matter here; a text
    the store withheld ("[…]" while the scrubber was down) is no question, and one that scrubbing made
    longer than a message may be is cut to that length."""
    users = [event for event in events if event.get("event") == "user"]
    for event in reversed(users[:-1]):
        text = safe_text(event.get("text") or "").strip()
        if has_word(text) and not is_payload(text):
            return text[: max_message_chars()]
    return None


def chosen_topic(tracker: Tracker) -> str | None:
    return next(
        (
            entity.get("value")
            for entity in tracker.latest_message.get("entities") or []
            if entity.get("entity") == "topic" and isinstance(entity.get("value"), str)
        ),
        None,
    )


def offers_questionnaire(tracker: Tracker) -> bool:
    """The NLU read the message as a wish to start the questionnaire but saw a question first
    (nlu/question_first.py ranks start_orientation second): answer, then offer it."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return tracker.active_loop_name is None and any(entry.get("name") == "start_orientation" for entry in ranking[1:2])


def refused_topic(response: httpx.Response) -> bool:
    """A 422 of the search API that is about the `topic` parameter (not about the question)."""
    try:
        details = response.json().get("detail")
        return any(isinstance(d, dict) and "topic" in (d.get("loc") or []) for d in details or [])
    except (ValueError, AttributeError, TypeError):
        return False


async def ask_search(question: str, lang: str, topic: str | None = None) -> dict[str, Any]:
    """The search API's decision for `question` (knowledge/ranking.py)."""
    settings = get_settings()
    params = {"q": question, "lang": lang, **({"topic": topic} if topic else {})}
    try:
        client = kept_client(settings.search_url, settings.search_timeout)
        # httpx's timeout applies to each step (connect, send, read); this bounds the whole call.
        response = await asyncio.wait_for(client.get("/api/knowledge/answer", params=params), settings.search_timeout)
        if topic and response.status_code == 422 and refused_topic(response):
            raise UnknownTopic(f"no sheet for the topic {topic!r}")
        response.raise_for_status()
        body = response.json()
        if body["decision"] not in ("answer", "choose", "none") or (
            body["decision"] == "answer" and not isinstance(body["answer"], dict)
        ):
            raise ValueError("not the search API's answer")
        return body
    except (httpx.HTTPError, TimeoutError, ValueError, KeyError, TypeError) as error:
        # ValueError and the others: an answer that is not the search API's JSON (a proxy's error page).
        raise SearchUnavailable(describe(error)) from error


def answer_reply(found: Mapping[str, Any], lang: str) -> Reply:
    answer = found["answer"]
    section = f"{answer['heading']}\n{answer['text']}" if answer["heading"] else answer["text"]
    return Reply(
        [
            (
                "utter_knowledge_answer",
                {
                    # What a Belgian term of the question is, then the sheet's summary.
                    "title": answer["title"],
                    "summary": "\n".join([*found.get("definitions", []), answer["summary"]]),
                    "passage": section,
                    "contacts": "\n".join(f"• {line}" for line in answer["contacts"]),
                    "url": answer["url"],
                    "organisations": ", ".join(answer["organisations"]),
                    "checked": spelled_date(str(answer["last_checked"]), lang),
                },
            )
        ],
        shown={
            "id": ",".join(answer["passage_ids"]),
            "topic": answer["topic"],
            "area": answer["area"],
            "title": answer["title"],
            "url": answer["url"],
            "score": found["confidence"],
        },
    )


def choice_buttons(choices: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    return [
        {
            "title": choice["title"],
            "payload": f"/{CHOOSE_TOPIC_INTENT}{json.dumps({'topic': choice['topic']}, ensure_ascii=False)}",
        }
        for choice in choices
    ]


def no_answer_reply(found: Mapping[str, Any], intent: str | None) -> Reply:
    """No reliable answer. Words the content does not use: unclear (rephrase, then a counsellor).
    A clear question: say so, with who else can help when the need is one the centre does not cover."""
    elsewhere = found.get("elsewhere") or []
    if not elsewhere and intent == "ask_question":
        # "J'ai une question": the classifier heard a wish to ask, and the words hold no question.
        return Reply([("utter_ask_your_question", {})])
    if not elsewhere and intent in UNCLEAR_OR_STATEMENT and found.get("known_words", 0) < MIN_KNOWN_WORDS:
        return Reply([(UNCLEAR, {})])
    responses = [("utter_elsewhere", {"elsewhere": "\n".join(f"• {text}" for text in elsewhere)})] if elsewhere else []
    return Reply(responses + [("utter_no_reliable_answer", {})])


def reply_for(found: Mapping[str, Any], intent: str | None, lang: str) -> Reply:
    """Pure: the search API's decision -> what the visitor is sent."""
    if found["decision"] == "answer":
        return answer_reply(found, lang)
    if found["decision"] == "choose":
        return Reply([("utter_which_topic", {"buttons": choice_buttons(found["choices"])})])
    return no_answer_reply(found, intent)


async def answer_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The whole turn for a question, also used by the centre-information action when a message
    it got is not about the centre."""
    lang = conversation_language(tracker)
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    topic = chosen_topic(tracker) if intent == CHOOSE_TOPIC_INTENT else None
    question = earlier_question(tracker.events) if topic else question_text(tracker)
    if topic and question is None:
        question = topic.replace("_", " ")
    if question is None:
        if intent in AREA_INTENTS:
            dispatcher.utter_message(response=f"utter_area_{intent.removeprefix('ask_')}")
        elif intent in ("ask_question", CHOOSE_TOPIC_INTENT):
            dispatcher.utter_message(response="utter_ask_your_question")
        else:
            reply_to_unclear_message(dispatcher, tracker)
        return []
    try:
        try:
            found = await ask_search(question, lang, topic)
        except UnknownTopic:
            # The question itself is searched again: a new choice, an answer or "no reliable answer".
            found = await ask_search(question, lang)
    except SearchUnavailable as error:
        log.error("Search API unavailable (%s)", error)
        dispatcher.utter_message(response="utter_search_unavailable")
        return []
    return send_reply(dispatcher, tracker, found)


def send_reply(dispatcher: CollectingDispatcher, tracker: Tracker, found: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Sends what the search API's decision means for the visitor, and records it."""
    lang = conversation_language(tracker)
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    reply = reply_for(found, intent, lang)
    for name, variables in reply.responses:
        if name == UNCLEAR:
            reply_to_unclear_message(dispatcher, tracker)
        else:
            dispatcher.utter_message(response=name, **variables)
    if reply.shown is None:
        if reply.responses[-1][0] == "utter_no_reliable_answer":
            record_usage("question", lang, intent.removeprefix("ask_") if intent in AREA_INTENTS else None)
        return []
    if offers_questionnaire(tracker):
        dispatcher.utter_message(response="utter_offer_questionnaire")
    # The centre's own practical pages have the area "centre", which is none of the five.
    record_usage("question", lang, reply.shown["area"] if reply.shown["area"] in AREAS else None)
    return [SlotSet(SHOWN_SLOT, [*(tracker.get_slot(SHOWN_SLOT) or []), reply.shown])]


class ActionAnswerQuestion(Action):
    """An answer composed from one sheet with its source and date, a choice of two sheets, or an honest
    "I don't know" with a counsellor."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await answer_question(dispatcher, tracker)
