"""`make bench-fuzz`: 10,000 generated inputs on each public endpoint of the whole assistant.

Starts the whole stack (launcher/stack.py) on free loopback ports, then, endpoint after endpoint,

- the ticket API (`POST /api/tickets`, with the service token),
- the desk's login (`POST /login`),
- the search API (`GET /api/knowledge/search`),
- the REST webhook (`POST /webhooks/rest/webhook`),
- Socket.IO (`/socket.io/`, frames written at the Engine.IO level, so malformed packets too),

first measures the baseline, 1,000 valid requests one at a time (time per request), then sends 10,000
inputs from a seeded generator (the same seed gives the same inputs): mostly malformed (random bytes,
any JSON, odd field types and values, lone surrogates, NUL and control characters, deep nesting, bodies
over the limits, foreign origins, wrong tokens), some valid. Valid chat messages are full Rasa turns:
through REST at most two at a time, through Socket.IO one per connection (four), each waiting for its
reply; the other inputs go eight at a time. Each endpoint stops after 10,000 inputs or `TIME_BOUND`
seconds, whichever comes first.

Prints per endpoint the inputs sent, the answers (HTTP status, or Socket.IO events), 5xx (with the start
of their bodies), connection errors; then whether each service's process is still running and answers
its health URL, and whether a normal conversation still gets a reply, on both channels. The figures to
reach: no 5xx, no crash. The baseline runs first on each endpoint, so that the fuzzing (which locks the
login of its address, for one) does not slow it down. Figures only: nothing is asserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import random
import statistics
import string
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from urllib.parse import quote

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from bench.desk_throughput import ticket_body
from bench.turn_latency import messages, percentile
from launcher.stack import Stack
from tests.fuzz.strategies import SENDER_CHARACTERS, TRICKY_PIECES, valid_sender

INPUTS = 10_000
BASELINE = 1_000
SEED = 13
CONCURRENCY = 8
TURN_CONCURRENCY = 2
SOCKETS = 4
TIME_BOUND = 240.0
TIMEOUT = 30.0
# The Rasa server answers within 8 s, with its service-trouble reply at worst (bot/channels.py).
REPLY_TIMEOUT = 10.0
MAX_BODY_BYTES = 64 * 1024
MAX_QUERY_CHARS = 60_000
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    None,
]
FOREIGN_ORIGIN = "https://elsewhere.example"
LONG_RUNS = ["a", "é", "\ud800", "\U0001f600", "\x00", " ", "/"]


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path and query, already encoded
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # A full Rasa turn (a valid chat message): sent with less concurrency.
    turn: bool = False


@dataclass
class Tally:
    endpoint: str
    sent: int = 0
    answers: Counter = field(default_factory=Counter)
    server_errors: int = 0
    # The start of the 5xx answers' bodies, to tell their causes apart.
    server_error_bodies: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    seconds: float = 0.0
    stopped_by_time: bool = False

    def answer(self, response: httpx.Response) -> None:
        self.sent += 1
        self.answers[str(response.status_code)] += 1
        if response.status_code >= 500:
            self.server_errors += 1
            self.server_error_bodies[response.text[:100]] += 1


class Hostile:
    """Seeded generator of what a hostile or broken client sends."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def codepoints(self, count: int) -> str:
        # All of Unicode, lone surrogates included.
        return "".join(chr(self.rng.randint(0, 0x10FFFF)) for _ in range(count))

    def piece(self) -> str:
        roll = self.rng.random()
        if roll < 0.4:
            return self.codepoints(self.rng.randint(0, 60))
        if roll < 0.8:
            return self.rng.choice(TRICKY_PIECES)
        return " ".join(
            self.rng.choice(["bonjour", "formation", "werk", "conseiller", "ik", "je", "?"])
            for _ in range(self.rng.randint(1, 8))
        )

    def text(self) -> str:
        roll = self.rng.random()
        if roll < 0.1:
            return self.rng.choice(LONG_RUNS) * self.rng.randint(500, 100_000)
        if roll < 0.4:
            return "".join(self.piece() for _ in range(self.rng.randint(2, 5)))
        return self.piece()

    def value(self, depth: int = 0) -> object:
        kind = self.rng.randrange(9 if depth < 3 else 6)
        if kind == 0:
            return None
        if kind == 1:
            return self.chance(0.5)
        if kind == 2:
            return self.rng.choice([0, -1, 2**31, 2**63, -(2**70), self.rng.randint(-1000, 1000)])
        if kind == 3:
            return self.rng.choice([math.nan, math.inf, -math.inf, 1e308, -0.0, self.rng.random()])
        if kind in (4, 5):
            return self.text()
        if kind == 6:
            return [self.value(depth + 1) for _ in range(self.rng.randint(0, 4))]
        return {self.text()[:40]: self.value(depth + 1) for _ in range(self.rng.randint(0, 4))}

    def encoded(self, value: object) -> bytes:
        """JSON as a client may encode it: escaped ASCII, or UTF-8 with lone surrogates as is (invalid)."""
        if self.chance(0.5):
            return json.dumps(value).encode()
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")

    def raw(self) -> bytes:
        return self.rng.randbytes(self.rng.randint(0, 2048))

    def nested(self, inner: str = "1") -> bytes:
        depth = self.rng.randint(100, 100_000)
        opening, closing = self.rng.choice([("[", "]"), ('{"a":', "}")])
        return (opening * depth + inner + closing * depth).encode()

    def sender(self) -> object:
        if self.chance(0.5):
            return "".join(self.rng.choice(SENDER_CHARACTERS) for _ in range(self.rng.randint(1, 128)))
        return self.value() if self.chance(0.5) else self.text()

    def invalid_sender(self) -> object:
        sender = self.sender()
        while valid_sender(sender):
            sender = self.sender()
        return sender

    def value_but(self, *kinds: type | None) -> object:
        """A value of none of `kinds` (None for null)."""
        value = self.value()
        while value is None and None in kinds or isinstance(value, tuple(kind for kind in kinds if kind)):
            value = self.value()
        return value

    def metadata(self) -> object:
        if self.chance(0.4):
            return {"language": self.rng.choice(["fr", "nl", "en", "", self.text()])}
        return self.value()


