"""Rasa's REST and Socket.IO channels, with what they accept checked first (bot/channel_input.py).

The URLs, events and data stay Rasa's (`/webhooks/rest/webhook`, `/socket.io/`, `session_request`,
`user_uttered`, `bot_uttered`), so any Rasa client works. What changes:

- Both channels refuse malformed input before Rasa sees it: the REST channel answers 400 (413 for a
  body over 64 KiB) with a JSON error; the Socket.IO channel gives a fresh session id for an invalid
  one and ignores malformed messages. A sender id with a lone surrogate once made Rasa's SQL store
  exit the whole server.
- A message that starts with "/" but is not one of this assistant's button payloads is read as words
  (bot/channel_input.py says why).
- Only the metadata the assistant uses is kept, plus `client_key`, a pseudonymous key of the
  visitor's address for the per-address ticket limit (bot/channel_input.py says how it is made).
- When processing fails, or takes longer than `turn_deadline` (a part hung in a way no single
  timeout caught), the visitor gets the service-trouble reply in their language, and Rasa's own
  log lines that quote the visitor's text are replaced by ones that do not.

Socket.IO only:
- Origins: Rasa creates its Socket.IO server with CORS handling switched off, so that the CORS
  headers of the Rasa server (`--cors`) are not sent twice. That leaves WebSocket connections,
  which browsers do not submit to CORS, open to any page: Engine.IO here refuses an `Origin` not in
  `PASSERELLE_CORS_ORIGINS`, and still leaves the headers to the Rasa server.
- Repairs for the python-socketio 5 that Rasa 3.6.21 installs: Rasa joins the session room without
  awaiting `enter_room`, a coroutine there (no reply ever reached the browser); and it emits a
  custom message's keys as keyword arguments of `emit`, which fails (sent as `{"custom": …}`, the
  shape of the REST channel).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_input import (
    CLIENT_KEY,
    ChannelMessage,
    InvalidInput,
    client_key,
    message_text,
    rest_message,
    socketio_metadata,
    valid_sender_id,
    visitor_text,
)
from bot.nlg import LANGUAGE
from bot.service_trouble import service_trouble_reply
from bot.settings import get_settings
from common.vocabulary import ASKS_FOR, PLAN_CARD

log = logging.getLogger(__name__)
NewMessage = Callable[[UserMessage], Awaitable[Any]]
# The last resort: the parts' own timeouts (bot/settings.py) answer well before this.
TURN_DEADLINE = 8.0


@lru_cache
def domain_words() -> tuple[frozenset[str], frozenset[str]]:
    """The intents and entities of the domain (bot/*/domain.yml): what a button payload may name."""
    intents: set[str] = set()
    entities: set[str] = set()
    for path in Path(__file__).parent.glob("*/domain.yml"):
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        intents.update(name if isinstance(name, str) else next(iter(name)) for name in domain.get("intents", []))
        entities.update(name if isinstance(name, str) else next(iter(name)) for name in domain.get("entities", []))
    return frozenset(intents), frozenset(entities)


def as_understood(text: str) -> str:
    return visitor_text(text, *domain_words())


def with_client_key(metadata: dict[str, Any], address: str | None) -> dict[str, Any]:
    settings = get_settings()
    key = client_key(address, settings.service_token, date.today(), settings.ticket_limit_exempt)
    return {**metadata, CLIENT_KEY: key} if key else metadata


def retrieve_failure(turn: asyncio.Future) -> None:
    if not turn.cancelled() and turn.exception() is not None:
        log.error("A turn failed (%s)", type(turn.exception()).__name__)


async def process(on_new_message: NewMessage, message: UserMessage, output: OutputChannel) -> None:
    """Runs the turn; if it fails or outlasts the deadline, the visitor gets the service-trouble reply.

    The turn is shielded: past the deadline it still finishes and is stored, only its reply comes too
    late for a REST client.
    """
    language = (message.metadata or {}).get("language")
    turn = asyncio.ensure_future(on_new_message(message))
    # A turn that fails after its deadline has nobody waiting for it: its error is logged here, by type.
    turn.add_done_callback(retrieve_failure)
    try:
        await asyncio.wait_for(asyncio.shield(turn), TURN_DEADLINE)
        return
    except asyncio.TimeoutError:
        log.error("A turn took over %.0f s; the visitor got the service-trouble reply", TURN_DEADLINE)
    except Exception:  # noqa: BLE001 - whatever failed (logged by retrieve_failure), the visitor gets an answer
        pass
    reply = service_trouble_reply(language)
    await output.send_response(message.sender_id, {**reply, LANGUAGE: language})


class CheckedRest(RestInput):
    """Rasa's REST channel (`POST /webhooks/rest/webhook`), refusing malformed bodies with a 4xx."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: NewMessage) -> Blueprint:
        webhook = Blueprint("checked_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                message: ChannelMessage = rest_message(request.body or b"")
            except InvalidInput as refusal:
                return response.json(refusal.body(), status=refusal.status)
            collector = LanguageNamingCollector()
            metadata = with_client_key(message.metadata, request.remote_addr or request.ip)
            await process(
                on_new_message,
                UserMessage(
                    as_understood(message.text), collector, message.sender, input_channel=self.name(), metadata=metadata
                ),
                collector,
            )
            return response.json(collector.messages)

        return webhook


# A turn's replies are all in one language. Those made from the domain's responses name it (bot/nlg.py); the
# others (texts an action writes, such as the questionnaire's questions) carry it once one reply of the turn
# has named it. One output channel serves one turn. A questionnaire question also says which one it asks
# (ASKS_FOR), so that a client invites an answer rather than a question, and a part of the career plan carries
# its data (PLAN_CARD), which the widget and the kiosk show as a card.
PASSED_ON = (ASKS_FOR, PLAN_CARD)


class LanguageNamingCollector(CollectingOutputChannel):
    """The REST channel's replies, with the language they are in."""

    language: str | None = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.language = message.pop(LANGUAGE, None) or self.language
        extra = {key: message.pop(key) for key in PASSED_ON if message.get(key) is not None}
        before = len(self.messages)
        await super().send_response(recipient_id, message)
        for sent in self.messages[before:]:
            if self.language is not None:
                sent[LANGUAGE] = self.language
            sent.update(extra)


def hard_line_breaks(text: str) -> str:
    """Each line break as Markdown's hard break (two spaces before it). Web clients of this channel
    (rasa-webchat) render texts as Markdown, which joins single lines into one paragraph: an answer's title,
    summary, contacts and source line would run together. Plain-text clients see nothing of the spaces."""
    return re.sub(r" *\n", "  \n", text)


class RoomOutput(SocketIOOutput):
    """The Socket.IO channel's replies, with the language they are in."""

    language: str | None = None
    extra: dict[str, Any] = {}

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.language = message.pop(LANGUAGE, None) or self.language
        self.extra = {key: message.pop(key) for key in PASSED_ON if message.get(key) is not None}
        await super().send_response(recipient_id, message)

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if isinstance(response, dict):
            named = {LANGUAGE: self.language} if self.language else {}
            response = {**response, **named, **self.extra}
            if isinstance(response.get("text"), str):
                response["text"] = hard_line_breaks(response["text"])
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def socket_address(environ: dict[str, Any]) -> str | None:
    request = environ.get("sanic.request")
    if request is not None:
        return request.remote_addr or request.ip
    return environ.get("REMOTE_ADDR")


class OriginCheckedSocketIO(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> OutputChannel | None:
        return RoomOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: NewMessage) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        engine = self.sio.eio
        engine.cors_allowed_origins = list(get_settings().cors_origins)
        # Checked, but the headers stay the Rasa server's (see above).
        engine._cors_headers = lambda environ: []
        # In place of Rasa's handlers of the same events (see above).
        self.sio.on("session_request", self.join_session, namespace=self.namespace)
        self.sio.on(self.user_message_evt, partial(self.receive, on_new_message), namespace=self.namespace)
        return blueprint

    async def join_session(self, sid: str, data: Any) -> None:
        """Joins the room of the session id the client asks for; an invalid or missing one gets a new id."""
        requested = data.get("session_id") if isinstance(data, dict) else None
        session_id = requested if valid_sender_id(requested) else uuid.uuid4().hex
        if self.session_persistence:
            await self.sio.enter_room(sid, session_id)
        await self.sio.emit("session_confirm", session_id, room=sid)

    async def receive(self, on_new_message: NewMessage, sid: str, data: Any) -> None:
        if not isinstance(data, dict):
            log.warning("Socket.IO message that is not an object: ignored")
            return
        sender = data.get("session_id") if self.session_persistence else sid
        if not valid_sender_id(sender):
            log.warning("Socket.IO message without a valid session_id (send session_request first): ignored")
            return
        try:
            text = message_text(data.get("message"))
            metadata = socketio_metadata(data, self.metadata_key)
        except InvalidInput as refusal:
            log.warning("Socket.IO message refused: %s", refusal.code)
            return
        output = RoomOutput(self.sio, self.bot_message_evt)
        metadata = with_client_key(metadata, socket_address(self.sio.get_environ(sid, self.namespace) or {}))
        await process(
            on_new_message,
            UserMessage(as_understood(text), output, sender, input_channel=self.name(), metadata=metadata),
            output,
        )
