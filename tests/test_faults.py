"""Fault injection on the real stack: a part paused, killed or restarted while visitors talk.

One stack on a fresh PostgreSQL tracker database (the production set-up), the scenarios one after
the other, each leaving the stack whole again. For each: the visitor gets a reply in time, no
message of the visitor and no reply is missing from the stored conversation afterwards, and every
ticket number told to a visitor is the one the desk lists. Pausing a process (SIGSTOP) is how a
hung process or a saturated database looks from outside.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import sqlalchemy as sa

from launcher.services import Service
from tests.conftest import POSTGRES_URL, Servers

# The stack stores its conversations in PostgreSQL.
pytestmark = [pytest.mark.servers, pytest.mark.postgresql]

# Its own name: two test runs on one machine must not drop each other's database.
TRACKER_DB = f"passerelle_faults_{uuid.uuid4().hex[:8]}"
# What a visitor may wait at most (issue 13): when the scrubber (the desk) is hung, and when the
# action server or the search is hung. A handoff with the desk hung waits for the ticket call and
# then keeps the ticket in the outbox.
SCRUBBER_HUNG_BOUND = 2.0
PART_HUNG_BOUND = 5.0


@pytest.fixture(scope="module")
def stack(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    admin = psycopg2.connect(POSTGRES_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {TRACKER_DB} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {TRACKER_DB}")
    servers = Servers(tmp_path_factory.mktemp("faults"), POSTGRES_URL.rsplit("/", 1)[0] + f"/{TRACKER_DB}", "faults")
    # Loopback is exempt from the per-address ticket limit by default; here it counts like any address.
    servers.rasa_env["PASSERELLE_TICKET_LIMIT_EXEMPT"] = ""
    try:
        servers.start()
        # A first turn warms the model up (it takes a second or two after start), so that the bounds
        # below measure the faults only.
        servers.assistant.send("fault-warm-up", "bonjour")
        yield servers
    finally:
        servers.stop()
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {TRACKER_DB} WITH (FORCE)")
        admin.close()


class Visitor:
    """One conversation over the REST channel, remembering what was said on both sides."""

    def __init__(self, stack: Servers) -> None:
        self.stack = stack
        self.sender = f"fault-{uuid.uuid4().hex[:12]}"
        self.sent: list[str] = []
        self.replies: list[str] = []
        self.numbers: list[str] = []

    def say(self, text: str) -> tuple[list[dict[str, Any]], float]:
        started = time.monotonic()
        replies = self.stack.assistant.send(self.sender, text)
        elapsed = time.monotonic() - started
        self.sent.append(text)
        self.replies += [reply["text"] for reply in replies if reply.get("text")]
        self.numbers += [
            reply["custom"]["ticket"]["number"] for reply in replies if "ticket" in (reply.get("custom") or {})
        ]
        return replies, elapsed


def stored_events(url: str, sender: str) -> list[tuple[str, dict]]:
    engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg2"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name, data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
            ).all()
    finally:
        engine.dispose()
    return [(kind, json.loads(data)) for kind, data in rows]


def assert_nothing_lost(stack: Servers, visitor: Visitor) -> None:
    """Every message of the visitor and every reply they got is in the stored conversation."""
    stack.assistant.saved(visitor.sender)
    events = stored_events(stack.tracker_db_url, visitor.sender)
    user_events = [data for kind, data in events if kind == "user"]
    bot_texts = [data.get("text") for kind, data in events if kind == "bot"]
    assert len(user_events) == len(visitor.sent)
    for reply in visitor.replies:
        assert reply in bot_texts


def desk_numbers(stack: Servers) -> set[str]:
    counsellor = stack.counsellor("fr,nl", "education,training,employment,entrepreneurship,mobility")
    try:
        response = counsellor.get("/api/tickets", params={"scope": "all", "status": "waiting,claimed,closed"})
        response.raise_for_status()
        return {ticket["number"] for ticket in response.json()["tickets"]}
    finally:
        counsellor.close()


def assert_numbers_on_desk(stack: Servers, numbers: list[str], within: float = 20.0) -> None:
    """The desk lists every number told to a visitor (the outbox delivers within a few seconds)."""
    deadline = time.monotonic() + within
    while not set(numbers) <= (listed := desk_numbers(stack)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert set(numbers) <= listed, f"told {numbers}, the desk lists {sorted(listed)}"


@contextmanager
def paused(service: Service) -> Iterator[None]:
    assert service.process is not None  # started
    group = os.getpgid(service.process.pid)
    os.killpg(group, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(group, signal.SIGCONT)


def test_desk_paused_slows_no_turn_and_loses_nothing(stack):
    visitor = Visitor(stack)
    with paused(stack.desk):
        replies, elapsed = visitor.say("bonjour")
        assert replies and elapsed < SCRUBBER_HUNG_BOUND
        replies, elapsed = visitor.say("je veux parler à un conseiller")
        assert visitor.numbers and elapsed < PART_HUNG_BOUND
    visitor.say("merci")
    assert_numbers_on_desk(stack, visitor.numbers)
    assert_nothing_lost(stack, visitor)


def test_desk_killed_and_restarted_keeps_the_number(stack):
    visitor = Visitor(stack)
    visitor.say("bonjour")
    os.killpg(os.getpgid(stack.desk.process.pid), signal.SIGKILL)
    stack.desk.process.wait()
    try:
        replies, elapsed = visitor.say("ik wil met een adviseur praten")
        assert visitor.numbers and elapsed < PART_HUNG_BOUND
    finally:
        stack.start_desk()
    visitor.say("dank je")
    assert_numbers_on_desk(stack, visitor.numbers)
    assert_nothing_lost(stack, visitor)


def test_desk_killed_in_the_middle_of_a_ticket(stack):
    """The desk hangs with the ticket request in hand, then dies: the visitor's number still arrives."""
    visitor = Visitor(stack)
    visitor.say("bonjour")
    group = os.getpgid(stack.desk.process.pid)
    with paused(stack.desk):
        replies, elapsed = visitor.say("je voudrais voir un conseiller")
        assert visitor.numbers and elapsed < PART_HUNG_BOUND
        os.killpg(group, signal.SIGKILL)
    stack.desk.process.wait()
    stack.start_desk()
    assert_numbers_on_desk(stack, visitor.numbers)
    visitor.say("merci")
    assert_nothing_lost(stack, visitor)


