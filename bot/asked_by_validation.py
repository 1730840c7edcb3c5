"""A form's next question, asked by the form's validation action in the same call.

After each answer, Rasa's form calls the validation action on the action server, then, for the next
question, the slot's ask action (`action_ask_<slot>`): two HTTP calls, each carrying the whole
conversation, and a tracker rebuilt from all its events in between. The questionnaire's validation
(actions/orientation/form.py) already knows the next question, so it asks it, marking the message with
the slot it asks for (`ASKS_FOR` in its metadata). Here the form then skips its own request for that
slot. When the validation did not ask (another form, or a question it left to Rasa), the ask action
runs as before.
"""

from __future__ import annotations

from typing import Any

from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.events import BotUttered, Event, SlotSet

from common.vocabulary import ASKS_FOR


def asked_slot(events: list[Event]) -> Any:
    """The slot whose question the validation's messages already ask, if any."""
    return next((e.metadata.get(ASKS_FOR) for e in reversed(events) if isinstance(e, BotUttered)), None)


def requested_slot(events: list[Event]) -> Any:
    """The slot the validation chose to ask next (None: none chosen, or the form is done)."""
    return next((e.value for e in reversed(events) if isinstance(e, SlotSet) and e.key == REQUESTED_SLOT), None)


def install() -> None:
    request_next_slot = FormAction.request_next_slot

    async def request_unless_asked(
        self: FormAction, tracker: Any, domain: Any, output_channel: Any, nlg: Any, events_so_far: list[Event]
    ) -> list[Event]:
        slot = requested_slot(events_so_far)
        if (
            slot is not None
            and asked_slot(events_so_far) == slot
            and not await self.is_done(output_channel, nlg, tracker, domain, events_so_far)
        ):
            return []  # what Rasa returns after asking a slot the validation chose, minus the question
        return await request_next_slot(self, tracker, domain, output_channel, nlg, events_so_far)

    FormAction.request_next_slot = request_unless_asked
