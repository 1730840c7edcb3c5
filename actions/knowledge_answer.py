"""Answers a visitor's question from the centre's content, through the search API."""
from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any, Dict, List, Optional, Text

import httpx
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.desk_client import record_usage
from actions.failures import describe
from actions.language import conversation_language
from actions.settings import get_settings
from actions.unclear_message import reply_to_unclear_message
from common.text import safe_text

log = logging.getLogger(__name__)

SHOWN_SLOT = "shown_passages"
# Messages that may not be questions at all: without an answer, they are unclear.
UNCLEAR_OR_STATEMENT = {"nlu_fallback", "inform"}
AREAS = ("education", "training", "employment", "entrepreneurship", "mobility")
AREA_INTENTS = {f"ask_{area}" for area in AREAS}
MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
}


class SearchUnavailable(RuntimeError):
    """The search API did not answer in time, or not with results; the message says what failed, not the question."""


def spelled_date(iso: str, lang: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def question_text(tracker: Tracker) -> Optional[str]:
    """The visitor's words, or None for a button payload such as '/ask_training'."""
    # A lone surrogate (valid JSON, not valid UTF-8) could not even be put in the search's URL.
    text = safe_text(tracker.latest_message.get("text") or "").strip()
    return None if not text or text.startswith("/") else text


async def best_passage(question: str, lang: str) -> Optional[Dict[str, Any]]:
    """The best result if it clears the service's threshold, else None."""
    settings = get_settings()
    try:
        async with httpx.AsyncClient(base_url=settings.search_url, timeout=settings.search_timeout) as client:
            # httpx's timeout applies to each step (connect, send, read); this bounds the whole call.
            response = await asyncio.wait_for(
                client.get("/api/knowledge/search", params={"q": question, "lang": lang, "k": 1}),
                settings.search_timeout)
            response.raise_for_status()
            body = response.json()
            results, min_score = body["results"], body["min_score"]
            return results[0] if results and results[0]["score"] >= min_score else None
    except (httpx.HTTPError, TimeoutError, ValueError, KeyError, TypeError, IndexError) as error:
        # ValueError and the others: an answer that is not the search API's JSON (a proxy's error page).
        raise SearchUnavailable(describe(error)) from error


class ActionAnswerQuestion(Action):
    """A short passage with its title, source and date, or an honest "I don't know"."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        lang = conversation_language(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        question = question_text(tracker)
        if question is None:
            if intent in AREA_INTENTS:
                dispatcher.utter_message(response=f"utter_area_{intent.removeprefix('ask_')}")
            else:
                reply_to_unclear_message(dispatcher, tracker)
            return []
        try:
            passage = await best_passage(question, lang)
        except SearchUnavailable as error:
            log.error("Search API unavailable (%s)", error)
            dispatcher.utter_message(response="utter_search_unavailable")
            return []
        if passage is None:
            if intent in UNCLEAR_OR_STATEMENT:
                reply_to_unclear_message(dispatcher, tracker)
            else:
                record_usage("question", lang, intent.removeprefix("ask_") if intent in AREA_INTENTS else None)
                dispatcher.utter_message(response="utter_no_reliable_answer")
            return []
        dispatcher.utter_message(
            response="utter_knowledge_answer",
            title=passage["title"], passage=passage["text"], url=passage["url"],
            organisations=", ".join(passage["organisations"]),
            checked=spelled_date(passage["last_checked"], lang))
        # The centre's own practical pages have the area "centre", which is none of the five.
        record_usage("question", lang, passage["area"] if passage["area"] in AREAS else None)
        shown = list(tracker.get_slot(SHOWN_SLOT) or [])
        shown.append({key: passage[key] for key in ("id", "topic", "area", "title", "url", "score")})
        return [SlotSet(SHOWN_SLOT, shown)]
