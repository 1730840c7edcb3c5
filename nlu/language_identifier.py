"""Identifies whether a message is French or Dutch, and how sure we are.

Lingua's statistical models (shipped in the wheel) judge longer messages well;
very short chat messages ("hallo", "slt", "ok") are judged by a small list of
words that are frequent in one language only. The component only reports: the
dialogue decides what to do with it (see `common/language_choice.py`).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from common.vocabulary import LANGUAGES
from nlu.annotator import MessageAnnotator

LANGUAGE_DETECTION = "language_detection"

# Words that chat users write often and that belong to one of the two languages only
# (not "merci", which Flemish speakers use too, nor "de", which both languages have).
SHORT_WORDS = {
    "fr": {
        "bonjour",
        "bonsoir",
        "salut",
        "slt",
        "coucou",
        "oui",
        "ouais",
        "non",
        "svp",
        "stp",
        "je",
        "j",
        "suis",
        "cherche",
        "veux",
        "voudrais",
        "pour",
        "avec",
        "mais",
        "est",
        "une",
        "des",
        "les",
        "du",
        "au",
        "aux",
        "pas",
        "quoi",
        "comment",
        "pourquoi",
        "où",
        "bien",
        "jsp",
        "mrc",
        "moi",
        "travail",
        "emploi",
        "formation",
        "études",
        "etudes",
        "aide",
        "besoin",
        "conseiller",
        "français",
        "francais",
        "parler",
        "ça",
        "ca",
        "c",
        "d",
        "l",
        "qu",
        "qui",
        "que",
        "fais",
    },
    "nl": {
        "hallo",
        "hoi",
        "dag",
        "goeiedag",
        "goedendag",
        "goeiemorgen",
        "goedemorgen",
        "ja",
        "jaja",
        "nee",
        "neen",
        "aub",
        "alstublieft",
        "alsjeblieft",
        "ajb",
        "graag",
        "bedankt",
        "dank",
        "dankje",
        "dankjewel",
        "ik",
        "k",
        "wil",
        "zoek",
        "een",
        "het",
        "van",
        "voor",
        "maar",
        "niet",
        "ni",
        "wat",
        "hoe",
        "waar",
        "waarom",
        "mijn",
        "werk",
        "opleiding",
        "studie",
        "hulp",
        "nodig",
        "adviseur",
        "nederlands",
        "vlaams",
        "spreken",
        "zijn",
        "ben",
        "heb",
        "kan",
        "mag",
        "da",
        "tot",
        "ziens",
    },
}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageIdentifier(MessageAnnotator):
    """Adds `language_detection` = {language, confidence, clear, words, payload}."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_words": 3, "min_confidence": 0.8, "max_characters": 1000}

    def __init__(self, config: dict[str, Any]) -> None:
        from lingua import Language, LanguageDetectorBuilder

        super().__init__(config)
        # English is a candidate so that English text is not forced into FR or NL.
        self._detector = (
            LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.DUTCH, Language.ENGLISH)
            .with_preloaded_language_models()
            .build()
        )

    def identify(self, text: str | None) -> dict[str, Any]:
        text = (text or "")[: self._config["max_characters"]]
        if text.startswith("/"):
            return {"language": None, "confidence": 0.0, "clear": False, "words": 0, "payload": True}
        words = [w.lower() for w in WORD.findall(text)]
        if not words:
            return {"language": None, "confidence": 0.0, "clear": False, "words": 0, "payload": False}
        scores = {
            value.language.iso_code_639_1.name.lower(): value.value
            for value in self._detector.compute_language_confidence_values(text)
        }
        hits = {lang: sum(w in SHORT_WORDS[lang] for w in words) for lang in SHORT_WORDS}
        statistical = max(LANGUAGES, key=lambda lang: scores.get(lang, 0.0))
        lexical = max(hits, key=lambda lang: hits[lang]) if hits["fr"] != hits["nl"] else None
        language = lexical if lexical and len(words) < self._config["min_words"] else statistical
        confidence = scores.get(language, 0.0)
        other = "nl" if language == "fr" else "fr"
        confident = confidence >= self._config["min_confidence"] or (
            lexical == language and hits[language] >= 2 and hits[other] == 0
        )
        return {
            "language": language,
            "confidence": round(confidence, 3),
            "clear": len(words) >= self._config["min_words"] and confident,
            "words": len(words),
            "payload": False,
        }

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            message.set(LANGUAGE_DETECTION, self.identify(message.get(TEXT)), add_to_output=True)
        return messages