def urlencoded(pairs: list[tuple[str, str]]) -> str:
    """A query string or form body; lone surrogates are encoded as is, which is invalid UTF-8 once decoded."""

    def escaped(text: str) -> str:
        return quote(text.encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{escaped(name)}={escaped(value)}" for name, value in pairs)


def content_type(hostile: Hostile, usual: str) -> dict[str, str]:
    chosen = usual if hostile.chance(0.7) else hostile.rng.choice(CONTENT_TYPES)
    return {"Content-Type": chosen} if chosen else {}


def webhook_message(hostile: Hostile) -> tuple[dict, bool]:
    """A message object with odd fields; True when it is valid, so a full turn."""
    message: dict = {key: hostile.value() for key in (hostile.text()[:20] for _ in range(hostile.rng.randint(0, 2)))}
    for key, make in (("sender", hostile.sender), ("message", hostile.text), ("metadata", hostile.metadata)):
        if hostile.chance(0.85):
            message[key] = make() if key != "message" or hostile.chance(0.8) else hostile.value()
    valid = (
        valid_sender(message.get("sender"))
        and isinstance(message.get("message"), str)
        and isinstance(message.get("metadata", {}), dict | None)
    )
    return message, valid


def webhook_inputs(hostile: Hostile, count: int) -> Iterator[Request]:
    for _ in range(count):
        roll, turn = hostile.rng.random(), False
        if roll < 0.15:
            body = hostile.raw()
        elif roll < 0.30:
            body = hostile.encoded(hostile.value())
        elif roll < 0.90:
            message, turn = webhook_message(hostile)
            body = hostile.encoded(message)
        elif roll < 0.95:
            body = hostile.nested()
        else:
            body = b'{"sender": "big", "message": "' + b"a" * hostile.rng.randint(MAX_BODY_BYTES, 2_000_000) + b'"}'
        yield Request(
            "POST",
            "/webhooks/rest/webhook",
            body,
            content_type(hostile, "application/json"),
            turn=turn and len(body) <= MAX_BODY_BYTES,
        )


def search_inputs(hostile: Hostile, count: int, questions: list[str]) -> Iterator[Request]:
    for _ in range(count):
        if hostile.chance(0.15):
            pairs = [
                ("q", hostile.rng.choice(questions)),
                ("lang", hostile.rng.choice(["fr", "nl"])),
                ("k", str(hostile.rng.randint(1, 20))),
            ]
        else:
            names = ["q", "lang", "area", "k", hostile.text()[:30]]
            pairs = [
                (hostile.rng.choice(names), hostile.text() if hostile.chance(0.7) else json.dumps(hostile.value()))
                for _ in range(hostile.rng.randint(0, 5))
            ]
        # httpx refuses longer URLs; servers refuse far shorter ones (uvicorn: 16 KiB for the whole head).
        query = urlencoded(pairs)[:MAX_QUERY_CHARS]
        if hostile.chance(0.05):
            query += hostile.rng.choice(["&", "%", "%zz", "=&=", "q", "&q=%ED%A0%80", "&q=%FF%FE"])
        yield Request("GET", f"/api/knowledge/search?{query}")


def login_inputs(hostile: Hostile, count: int, login: str, password: str, desk_origin: str) -> Iterator[Request]:
    for _ in range(count):
        roll = hostile.rng.random()
        if roll < 0.03:
            body = urlencoded([("login", login), ("password", password)]).encode()
        elif roll < 0.6:
            fields = {
                name: hostile.text()[:5000]
                for name in ("login", "password", "next", hostile.text()[:20])
                if hostile.chance(0.7)
            }
            body = urlencoded(list(fields.items())).encode()
        elif roll < 0.75:
            body = hostile.raw()
        elif roll < 0.85:
            body = hostile.encoded({"login": hostile.value(), "password": hostile.value()})
        elif roll < 0.95:
            body = (
                b'--x\r\nContent-Disposition: form-data; name="login"\r\n\r\n'
                + hostile.text().encode("utf-8", "surrogatepass")
                + hostile.rng.choice([b"\r\n--x--\r\n", b""])
            )
        else:
            body = None
        headers = content_type(hostile, "application/x-www-form-urlencoded")
        if hostile.chance(0.2):
            headers["Origin"] = hostile.rng.choice([desk_origin, FOREIGN_ORIGIN, "null"])
        yield Request("POST", "/login", body, headers)


def ticket_inputs(hostile: Hostile, count: int, token: str, created: list[Request]) -> Iterator[Request]:
    """Mostly malformed tickets; the valid ones send again a ticket already `created`, as the action server's
    outbox does (the desk numbers at most 499 tickets per language and day: new ones would run out)."""
    for index in range(count):
        roll = hostile.rng.random()
        ticket = ticket_body(index)
        if roll < 0.1:
            body = hostile.rng.choice(created).body
        elif roll < 0.6:
            for name in hostile.rng.sample(sorted(ticket), hostile.rng.randint(1, 3)):
                if hostile.chance(0.2):
                    del ticket[name]
                else:
                    ticket[name] = hostile.value() if hostile.chance(0.5) else hostile.text()
            if hostile.chance(0.2):
                ticket[hostile.text()[:20]] = hostile.value()
            body = hostile.encoded(ticket)
        elif roll < 0.75:
            body = hostile.encoded(hostile.value())
        elif roll < 0.85:
            body = hostile.raw()
        elif roll < 0.9:
            body = hostile.nested()
        else:
            ticket["answers"] = ticket["answers"] * hostile.rng.randint(10, 5000)
            body = hostile.encoded(ticket)
        headers = content_type(hostile, "application/json")
        roll = hostile.rng.random()
        if roll < 0.9:
            headers["Authorization"] = f"Bearer {token}"
        elif roll < 0.95:
            headers["Authorization"] = hostile.rng.choice(
                ["Bearer", "Basic abc", f"Bearer {token}x", "".join(hostile.rng.choices(string.printable[:94], k=60))]
            )
        yield Request("POST", "/api/tickets", body, headers)


async def send_http(base_url: str, requests: Iterator[Request], tally: Tally) -> None:
    """The requests, CONCURRENCY at a time (full turns at most TURN_CONCURRENCY), until TIME_BOUND.

    The inputs are made as they are sent (some bodies are megabytes), in the generator's order.
    """
    deadline = time.monotonic() + TIME_BOUND
    turns = asyncio.Semaphore(TURN_CONCURRENCY)
    async with httpx.AsyncClient(
        base_url=base_url, timeout=TIMEOUT, limits=httpx.Limits(max_connections=CONCURRENCY)
    ) as client:

        async def worker() -> None:
            for request in requests:
                if time.monotonic() > deadline:
                    tally.stopped_by_time = True
                    return
                async with turns if request.turn else contextlib.nullcontext():
                    try:
                        response = await client.request(
                            request.method, request.target, content=request.body, headers=request.headers
                        )
                    except httpx.TransportError:
                        tally.sent += 1
                        tally.connection_errors += 1
                        continue
                tally.answer(response)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        tally.seconds = time.perf_counter() - started


async def baseline_http(base_url: str, requests: list[Request]) -> tuple[list[float], Counter]:
    """The requests one at a time: milliseconds each, and the statuses."""
    times: list[float] = []
    statuses: Counter[str] = Counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT) as client:
        for request in requests:
            started = time.perf_counter()
            try:
                response = await client.request(
                    request.method, request.target, content=request.body, headers=request.headers
                )
            except httpx.TransportError:
                statuses["connection error"] += 1
                continue
            times.append((time.perf_counter() - started) * 1000)
            statuses[str(response.status_code)] += 1
    return times, statuses


