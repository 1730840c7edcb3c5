"""`python -m bot.server run …`: Rasa's own command line, with a time limit on the action server.

Rasa 3.6 waits up to five minutes for a custom action and, when the action server fails, logs the
error and goes on without a word to the visitor: with the action server hung, a question got no
reply at all. Here every call to the action server is limited to `PASSERELLE_ACTION_TIMEOUT`
(3.5 s); a call that fails or runs out of time gives the visitor the service-trouble reply (once
per turn). When the action server is hung or down, it is not called at all for
`PASSERELLE_PAUSE_AFTER_FAILURE` seconds, so the other actions of the turn, and of the next turns,
do not wait again. A refusal by
the action server itself (a form's validation) is Rasa's normal flow and passes through.

Rasa checks every answer of the action server against its JSON schema with `jsonschema.validate`,
which first checks the schema itself against the draft 2020-12 meta-schema: under load that took
more than half of the server's Python time (`make bench-load`, docs/benchmarks.md). Here the schema
is checked once and its validator kept; answers are checked as before.

Rasa sends the whole domain (every response in both languages, about 38 kB) with every call to the action
server, and the action server parses it: none of Passerelle's actions reads it. Here each call carries an
empty domain instead: rasa-sdk refuses a call without one, and passes `None` to the action for an empty one.
(An action that needs the domain, such as rasa-sdk's `FormValidationAction`, would need it sent again.)

Calls to the action server share kept-alive connections (bot/action_endpoint.py). A questionnaire answer
takes one call, not two: its validation also asks the next question (bot/asked_by_validation.py).

The mapping action of the `language` slot, which Rasa calls after every user message, runs here rather
than on the action server (bot/language_slot.py): one HTTP call less per turn.

Conversations are saved after the reply has gone out (bot/pending_saves.py); a server that stops waits for
the saves still running, for at most `SAVES_AT_STOP_SECONDS`.

Everything else is `rasa` as documented; `rasa run`, `rasa shell`, `rasa test` work through it (plain `rasa shell`
would leave the `language` slot empty: its mapping action runs only here).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import time
from typing import Any

import aiohttp
import jsonschema
import rasa
import rasa.core.run
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException

from bot import asked_by_validation, language_slot, pending_saves
from bot.action_endpoint import KeptAliveEndpoint, close_sessions
from bot.pause import PauseAfterFailure
from bot.service_trouble import RESPONSE, service_trouble_reply
from bot.settings import get_settings

log = logging.getLogger(__name__)
# Longer than one save (a scrubber round trip of at most PASSERELLE_SCRUB_TIMEOUT, then the database write).
SAVES_AT_STOP_SECONDS = 10.0


action_server = PauseAfterFailure()


def told_this_turn(tracker: DialogueStateTracker) -> bool:
    """Whether the service-trouble reply was already sent since the visitor's last message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.metadata.get("utter_action") == RESPONSE:
            return True
    return False


def service_trouble_events(tracker: DialogueStateTracker) -> list[Event]:
    if told_this_turn(tracker):
        return []
    message = tracker.latest_message
    detected = (message.parse_data.get("language_detection") or {}) if message else {}
    reply = service_trouble_reply(
        tracker.get_slot("language"),
        (message.metadata or {}).get("language") if message else None,
        detected.get("language"),
    )
    return [create_bot_utterance({**reply, "buttons": list(reply["buttons"]), "utter_action": RESPONSE})]


async def run_with_time_limit(
    original: Any,
    action: RemoteAction,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    settings = get_settings()
    if action_server.paused(time.monotonic()):
        return service_trouble_events(tracker)
    if action.action_endpoint is not None:
        action.action_endpoint = KeptAliveEndpoint.of(action.action_endpoint)
    try:
        return await asyncio.wait_for(original(action, output_channel, nlg, tracker, domain), settings.action_timeout)
    except ActionExecutionRejection:
        raise  # the action refused to run (a form's validation): Rasa's normal flow
    except asyncio.TimeoutError:
        failure, unreachable = f"no answer within {settings.action_timeout:g} s", True
    except (RasaException, ValueError, jsonschema.ValidationError) as error:
        # ValueError: an answer that is not JSON; ValidationError: not an action's answer. Their messages may
        # quote the answer, so only the type is logged.
        # Rasa raises its own exception while handling aiohttp's, sometimes without `from`.
        cause = error.__cause__ or error.__context__ or error
        failure = type(cause).__name__
        unreachable = isinstance(cause, (aiohttp.ClientConnectionError, asyncio.TimeoutError))
    if unreachable:
        # Hung or down: the next calls would wait for nothing. One action failing on its own input is no reason
        # to keep every other visitor from the action server.
        action_server.failed(time.monotonic(), settings.pause_after_failure)
    log.error(
        "Action server: %s failed (%s); the visitor got the service-trouble reply%s",
        action.name(),
        failure,
        f", and the action server is left alone for {settings.pause_after_failure:g} s" if unreachable else "",
    )
    return service_trouble_events(tracker)


@functools.cache
def action_answer_validator() -> Any:
    """The validator of the action server's answers, built once from the schema Rasa checks them with."""
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def validate_action_answer(_action: RemoteAction, answer: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` with the validator kept: the same error on the same answer."""
    error = best_match(action_answer_validator().iter_errors(answer))
    if error is not None:
        raise error
    return True


def action_call_without_domain(action: RemoteAction, tracker: DialogueStateTracker, _domain: Domain) -> dict[str, Any]:
    """`RemoteAction._action_call_format` with an empty domain: Passerelle's actions do not read it."""
    return {
        "next_action": action.name(),
        "sender_id": tracker.sender_id,
        "tracker": tracker.current_state(EventVerbosity.ALL),
        "domain": {},
        "version": rasa.__version__,
    }


def install() -> None:
    RemoteAction._validate_action_result = validate_action_answer
    RemoteAction._action_call_format = action_call_without_domain
    original = RemoteAction.run

    async def run(
        self: RemoteAction,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        tracker: DialogueStateTracker,
        domain: Domain,
    ) -> list[Event]:
        if self.name() == language_slot.ACTION:
            return language_slot.language_events(tracker, get_settings().default_language)
        return await run_with_time_limit(original, self, output_channel, nlg, tracker, domain)

    RemoteAction.run = run
    asked_by_validation.install()

    close_resources = rasa.core.run.close_resources

    async def close_after_saves(app: Any, loop: Any) -> None:
        await pending_saves.all_settled(SAVES_AT_STOP_SECONDS)
        await close_sessions()
        await close_resources(app, loop)

    # serve_application registers it by name when the server starts, after this.
    rasa.core.run.close_resources = close_after_saves


if __name__ == "__main__":
    from rasa.__main__ import main

    try:
        get_settings()  # a wrong setting stops the server now, not at the first visitor's turn
    except ValueError as wrong:
        sys.exit(f"Passerelle's Rasa server: {wrong}")
    install()
    main()
