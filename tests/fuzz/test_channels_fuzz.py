"""Hostile input on the assistant's channels: nothing crashes, and visitors always get an answer.

Against the real Rasa server of the whole stack (tests/conftest.py's `servers`), through the REST
webhook, Socket.IO (python-socketio's client) and raw Engine.IO frames over WebSocket. The same
properties hold in process for bot/channel_input.py, which both channels use to check what they receive
(test_channel_input_properties.py).

The contract (bot/channels.py): the REST channel refuses a body that is not a JSON object, a missing
or invalid `sender` (1 to 128 letters, digits, `-`, `_`, `.`, `:`, `@`), a `message` that is not a
string and `metadata` that is neither an object nor null with 400 and `{"error": …, "detail": …}`, and a body over
64 KiB with 413; a valid message gets the assistant's reply. The Socket.IO channel gives a fresh
session id for an invalid one and ignores malformed messages.

The examples are not shrunk: when one stops the server, every later example fails too, and shrinking
would end on an unrelated trivial one. The example printed is the one that failed first; the same
properties in process (test_channel_input_properties.py) give shrunk examples.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import socketio
from hypothesis import Phase, example, given, note, settings
from hypothesis import strategies as st
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect as websocket_connect

from bot.channel_input import MAX_BODY_BYTES
from tests.conftest import Servers
from tests.fuzz.strategies import (
    TRICKY_PIECES,
    hostile_bodies,
    hostile_text,
    invalid_messages,
    invalid_senders,
    json_values,
    message_objects,
    metadata_objects,
    odd_fields,
    tricky_pieces,
    valid_sender,
    valid_senders,
)

pytestmark = pytest.mark.servers

LIVE_EXAMPLES = 150
# The live server is a shared, session-wide fixture: see the module's docstring.
LIVE = settings(max_examples=LIVE_EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate])
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=latin-1",
    "text/plain",
    "application/xml",
    "multipart/form-data; boundary=x",
    None,
]
REFUSALS = {400, 413, 415, 422}


# --- REST webhook -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rest(servers: Servers) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=servers.rasa_url, timeout=30) as client:
        yield client


def post(rest: httpx.Client, body: bytes, content_type: str | None = "application/json") -> httpx.Response:
    note(f"body ({len(body)} bytes): {body[:300]!r}")
    headers = {"Content-Type": content_type} if content_type else {}
    return rest.post("/webhooks/rest/webhook", content=body, headers=headers)


def assert_refusal(response: httpx.Response) -> None:
    assert response.status_code in REFUSALS, (response.status_code, response.text[:300])
    error = response.json()
    assert isinstance(error, dict) and isinstance(error.get("error"), str) and isinstance(error.get("detail"), str), (
        response.text[:300]
    )


def assert_reply(response: httpx.Response, sender: str) -> None:
    """A 200 with at least one message for the sender: the visitor always gets an answer."""
    assert response.status_code == 200, (response.status_code, response.text[:300])
    messages = response.json()
    assert isinstance(messages, list) and messages, response.text[:300]
    assert all(isinstance(m, dict) and m.get("recipient_id") == sender for m in messages), response.text[:300]


def assert_still_answers(servers: Servers) -> None:
    sender = f"fuzz-after-{uuid.uuid4().hex[:8]}"
    assert servers.assistant.send(sender, "bonjour"), "no reply to a normal message after the fuzzing"


def test_rest_answers_any_body_with_a_reply_or_a_refusal(servers: Servers, rest: httpx.Client) -> None:
    @LIVE
    @given(body=hostile_bodies, content_type=st.sampled_from(CONTENT_TYPES))
    def never_5xx(body: bytes, content_type: str | None) -> None:
        note(f"content type {content_type!r}")
        response = post(rest, body, content_type)
        if response.status_code == 200:
            assert isinstance(response.json(), list), response.text[:300]
        else:
            assert_refusal(response)

    never_5xx()
    assert_still_answers(servers)


def test_rest_refuses_invalid_messages_with_400(servers: Servers, rest: httpx.Client) -> None:
    @LIVE
    @given(body=invalid_messages())
    def refused(body: bytes) -> None:
        response = post(rest, body)
        assert_refusal(response)
        assert response.status_code == (413 if len(body) > MAX_BODY_BYTES else 400), response.text[:300]

    refused()
    assert_still_answers(servers)


def test_rest_answers_every_valid_message(servers: Servers, rest: httpx.Client) -> None:
    """Odd but valid: any text (lone surrogates, controls, button payloads, long runs), odd metadata, other keys."""

    @LIVE
    @given(
        extra=st.dictionaries(hostile_text, json_values, max_size=2),
        sender=valid_senders,
        message=hostile_text,
        metadata=st.one_of(st.none(), metadata_objects),
    )
    def answered(extra: dict, sender: str, message: str, metadata: dict | None) -> None:
        note(f"sender {sender!r}, message ({len(message)} characters) {message[:300]!r}, metadata {metadata!r:.300}")
        # Escaped ASCII JSON, as browsers' JSON.stringify sends lone surrogates.
        body = json.dumps({**extra, "sender": sender, "message": message, "metadata": metadata}).encode()
        response = post(rest, body)
        if len(body) > MAX_BODY_BYTES:
            assert_refusal(response)
            assert response.status_code == 413
        else:
            assert_reply(response, sender)

    # Each known troublemaker alone, every run, besides what is drawn.
    for index, piece in enumerate(TRICKY_PIECES):
        answered = example(extra={}, sender=f"fuzz-piece-{index}", message=piece, metadata=None)(answered)
    answered()
    assert_still_answers(servers)


# --- Socket.IO ----------------------------------------------------------------------------------------


def socketio_client(servers: Servers) -> socketio.SimpleClient:
    """A browser-like client: WebSocket transport, from an origin the server accepts."""
    # websocket-client sends an Origin of its own: replaced, not added to (a header would give two).
    client = socketio.SimpleClient(websocket_extra_options={"origin": servers.settings.cors_origins.split()[0]})
    client.connect(servers.rasa_url, transports=["websocket"], wait_timeout=10)
    return client


def socketio_session(client: socketio.SimpleClient, session_id: str) -> str:
    client.emit("session_request", {"session_id": session_id})
    event, confirmed = client.receive(timeout=10)
    assert event == "session_confirm", event
    return confirmed


def assert_socketio_still_answers(servers: Servers) -> None:
    client = socketio_client(servers)
    try:
        session_id = socketio_session(client, uuid.uuid4().hex)
        client.emit("user_uttered", {"session_id": session_id, "message": "bonjour"})
        event, reply = client.receive(timeout=30)
        assert event == "bot_uttered" and reply, (event, reply)
    finally:
        client.disconnect()


session_requests = st.one_of(
    st.fixed_dictionaries({}, optional={"session_id": st.one_of(invalid_senders, valid_senders)}),
    st.dictionaries(hostile_text, json_values, max_size=3),
    # A bare value as the event's data (None would send no argument at all).
    json_values.filter(lambda value: value is not None),
)


def test_socketio_session_request_confirms_a_valid_session_id(servers: Servers) -> None:
    client = socketio_client(servers)

    @LIVE
    @given(data=session_requests)
    def confirmed(data: object) -> None:
        note(f"data {data!r:.500}")
        client.emit("session_request", data)
        event, session_id = client.receive(timeout=10)
        assert event == "session_confirm" and valid_sender(session_id), (event, session_id)
        requested = data.get("session_id") if isinstance(data, dict) else None
        if valid_sender(requested):
            assert session_id == requested

    try:
        confirmed()
        assert client.connected
    finally:
        client.disconnect()
    assert_socketio_still_answers(servers)


def test_socketio_survives_malformed_messages(servers: Servers) -> None:
    client = socketio_client(servers)
    session_id = socketio_session(client, f"fuzz-{uuid.uuid4().hex[:12]}")
    fields = st.one_of(odd_fields, st.just(session_id))
    payloads = st.one_of(
        message_objects(odd_fields, odd_fields, odd_fields).map(lambda m: {**m, "session_id": session_id}),
        st.fixed_dictionaries(
            {},
            optional={
                "session_id": fields,
                "message": fields,
                "metadata": st.one_of(odd_fields, json_values.map(json.dumps), hostile_text),
            },
        ),
        json_values.filter(lambda value: value is not None),
    )

    @LIVE
    @given(data=payloads)
    def survives(data: object) -> None:
        note(f"data {data!r:.500}")
        client.emit("user_uttered", data)
        assert client.connected, "the server closed the connection"
        assert httpx.get(f"{servers.rasa_url}/", timeout=10).status_code == 200

    try:
        survives()
    finally:
        client.disconnect()
    assert_socketio_still_answers(servers)


# Engine.IO v4 over WebSocket, below python-socketio's client, which only sends well-formed packets.
raw_frames = st.one_of(
    st.binary(max_size=512),
    hostile_text,
    st.tuples(
        st.sampled_from(["0", "1", "2", "3", "4", "5", "6", "40", "41", "42", "43", "44", "45", "451-", "46"]),
        st.one_of(hostile_text, json_values.map(json.dumps)),
    ).map("".join),
    st.lists(st.one_of(st.sampled_from(["user_uttered", "session_request"]), json_values), max_size=4).map(
        lambda packet: "42" + json.dumps(packet)
    ),
)


def as_sent(frame: str | bytes) -> str | bytes:
    """A text frame when the frame is valid UTF-8, else a binary one (a text frame cannot carry the rest)."""
    data = frame.encode("utf-8", "surrogatepass") if isinstance(frame, str) else frame
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def test_socketio_survives_malformed_engineio_frames(servers: Servers) -> None:
    url = servers.rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    origin = servers.settings.cors_origins.split()[0]

    @LIVE
    @given(frames=st.lists(raw_frames, min_size=1, max_size=3))
    def survives(frames: list) -> None:
        note(f"frames {frames!r:.500}")
        with websocket_connect(url, additional_headers={"Origin": origin}, open_timeout=10) as websocket:
            opening = websocket.recv(timeout=10)
            assert isinstance(opening, str) and opening.startswith("0")
            websocket.send("40")
            for frame in frames:
                try:
                    websocket.send(as_sent(frame))
                except WebSocketException:
                    break  # the server may close a connection that sent garbage: that is its right
        assert httpx.get(f"{servers.rasa_url}/", timeout=10).status_code == 200

    survives()
    assert_socketio_still_answers(servers)


# --- Logs -----------------------------------------------------------------------------------------------


def test_what_visitors_send_is_never_logged(servers: Servers, rest: httpx.Client) -> None:
    """A log line says what failed, never what was typed: a marker hidden in the text, the metadata and the
    invalid fields of messages, valid or refused, on both channels, must not reach the servers' log."""
    marker = f"Zq{uuid.uuid4().hex[:12]}"
    log = Path(servers.log.name)
    already = log.stat().st_size
    around = st.one_of(tricky_pieces, hostile_text.map(lambda text: text[:200]))
    texts = st.tuples(around, around).map(lambda parts: parts[0] + marker + parts[1])
    client = socketio_client(servers)
    session_id = socketio_session(client, f"fuzz-{uuid.uuid4().hex[:12]}")

    @settings(max_examples=60, phases=[Phase.explicit, Phase.reuse, Phase.generate])
    @given(sender=valid_senders, text=texts, shape=st.sampled_from(["valid", "message", "metadata", "sender"]))
    def sent(sender: str, text: str, shape: str) -> None:
        note(f"{shape}: {text!r:.300}")
        body = {"sender": sender, "message": text, "metadata": {"language": marker, marker: text}}
        if shape != "valid":
            body[shape] = [text] if shape == "message" else text + " "
        post(rest, json.dumps(body).encode())
        client.emit("user_uttered", {**body, "session_id": session_id})

    # The marker after each known troublemaker (button payloads among them), every run.
    for piece in TRICKY_PIECES:
        sent = example(sender="fuzz-marker", text=piece + marker, shape="valid")(sent)
    try:
        sent()
    finally:
        client.disconnect()
    assert_still_answers(servers)
    time.sleep(1)  # the servers write their log themselves
    with log.open(encoding="utf-8", errors="replace") as lines:
        lines.seek(already)
        quoting = [line[:300] for line in lines if marker in line]
    assert not quoting, quoting[:5]