@pytest.mark.parametrize(
    ("greeting", "question", "polite"),
    [
        ("bonjour", "comment trouver une formation en informatique ?", "problème technique"),
        ("goeiedag", "hoe vind ik een opleiding informatica?", "technisch probleem"),
    ],
)
def test_action_server_paused_gets_a_polite_reply(stack, greeting, question, polite):
    visitor = Visitor(stack)
    visitor.say(greeting)
    with paused(stack.actions):
        replies, elapsed = visitor.say(question)
        assert elapsed < PART_HUNG_BOUND
        assert any(polite in reply.get("text", "") for reply in replies)
        assert any(
            button["payload"] == "/request_counsellor" for reply in replies for button in reply.get("buttons", [])
        )
        # While the action server is left alone, the next turn does not wait for it again.
        replies, elapsed = visitor.say(question)
        assert replies and elapsed < SCRUBBER_HUNG_BOUND
    # Back to normal once the action server answers again (it is left alone a few seconds).
    time.sleep(6)
    replies, _ = visitor.say(question)
    assert not any(polite in reply.get("text", "") for reply in replies)
    assert_nothing_lost(stack, visitor)


def test_search_paused_gets_an_honest_reply_and_a_counsellor(stack):
    visitor = Visitor(stack)
    visitor.say("bonjour")
    with paused(stack.web):
        replies, elapsed = visitor.say("comment devenir infirmier ?")
    assert elapsed < PART_HUNG_BOUND
    assert any("consulter nos fiches" in reply.get("text", "") for reply in replies)
    assert any(button["payload"] == "/request_counsellor" for reply in replies for button in reply.get("buttons", []))
    assert_nothing_lost(stack, visitor)


def test_rasa_restarted_keeps_every_turn(stack):
    visitor = Visitor(stack)
    visitor.say("goeiedag")
    visitor.say("ik wil met een adviseur praten")
    stack.rasa.stop()
    stack.start_rasa()
    replies, _ = visitor.say("dank je")
    assert replies
    assert stack.assistant.slot(visitor.sender, "handoff_ticket") == visitor.numbers[0]
    assert_numbers_on_desk(stack, visitor.numbers)
    assert_nothing_lost(stack, visitor)


def test_no_visitor_words_in_the_logs(stack):
    """Failures are logged with what failed, never with what the visitor typed."""
    visitor = Visitor(stack)
    words = "Je m'appelle Zéphyrine Quenouille, 0470 12 34 56"
    with paused(stack.web):
        visitor.say(f"{words}, où apprendre la plomberie ?")
    with paused(stack.desk):
        visitor.say(f"{words}, je veux parler à un conseiller")
    with paused(stack.actions):
        visitor.say(f"{words}, vous êtes là ?")
    time.sleep(6)
    stack.log.flush()
    log = Path(stack.log.name).read_text(encoding="utf-8", errors="replace")
    for fragment in ("Zéphyrine", "Quenouille", "0470 12 34 56", "plomberie", "vous êtes là"):
        assert fragment not in log


def test_tickets_per_address_are_limited(stack):
    """A flood of new conversations from one address gets a clear refusal, not a queue full of tickets."""
    refusals = []
    for _ in range(12):
        visitor = Visitor(stack)
        replies, _ = visitor.say("je veux parler à un conseiller")
        if not visitor.numbers:
            refusals.append(" ".join(reply.get("text", "") for reply in replies))
    assert refusals, "twelve tickets from one address in an hour were all accepted"
    assert all("accueil" in refusal for refusal in refusals)
