"""Turns messages the assistant must not process into dedicated intents.

A message longer than `PASSERELLE_MAX_MESSAGE_CHARS` (default 1000), or one with
no word in it (empty, blank, emoji or punctuation only), is replaced by an intent
payload before any featurizer sees it. Rasa's RegexMessageHandler, at the end of
every NLU pipeline, then sets the intent, and the dialogue answers with a clear
message. The visitor's original text stays in the conversation.
"""
from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.annotator import MessageAnnotator

TOO_LONG = "/message_too_long"
WITHOUT_WORDS = "/message_without_words"
HAS_WORD = re.compile(r"\w", re.UNICODE)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class MessageGuard(MessageAnnotator):
    """Replaces too long and wordless messages by intent payloads."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_characters": 1000}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.max_characters = int(
            os.environ.get("PASSERELLE_MAX_MESSAGE_CHARS") or config["max_characters"]
        )

    def replacement(self, text: Text) -> Text:
        if len(text) > self.max_characters:
            return TOO_LONG
        if not HAS_WORD.search(text):
            return WITHOUT_WORDS
        return text

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(TEXT, self.replacement(message.get(TEXT) or ""))
        return messages
