"""The reply a visitor gets when a part of the assistant is down or hung: `utter_service_trouble`.

Its texts are in bot/fallback/domain.yml with the other responses. The Rasa server sends it itself
(channels, failed action calls), sometimes before the conversation's language slot is set, so the
variation is picked here by language rather than by Rasa's slot conditions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import get_settings
from common.vocabulary import DEFAULT_LANGUAGE, LANGUAGES

DOMAIN_FILE = Path(__file__).with_name("fallback") / "domain.yml"
RESPONSE = "utter_service_trouble"


@lru_cache
def variations() -> dict[str, dict[str, Any]]:
    """Language → the response's text and buttons."""
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"][RESPONSE]
    return {
        variation["condition"][0]["value"]: {"text": variation["text"], "buttons": variation.get("buttons", [])}
        for variation in responses
    }


def reply_language(*candidates: Any) -> str:
    """The first candidate that is one of the two languages, else the default language."""
    for candidate in candidates:
        if candidate in LANGUAGES:
            return candidate
    default = get_settings().default_language
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def service_trouble_reply(*language_candidates: Any) -> dict[str, Any]:
    return variations()[reply_language(*language_candidates)]
