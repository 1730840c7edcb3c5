"""Keeps the conversation's `language` slot (the custom mapping of that slot).

Rasa runs this action after every user message. The slot is set from the
channel's metadata or from the first real message, and afterwards it changes
only when the visitor asks for the other language or clearly writes in it
(see `nlu/language_identifier.py` for what "clearly" means).
"""

from collections.abc import Mapping
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.desk_client import record_usage
from actions.settings import get_settings
from common.vocabulary import LANGUAGES

# Questionnaire questions whose answers name languages ("en néerlandais"): such an
# answer is not a request to change the conversation's language.
QUESTIONS_ABOUT_LANGUAGES = ("languages", "counsellor_language")


def next_language(
    current: str | None,
    detection: Mapping[str, Any],
    requested: str | None,
    channel_language: str | None,
    default: str,
) -> str:
    """The conversation language after one user message."""
    if requested in LANGUAGES:
        return requested
    if current not in LANGUAGES:
        if channel_language in LANGUAGES:
            return channel_language
        guess = detection.get("language")
        if guess in LANGUAGES and not detection.get("payload"):
            return guess
        return default
    if detection.get("clear") and detection.get("language") in LANGUAGES:
        return detection["language"]
    return current


def conversation_language(tracker: Tracker) -> str:
    """The language to answer in: the slot, or the default before it is set."""
    return tracker.get_slot("language") or get_settings().default_language


def requested_language(latest_message: Mapping[str, Any]) -> str | None:
    """The language the visitor asked for, when the message is a language request."""
    if (latest_message.get("intent") or {}).get("name") != "choose_language":
        return None
    for entity in latest_message.get("entities") or []:
        if entity.get("entity") == "language" and entity.get("value") in LANGUAGES:
            return entity["value"]
    return None


def channel_language(tracker: Tracker) -> str | None:
    """The language the widget or kiosk sent with the latest message, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return (event.get("metadata") or {}).get("language")
    return None


class ActionSetLanguage(Action):
    def name(self) -> str:
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        current = tracker.get_slot("language")
        latest = tracker.latest_message or {}
        answering = tracker.active_loop.get("name") and tracker.get_slot("requested_slot") in QUESTIONS_ABOUT_LANGUAGES
        language = next_language(
            current,
            latest.get("language_detection") or {},
            None if answering else requested_language(latest),
            channel_language(tracker),
            get_settings().default_language,
        )
        if current is None:
            record_usage("conversation", language)
        return [] if language == current else [SlotSet("language", language)]
