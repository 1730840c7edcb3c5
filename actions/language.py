"""The language the actions answer in: the conversation's `language` slot.

The Rasa server keeps that slot after every user message (bot/language_slot.py, with the decision of
common/language_choice.py); the actions only read it.
"""

from rasa_sdk import Tracker

from actions.settings import get_settings


def conversation_language(tracker: Tracker) -> str:
    """The language to answer in: the slot, or the default before it is set."""
    return tracker.get_slot("language") or get_settings().default_language
