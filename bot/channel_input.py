"""What a channel accepts from the outside: checked before Rasa sees it.

Standard library only, so both Python environments (the Rasa server and the tests' property-based
checks) import it. A sender id becomes the conversation's key in the tracker store and in logs: it
must be short, printable and plain ASCII, or one request can break the store (a lone surrogate made
Rasa's SQL store exit the whole server). The visitor's text only needs to be encodable: lone
surrogates become U+FFFD, and the message guard deals with length. Metadata is stored with every
message, so only the keys the assistant uses are kept.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from common.text import safe_text
from common.vocabulary import LANGUAGES

SENDER_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
# A button payload: "/intent" or "/intent{JSON object of entities}" (Rasa's form, without a confidence).
# Rasa's own commands, which reset or rewind a conversation: never from a visitor.
RASA_COMMANDS = {"restart", "session_start", "back"}
PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?", re.DOTALL)
# A REST body is one message: far more than the longest message the guard lets through.
MAX_BODY_BYTES = 64 * 1024
# Metadata keys the assistant reads; anything else a client sends is dropped, not stored.
KEPT_METADATA = {"language": set(LANGUAGES)}
# Where Rasa's web clients (rasa-webchat) put the page's language.
CUSTOM_DATA = "customData"
INVALID = object()
CLIENT_KEY = "client_key"


class InvalidInput(ValueError):
    """Refused input: `code` for programs, `detail` for people."""

    def __init__(self, code: str, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.code, "detail": self.detail}


@dataclass(frozen=True)
class ChannelMessage:
    sender: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def valid_sender_id(value: Any) -> bool:
    return isinstance(value, str) and SENDER_ID.fullmatch(value) is not None


def visitor_text(text: str, intents: Collection[str], entities: Collection[str]) -> str:
    """The text as Rasa should read it: a button payload of this assistant as it is, anything else as words.

    Rasa takes every message that starts with "/" for an intent payload. A visitor typing one that is not
    this assistant's ("/restart", "/inform{oops") would reset the conversation without a word, or make
    Rasa log the text as a parse warning; an `EXTERNAL_` intent is for the assistant's own services (Rasa's
    HTTP API with its token). Such text loses its leading slashes and is understood like any message.
    """
    # Rasa strips the text before it looks for a payload: so does this check.
    text = text.strip()
    if not text.startswith("/"):
        return text
    match = PAYLOAD.fullmatch(text)
    intent = match["intent"] if match else ""
    if match is not None and intent in intents and intent not in RASA_COMMANDS and not intent.startswith("EXTERNAL_"):
        if match["entities"] is None:
            return text
        try:
            values = json.loads(match["entities"])
        except (ValueError, RecursionError):
            values = None
        if (
            isinstance(values, dict)
            and values
            and all(
                key in entities and isinstance(value, (str, int, float)) and not isinstance(value, bool)
                for key, value in values.items()
            )
        ):
            return text
    return text.lstrip("/")


def kept_metadata(value: Any) -> dict[str, Any]:
    """The metadata keys the assistant uses, with known values only; refuses what is not an object."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput("invalid_metadata", "metadata must be a JSON object")
    given = {key: language_code(value[key]) for key in KEPT_METADATA if isinstance(value.get(key), str)}
    return {key: code for key, code in given.items() if code in KEPT_METADATA[key]}


def language_code(tag: str) -> str:
    """ "nl-BE", "NL" or "fr_BE" -> "nl", "nl", "fr": a page's language tag names the language first."""
    return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


def message_text(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput("invalid_message", "message must be a string")
    return safe_text(value)


def rest_message(body: bytes) -> ChannelMessage:
    """The message of a REST webhook body, or InvalidInput saying what is wrong with it."""
    if len(body) > MAX_BODY_BYTES:
        raise InvalidInput("body_too_large", f"the body must be at most {MAX_BODY_BYTES} bytes", status=413)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise InvalidInput("invalid_json", "the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise InvalidInput("invalid_json", "the body must be a JSON object")
    if not valid_sender_id(data.get("sender")):
        raise InvalidInput(
            "invalid_sender", "sender is required: 1 to 128 letters, digits or . _ : @ - (one per conversation)"
        )
    return ChannelMessage(data["sender"], message_text(data.get("message")), kept_metadata(data.get("metadata")))


def socketio_metadata(data: Mapping[str, Any], metadata_key: str) -> dict[str, Any]:
    """Socket.IO clients send metadata as an object or as a JSON string: Passerelle's own under the
    channel's metadata key, Rasa's web clients (rasa-webchat) what they know of the page under
    `customData` (a language such as "nl" or "nl-BE"). The metadata key wins where both say something."""
    kept: dict[str, Any] = {}
    for key in (CUSTOM_DATA, metadata_key):
        value = data.get(key)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                value = INVALID
        if key == CUSTOM_DATA and not isinstance(value, Mapping):
            # Whatever else a page puts there is its own business: ignored, the message kept.
            continue
        if value is INVALID:
            raise InvalidInput("invalid_metadata", "metadata must be a JSON object")
        kept.update(kept_metadata(value))
    return kept


def client_key(
    address: str | None, secret: str, day: date, exempt: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]
) -> str | None:
    """A pseudonymous key of the visitor's network address for the per-address ticket limit.

    The address itself is never stored: an HMAC of it with the service secret and the day, so keys
    cannot be linked from one day to the next. None when the address is unknown or shared by design
    (the centre's kiosks, loopback).
    """
    try:
        ip = ipaddress.ip_address((address or "").strip("[]"))
    except ValueError:
        return None
    if any(ip in network for network in exempt):
        return None
    digest = hmac.new(secret.encode(), f"{day.isoformat()}|{ip}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
