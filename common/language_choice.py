"""How the conversation's language follows the visitor: one decision per user message.

Standard library only: the Rasa server keeps the `language` slot with it (bot/language_slot.py), and the
action server reads a language request with it (a request inside the questionnaire leaves the form).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.vocabulary import LANGUAGES

# Questionnaire questions whose answers name languages ("en néerlandais"): such an answer is not a request to
# change the conversation's language.
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


def requested_language(latest_message: Mapping[str, Any]) -> str | None:
    """The language the visitor asked for, when the message is a language request."""
    if (latest_message.get("intent") or {}).get("name") != "choose_language":
        return None
    for entity in latest_message.get("entities") or []:
        if entity.get("entity") == "language" and entity.get("value") in LANGUAGES:
            return entity["value"]
    return None