class EngineIO:
    """A Socket.IO client written at the Engine.IO 4 level over WebSocket, which can send any frame.

    A reader answers the server's pings and counts the events it receives; `replied` is set on every
    `bot_uttered`.
    """

    def __init__(self, rasa_url: str, origin: str, tally: Tally) -> None:
        self.url = rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.origin = origin
        self.tally = tally
        self.socket: ClientConnection | None = None
        self.reader: asyncio.Task | None = None
        self.closing = False
        self.replied = asyncio.Event()
        self.confirmed: asyncio.Queue = asyncio.Queue()

    async def open(self) -> None:
        self.socket = await connect(
            self.url, additional_headers={"Origin": self.origin}, open_timeout=TIMEOUT, max_size=None
        )
        opening = await asyncio.wait_for(self.socket.recv(), TIMEOUT)
        if not str(opening).startswith("0"):
            raise WebSocketException("unexpected Engine.IO opening packet")
        await self.socket.send("40")
        self.reader = asyncio.create_task(self.read(self.socket))

    def received(self, frame: str) -> None:
        try:
            event, *data = json.loads(frame[2:])
        except (ValueError, TypeError):
            self.tally.answers["unreadable event"] += 1
            return
        self.tally.answers[str(event)] += 1
        if event == "bot_uttered":
            self.replied.set()
        elif event == "session_confirm":
            self.confirmed.put_nowait(data[0] if data else None)

    async def read(self, socket: ClientConnection) -> None:
        with contextlib.suppress(WebSocketException):
            async for frame in socket:
                if frame == "2":
                    await socket.send("3")
                elif isinstance(frame, str) and frame.startswith("42"):
                    self.received(frame)
                elif isinstance(frame, str) and frame.startswith("44"):
                    self.tally.answers["connection refused by the namespace"] += 1
        self.closed_by_server()

    @property
    def open_now(self) -> bool:
        return self.reader is not None and not self.reader.done()

    async def send(self, frame: str | bytes) -> None:
        assert self.socket is not None
        await self.socket.send(frame)

    async def emit(self, event: str, data: object) -> None:
        await self.send("42" + json.dumps([event, data]))

    async def session(self, session_id: str) -> str:
        await self.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), TIMEOUT)

    async def turn(self, session_id: str, text: str) -> bool:
        """Sends a message; True once the first reply came."""
        self.replied.clear()
        await self.emit("user_uttered", {"session_id": session_id, "message": text})
        try:
            await asyncio.wait_for(self.replied.wait(), REPLY_TIMEOUT)
            return True
        except asyncio.TimeoutError:
            return False

    def closed_by_server(self) -> None:
        """Counted once, by the reader or by a send that failed, whichever notices first."""
        if not self.closing:
            self.closing = True
            self.tally.answers["connection closed by the server"] += 1

    async def close(self) -> None:
        self.closing = True
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


