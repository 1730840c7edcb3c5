"""The rules that keep or switch the conversation language (common/language_choice.py)."""

import pytest

from common.language_choice import next_language, requested_language

CLEAR_NL = {"language": "nl", "confidence": 0.97, "clear": True, "words": 6, "payload": False}
UNSURE_NL = {"language": "nl", "confidence": 0.55, "clear": False, "words": 2, "payload": False}
PAYLOAD = {"language": None, "confidence": 0.0, "clear": False, "words": 0, "payload": True}
NO_WORDS = {"language": None, "confidence": 0.0, "clear": False, "words": 0, "payload": False}


@pytest.mark.parametrize(
    "current, detection, requested, channel, expected",
    [
        # The first message: channel metadata first, then the best guess, then the default.
        (None, UNSURE_NL, None, "fr", "fr"),
        (None, UNSURE_NL, None, None, "nl"),
        (None, NO_WORDS, None, None, "fr"),
        (None, PAYLOAD, None, None, "fr"),
        (None, CLEAR_NL, "fr", None, "fr"),
        # Later messages: only a clear message in the other language, or a request, switches.
        ("fr", UNSURE_NL, None, None, "fr"),
        ("fr", CLEAR_NL, None, None, "nl"),
        ("fr", CLEAR_NL, None, "fr", "nl"),
        ("nl", PAYLOAD, None, None, "nl"),
        ("nl", PAYLOAD, "fr", None, "fr"),
        ("nl", NO_WORDS, None, "fr", "nl"),
    ],
)
def test_next_language(current, detection, requested, channel, expected):
    assert next_language(current, detection, requested, channel, default="fr") == expected


def test_default_language_is_configurable():
    assert next_language(None, NO_WORDS, None, None, default="nl") == "nl"


def test_requested_language_only_counts_for_a_language_request():
    entities = [{"entity": "language", "value": "nl"}]
    assert requested_language({"intent": {"name": "choose_language"}, "entities": entities}) == "nl"
    assert requested_language({"intent": {"name": "ask_training"}, "entities": entities}) is None
    assert requested_language({"intent": {"name": "choose_language"}, "entities": []}) is None
    assert (
        requested_language({"intent": {"name": "choose_language"}, "entities": [{"entity": "language", "value": "en"}]})
        is None
    )
