"""Rasa's responses from the domain, with the buttons' payloads left as written.

Rasa fills `{placeholders}` in every part of a response, button payloads included. A payload such
as `/choose_language{"language": "nl"}` is JSON, not a template: Rasa's interpolator failed on it
and logged an error each time such a response was sent (hundreds in a short fuzz run), which hid
real errors. Here button titles are filled as usual and payloads are sent as written.

Each response also names the language it is in (the `language` slot): the channels send it with the
message, so that a client shows its own words in the language the assistant switched to when the
visitor wrote in the other one.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator, interpolator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from common.vocabulary import LANGUAGES

# The slot and, in each message sent, the key (Rasa passes a response's other keys on with the message).
LANGUAGE = "language"


class ResponsesWithPlainPayloads(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        language = tracker.get_slot(LANGUAGE)
        if response is not None and language in LANGUAGES:
            response[LANGUAGE] = language
        return response

    def _fill_response(
        self, response: dict[str, Any], filled_slots: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        buttons = response.pop("buttons", None)
        filled = super()._fill_response(response, filled_slots, **kwargs)
        if buttons is not None:
            values = self._response_variables(filled_slots, kwargs)
            filled["buttons"] = [
                {**button, "title": interpolator.interpolate_text(button["title"], values)}
                if values and isinstance(button.get("title"), str)
                else button
                for button in buttons
            ]
        return filled