def socketio_input(hostile: Hostile, session_id: str) -> tuple[str, object]:
    """One generated Socket.IO input: ("turn", text), ("frame", bytes) or (event name, data)."""
    roll = hostile.rng.random()
    if roll < 0.05:
        # Odd but valid text, short enough for one Engine.IO packet.
        return "turn", hostile.text()[:2000]
    if roll < 0.3:
        return "session_request", {"session_id": hostile.sender()} if hostile.chance(0.7) else hostile.value()
    if roll < 0.7:
        # Invalid in one field at least: a valid message is a turn, and turns only come as "turn", whose reply
        # is awaited (a flood of turns on one conversation would only queue up behind its lock).
        broken = hostile.rng.choice(["session_id", "message", "metadata", "data"])
        if broken == "data":
            return "user_uttered", hostile.value_but(dict)
        fields = {"session_id": session_id, "message": hostile.text(), "metadata": hostile.metadata()}
        fields[broken] = {
            "session_id": hostile.invalid_sender,
            "message": lambda: hostile.value_but(str),
            "metadata": lambda: hostile.value_but(dict, str, None),
        }[broken]()
        if broken != "metadata" and hostile.chance(0.2):
            del fields[broken]
        return "user_uttered", fields
    if roll < 0.75:
        return hostile.text()[:30], hostile.value()
    if hostile.chance(0.3):
        return "frame", hostile.raw()
    prefix = hostile.rng.choice(["", "0", "1", "2", "3", "4", "40", "41", "42", "43", "44", "45", "451-", "46", "6"])
    return "frame", (prefix + hostile.text()).encode("utf-8", "surrogatepass")


