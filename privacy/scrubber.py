"""Replaces the personal data in visitors' texts with placeholders in the conversation's language.

Names come from the French NER (fr_core_news_md, its PER entities) and from `privacy.names` (gazetteer,
self-introductions, titles); e-mail addresses, phone numbers, national register numbers, IBANs and street
addresses from `privacy.identifiers`. Placeholders already in a text are left as they are, so scrubbing
twice changes nothing. spaCy loads the installed model package by name: nothing is downloaded.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
import yaml

from common.text import map_strings, safe_text
from common.vocabulary import DEFAULT_LANGUAGE, LANGUAGES
from privacy.identifiers import KINDS as IDENTIFIER_KINDS
from privacy.identifiers import Span, find_identifiers, non_overlapping
from privacy.names import CharSpan, NameFinder

FRENCH_MODEL = "fr_core_news_md"
# The French NER has its own tok2vec: everything else in the pipeline is left out.
FRENCH_EXCLUDED = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"]
KINDS = (*IDENTIFIER_KINDS, "name")
# Frequent words of one of the two languages only.
_DUTCH_WORDS = frozenset("ik het een van is niet wat hoe ben heb wil zijn voor naar bij mijn er ook maar dat".split())
_FRENCH_WORDS = frozenset("le la les un une est et suis pour avec dans pas que qui mon ma des du au".split())
_WORD = re.compile(r"[^\W\d_]+")
_SPACES_AND_PUNCTUATION = " \t\n\u00a0\u202f.,;:!?()[]{}\"'’«»-"


def load_placeholders() -> dict[str, dict[str, str]]:
    return yaml.safe_load((Path(__file__).parent / "placeholders.yml").read_text(encoding="utf-8"))


class Scrubber:
    def __init__(self) -> None:
        self.placeholders = load_placeholders()
        self.french = spacy.load(FRENCH_MODEL, exclude=FRENCH_EXCLUDED)
        self.names = NameFinder()
        every_placeholder = {text for texts in self.placeholders.values() for text in texts.values()}
        self.placeholder = re.compile("|".join(map(re.escape, sorted(every_placeholder, key=len, reverse=True))))

    def scrub(self, text: str, language: str | None = None) -> str:
        """`text` (made safe, in Unicode NFC form) with placeholders instead of personal data. With no (or
        another) language: French placeholders, and both the French and the Dutch name detectors."""
        if not text:
            return text
        text = unicodedata.normalize("NFC", safe_text(text))
        placeholders = self.placeholders[language if language in LANGUAGES else DEFAULT_LANGUAGE]
        scrubbed, position = [], 0
        for span in self.find(text, language):
            scrubbed += [text[position : span.start], placeholders[span.kind]]
            position = span.end
        return "".join(scrubbed) + text[position:]

    def find(self, text: str, language: str | None = None) -> list[Span]:
        """The personal data in `text`, sorted and non-overlapping, outside the placeholders already there;
        a name is cut out of an identifier's way (the name in an e-mail address is the address's).
        Surrogates and NUL count as U+FFFD (`common.text.safe_text`), so the positions hold in `text`."""
        text = safe_text(text)
        kept = [Span(m.start(), m.end(), "placeholder") for m in self.placeholder.finditer(text)]
        identifiers = _outside(text, find_identifiers(text), kept)
        names = _outside(
            text, [Span(start, end, "name") for start, end in self.find_names(text, language)], kept + identifiers
        )
        return non_overlapping(identifiers + names, KINDS)

    def scrub_value(self, value: Any, language: str | None = None) -> Any:
        """The strings inside dicts and lists (tuples become lists) scrubbed; keys and other values as they are."""
        return map_strings(value, lambda text: self.scrub(text, language))

    def find_names(self, text: str, language: str | None) -> list[CharSpan]:
        """Names: the Dutch detector for every language, the French NER unless the text is Dutch (given as
        Dutch, or with no language given, reading as Dutch: the French model takes Dutch words for names)."""
        french = language == "fr" or language != "nl" and not _reads_as_dutch(text)
        entities = (
            [(entity.start_char, entity.end_char) for entity in self.french(text).ents if entity.label_ == "PER"]
            if french
            else []
        )
        return self.names.find(text, entities)


def _outside(text: str, spans: Iterable[Span], taken: list[Span]) -> list[Span]:
    """The parts of `spans` outside the `taken` ones (spaces and punctuation at their ends left out),
    when they still hold a letter or a digit."""
    pieces: list[Span] = []
    for span in spans:
        start = span.start
        for other in sorted(s for s in taken if s.start < span.end and span.start < s.end):
            pieces.append(Span(start, other.start, span.kind))
            start = max(start, other.end)
        pieces.append(Span(start, span.end, span.kind))
    trimmed = []
    for start, end, kind in pieces:
        while start < end and text[start] in _SPACES_AND_PUNCTUATION:
            start += 1
        while end > start and text[end - 1] in _SPACES_AND_PUNCTUATION:
            end -= 1
        if any(c.isalnum() for c in text[start:end]):
            trimmed.append(Span(start, end, kind))
    return trimmed


def _reads_as_dutch(text: str) -> bool:
    words = _WORD.findall(text.lower())
    return sum(word in _DUTCH_WORDS for word in words) > sum(word in _FRENCH_WORDS for word in words)


_lock = threading.Lock()
_scrubber: Scrubber | None = None


def get_scrubber() -> Scrubber:
    """The scrubber, loaded on first use (a few seconds) and shared by all threads."""
    global _scrubber
    if _scrubber is None:
        with _lock:
            if _scrubber is None:
                _scrubber = Scrubber()
    return _scrubber
