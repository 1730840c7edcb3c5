"""What a visitor's message may be: one definition for the Rasa server's message guard and the search API.

The message guard (nlu/message_guard.py) answers longer messages with "please shorten it", and the
search API refuses longer questions. Both read the limit here, so a message the guard lets through is
never refused by the search (which the visitor would see as "search unavailable").
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

MAX_MESSAGE_CHARS = 1000
MAX_MESSAGE_CHARS_VARIABLE = "PASSERELLE_MAX_MESSAGE_CHARS"
# A letter, a digit or "_" in any script: a message without one has nothing to search for.
WORD_CHARACTER = re.compile(r"\w")


def max_message_chars(environ: Mapping[str, str] | None = None) -> int:
    """The longest message accepted, in characters: `PASSERELLE_MAX_MESSAGE_CHARS`, else 1000.

    A value that is not a positive whole number stops the service at start with a clear message,
    rather than letting one service use a different limit from the other.
    """
    raw = (os.environ if environ is None else environ).get(MAX_MESSAGE_CHARS_VARIABLE, "").strip()
    if not raw:
        return MAX_MESSAGE_CHARS
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{MAX_MESSAGE_CHARS_VARIABLE} must be a positive whole number of characters")
    return value


def has_word(text: str) -> bool:
    """Whether the text has at least one word character (not only spaces, punctuation or emoji)."""
    return WORD_CHARACTER.search(text) is not None