async def connected(rasa_url: str, origin: str, tally: Tally) -> EngineIO | None:
    """A new connection, or None (counted) when the server refused it or did not answer."""
    client = EngineIO(rasa_url, origin, tally)
    try:
        await client.open()
        return client
    except InvalidStatus as refused:
        tally.server_errors += refused.response.status_code >= 500
    except (WebSocketException, OSError, asyncio.TimeoutError):
        pass
    tally.connection_errors += 1
    return None


async def send_raw(rasa_url: str, origin: str, tally: Tally, frame: bytes) -> None:
    """A raw frame, on a connection of its own: it may end the namespace, or announce an attachment that
    would swallow the next packet, which would leave the conversation's connection in a state no client
    keeps it in."""
    client = await connected(rasa_url, origin, tally)
    if client is None:
        return
    try:
        # What decodes goes as a text frame, the rest as a binary one.
        try:
            await client.send(frame.decode("utf-8"))
        except UnicodeDecodeError:
            await client.send(frame)
    except ConnectionClosed:
        client.closed_by_server()
    await client.close()


async def fuzz_socketio(rasa_url: str, origin: str, hostile: Hostile, tally: Tally) -> None:
    """SOCKETS connections, one conversation each, share the inputs; a connection the server closed is
    opened again."""
    deadline = time.monotonic() + TIME_BOUND
    inputs = iter(range(INPUTS))

    async def worker() -> None:
        client, session_id = None, f"fuzz-{uuid.uuid4().hex[:12]}"
        for _ in inputs:
            if time.monotonic() > deadline:
                tally.stopped_by_time = True
                break
            if client is None or not client.open_now:
                client = await connected(rasa_url, origin, tally)
                if client is None:
                    continue
                try:
                    await client.session(session_id)
                except (ConnectionClosed, asyncio.TimeoutError):
                    tally.connection_errors += 1
                    continue
            kind, data = socketio_input(hostile, session_id)
            tally.sent += 1
            try:
                # socketio_input gives a "frame" as bytes and a "turn" as text.
                if kind == "frame":
                    await send_raw(rasa_url, origin, tally, cast(bytes, data))
                elif kind == "turn":
                    if not await client.turn(session_id, cast(str, data)):
                        tally.answers["message without a reply"] += 1
                else:
                    await client.emit(kind, data)
            except ConnectionClosed:
                client.closed_by_server()
                await client.close()
                client = None
        if client is not None:
            await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(SOCKETS)))
    tally.seconds = time.perf_counter() - started


