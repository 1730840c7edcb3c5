"""The conversation's `language` slot, kept inside the Rasa server.

The slot's custom mapping action, `action_set_language`, runs after every user message. On the action
server it was one more HTTP call per turn, carrying the whole conversation both ways; bot/server.py runs
it here instead, with the decision of common/language_choice.py. The first language of a conversation is
counted at the desk (anonymous usage figures) in the background.
"""

from __future__ import annotations

from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.desk_session import record_usage
from common.language_choice import QUESTIONS_ABOUT_LANGUAGES, next_language, requested_language

ACTION = "action_set_language"


def language_events(tracker: DialogueStateTracker, default: str) -> list[Event]:
    """What the latest user message does to the `language` slot: set it, change it, or nothing."""
    current = tracker.get_slot("language")
    latest = tracker.latest_message
    message = {**latest.parse_data, "entities": latest.entities} if latest else {}
    answering = bool(tracker.active_loop_name) and tracker.get_slot("requested_slot") in QUESTIONS_ABOUT_LANGUAGES
    language = next_language(
        current,
        message.get("language_detection") or {},
        None if answering else requested_language(message),
        ((latest.metadata or {}) if latest else {}).get("language"),
        default,
    )
    if current is None:
        record_usage("conversation", language)
    return [] if language == current else [SlotSet("language", language)]
