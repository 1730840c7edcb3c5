"""Turns messages the assistant must not process into dedicated intents.

A message longer than `PASSERELLE_MAX_MESSAGE_CHARS` (default 1000, common/limits.py), or one with
no word in it (empty, blank, emoji or punctuation only), is replaced by an intent
payload before any featurizer sees it. Rasa's RegexMessageHandler, at the end of
every NLU pipeline, then sets the intent, and the dialogue answers with a clear
message. The visitor's original text stays in the conversation.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from common.limits import has_word, max_message_chars
from nlu.annotator import MessageAnnotator

TOO_LONG = "/message_too_long"
WITHOUT_WORDS = "/message_without_words"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MessageGuard(MessageAnnotator):
    """Replaces too long and wordless messages by intent payloads."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        # Read at start from the one definition the search API shares (common/limits.py).
        self.max_characters = max_message_chars()

    def replacement(self, text: str) -> str:
        if len(text) > self.max_characters:
            return TOO_LONG
        if not has_word(text):
            return WITHOUT_WORDS
        return text

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            message.set(TEXT, self.replacement(message.get(TEXT) or ""))
        return messages