async def baseline_socketio(rasa_url: str, origin: str, texts: list[str]) -> tuple[list[float], Counter]:
    """Each text in its own turn on one session: milliseconds from sending to the first reply."""
    client = EngineIO(rasa_url, origin, Tally("baseline"))
    times: list[float] = []
    answers: Counter[str] = Counter()
    try:
        await client.open()
        session_id = await client.session(f"baseline-{uuid.uuid4().hex[:12]}")
        for text in texts:
            started = time.perf_counter()
            if await client.turn(session_id, text):
                times.append((time.perf_counter() - started) * 1000)
                answers["replied"] += 1
            else:
                answers["no reply"] += 1
            # The turn's other messages, before the next one starts.
            await asyncio.sleep(0.03)
    except (WebSocketException, OSError, asyncio.TimeoutError):
        answers["connection error"] += 1
    finally:
        await client.close()
    return times, answers


async def socketio_answers(rasa_url: str, origin: str) -> bool:
    client = await connected(rasa_url, origin, Tally("check"))
    if client is None:
        return False
    try:
        return await client.turn(await client.session(uuid.uuid4().hex), "bonjour")
    except (WebSocketException, asyncio.TimeoutError):
        return False
    finally:
        await client.close()


def rest_answers(rasa_url: str) -> bool:
    try:
        response = httpx.post(
            f"{rasa_url}/webhooks/rest/webhook",
            timeout=TIMEOUT,
            json={"sender": f"check-{uuid.uuid4().hex[:8]}", "message": "bonjour"},
        )
    except httpx.TransportError:
        return False
    return response.status_code == 200 and bool(response.json())


@dataclass
class Endpoint:
    tally: Tally
    baseline_ms: list[float]
    baseline_answers: Counter


