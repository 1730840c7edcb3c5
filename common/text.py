"""Text from outside made safe to process and store, whatever was sent.

JSON may carry lone UTF-16 surrogates ("\\ud800"): Python decodes them into a str that cannot be encoded
in UTF-8, so spaCy, the databases and every JSON response fail on it. PostgreSQL refuses NUL in text.
Standard library only: the Rasa server's channels (bot/channel_input.py) and the desk both use it.
`words` is the one way text is cut into comparable words (search, glossary, questionnaire answers),
here so that modules of both Python environments share it without numpy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

REPLACEMENT = "\ufffd"
# What is kept or shown instead of a visitor's text that could not be scrubbed (the scrubber did not answer).
WITHHELD = "[…]"
# Surrogate code points (never valid on their own in a str meant for UTF-8) and NUL.
_UNSAFE = re.compile("[\x00\ud800-\udfff]")
WORD = re.compile(r"[a-z0-9]+")


def safe_text(text: str) -> str:
    """`text` with every surrogate code point and NUL replaced by U+FFFD. One character for one, so
    positions found in the safe text hold in the original."""
    return _UNSAFE.sub(REPLACEMENT, text)


def map_strings(value: Any, function: Callable[[str], str]) -> Any:
    """`function` applied to the strings inside dicts and lists (tuples become lists); keys and other
    values as they are."""
    if isinstance(value, str):
        return function(value)
    if isinstance(value, dict):
        return {key: map_strings(item, function) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [map_strings(item, function) for item in value]
    return value


def words(text: str) -> list[str]:
    """Lower case, accents removed ("équivalence" and "equivalence" match)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)))