async def run(stack: Stack) -> list[Endpoint]:
    rasa, desk = stack.rasa_url, str(stack.desk_api.base_url).rstrip("/")
    web = f"http://127.0.0.1:{stack.settings.web_port}"
    origin = stack.settings.cors_origins.split()[0]
    token = stack.settings.service_token
    login, password = stack.create_counsellor("fr,nl", "training,employment")
    questions = [text for text, _ in messages()]
    texts = (questions * (BASELINE // len(questions) + 1))[:BASELINE]
    hostile = Hostile(SEED)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # The generated inputs are made lazily, one endpoint after the other, so the seed gives the same ones.
    tickets = [
        Request(
            "POST",
            "/api/tickets",
            json.dumps(ticket_body(index)).encode(),
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        for index in range(BASELINE)
    ]
    # The ticket API first: the chat fuzzing's handoffs take some of the day's ticket numbers.
    plans: list[tuple[str, str, list[Request], Iterator[Request]]] = [
        ("ticket API", desk, tickets, ticket_inputs(hostile, INPUTS, token, tickets)),
        (
            "desk login",
            desk,
            [Request("POST", "/login", urlencoded([("login", login), ("password", password)]).encode(), form)]
            * BASELINE,
            login_inputs(hostile, INPUTS, login, password, desk),
        ),
        (
            "search API",
            web,
            [
                Request("GET", f"/api/knowledge/search?q={quote(text)}&lang={('fr', 'nl')[index % 2]}")
                for index, text in enumerate(texts)
            ],
            search_inputs(hostile, INPUTS, texts),
        ),
        (
            "REST webhook",
            rasa,
            [
                Request(
                    "POST",
                    "/webhooks/rest/webhook",
                    json.dumps({"sender": f"baseline-{index // 10}", "message": text}).encode(),
                    {"Content-Type": "application/json"},
                )
                for index, text in enumerate(texts)
            ],
            webhook_inputs(hostile, INPUTS),
        ),
    ]
    results = []
    for name, base_url, valid, generated in plans:
        print(f"{name}: {BASELINE} valid requests, then {INPUTS} generated inputs…", flush=True)
        times, answers = await baseline_http(base_url, valid)
        tally = Tally(name)
        await send_http(base_url, generated, tally)
        results.append(Endpoint(tally, times, answers))
    print(f"Socket.IO: {BASELINE} valid messages, then {INPUTS} generated inputs…", flush=True)
    times, answers = await baseline_socketio(rasa, origin, texts)
    tally = Tally("Socket.IO")
    await fuzz_socketio(rasa, origin, hostile, tally)
    results.append(Endpoint(tally, times, answers))
    return results


def print_report(results: list[Endpoint], stack: Stack, checks: dict[str, bool]) -> None:
    print(
        f"\nFuzzing: up to {INPUTS:,} generated inputs per endpoint (seed {SEED}), whole stack on loopback, "
        f"{TIME_BOUND:.0f} s at most each"
    )
    print(f"{'endpoint':<14}{'sent':>7}{'5xx':>6}{'conn. err':>11}{'seconds':>9}  answers")
    for result in results:
        tally = result.tally
        answers = ", ".join(f"{key}: {count}" for key, count in sorted(tally.answers.items()))
        bound = " (stopped by the time bound)" if tally.stopped_by_time else ""
        print(
            f"{tally.endpoint:<14}{tally.sent:>7}{tally.server_errors:>6}{tally.connection_errors:>11}"
            f"{tally.seconds:>9.1f}  {answers}{bound}"
        )
        for body, count in tally.server_error_bodies.most_common(3):
            print(f"{'':<14}5xx × {count}: {body!r}")

    print(f"\nBaseline, same run: {BASELINE:,} valid requests per endpoint, one at a time")
    print(f"{'endpoint':<14}{'mean ms':>9}{'p50 ms':>9}{'p95 ms':>9}  answers")
    for result in results:
        times = result.baseline_ms
        answers = ", ".join(f"{key}: {count}" for key, count in sorted(result.baseline_answers.items()))
        figures = (
            f"{statistics.mean(times):>9.1f}{percentile(times, 0.5):>9.1f}{percentile(times, 0.95):>9.1f}"
            if times
            else f"{'-':>9}{'-':>9}{'-':>9}"
        )
        print(f"{result.tally.endpoint:<14}{figures}  {answers}")

    print("\nAt the end")
    crashed = 0
    for service in (stack.desk, stack.web, stack.actions, stack.rasa):
        assert service is not None and service.process is not None  # the stack was started
        running = service.process.poll() is None
        try:
            health = str(httpx.get(service.health_url, timeout=10).status_code)
        except httpx.TransportError:
            health = "no answer"
        crashed += not running or health != "200"
        print(
            f"{service.name:<16}{'running' if running else f'exited ({service.process.returncode})':<14}"
            f"health: {health}"
        )
    for check, passed in checks.items():
        print(f"{check:<30}{'yes' if passed else 'NO'}")
    print(f"\ncrashes: {crashed}   5xx: {sum(result.tally.server_errors for result in results)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        with (Path(directory) / "stack.log").open("w") as log:
            stack = Stack(Path(directory), f"sqlite:///{directory}/tracker.db", log)
            try:
                stack.start()
                results = asyncio.run(run(stack))
                origin = stack.settings.cors_origins.split()[0]
                checks = {
                    "a REST message answered": rest_answers(stack.rasa_url),
                    "a Socket.IO message answered": asyncio.run(socketio_answers(stack.rasa_url, origin)),
                }
                print_report(results, stack, checks)
            finally:
                stack.stop()


if __name__ == "__main__":
    main()
