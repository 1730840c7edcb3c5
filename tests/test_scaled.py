"""The scaled topology of `make run-scaled N=2`, through nginx: two Rasa servers and two action servers on
PostgreSQL and Redis, started by the real launcher, which also restarts what is killed."""

from __future__ import annotations

import asyncio
import os
import queue
import secrets
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg2
import pytest
import socketio

from bench.scaled_topology import Launcher
from common.defaults import PROJECT_ROOT
from launcher.edge import SHARED_ADDRESSES
from launcher.services import APP_PYTHON
from tests.conftest import POSTGRES_URL
from tests.in_thread import run_in_thread

pytestmark = [pytest.mark.servers, pytest.mark.postgresql]

FIRST_ANSWERS = ["je suis au chômage depuis 6 mois", "j'ai 19 ans", "j'ai arrêté en 4e secondaire"]
# Not in nginx's shared-address list (the stand-in for the centre's kiosks): counted like a visitor's address.
OUTSIDER = "127.0.0.2"
assert OUTSIDER not in SHARED_ADDRESSES


@pytest.fixture(scope="module")
def scaled(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launcher]:
    admin = psycopg2.connect(POSTGRES_URL, connect_timeout=5)
    admin.autocommit = True
    names = [f"passerelle_scaled_{secrets.token_hex(4)}_{kind}" for kind in ("desk", "conversations")]
    server = POSTGRES_URL.rsplit("/", 1)[0]
    # The launcher creates the databases it is given when they do not exist yet.
    launcher = Launcher(tmp_path_factory.mktemp("scaled"), f"{server}/{names[0]}", f"{server}/{names[1]}")
    try:
        launcher.start()
        yield launcher
    finally:
        launcher.stop()
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def question(replies: list[dict]) -> str:
    return replies[-1]["text"].splitlines()[0]


def upstreams(lines: list[str]) -> list[str]:
    return [line.split()[-1] for line in lines if " /webhooks/rest/webhook 200 " in line]


def test_a_conversation_alternating_between_the_instances_keeps_its_state(scaled: Launcher):
    sender = uuid.uuid4().hex
    before = len(scaled.access_log())
    scaled.send(sender, "bonjour")
    assert question(scaled.send(sender, "je veux faire le test d'orientation")) == "Question 1 sur 11"
    for number, answer in enumerate(FIRST_ANSWERS):
        assert question(scaled.send(sender, answer)) == f"Question {number + 2} sur 11"
    served_by = upstreams(scaled.access_log()[before:])
    # Round robin: each message went to the other instance than the one before.
    rasa = {f"127.0.0.1:{scaled.rasa_port}", f"127.0.0.1:{scaled.rasa_port + 1}"}
    assert len(served_by) == 5 and set(served_by) == rasa
    assert all(a != b for a, b in zip(served_by, served_by[1:], strict=False)), served_by
    slots = scaled.tracker(sender)["slots"]
    assert (slots["situation"], slots["age_band"], slots["education"]) == (
        "jobseeker_unregistered",
        "from_18_to_25",
        "lower_secondary",
    )


async def send_at_once(scaled: Launcher, sender: str, messages: list[str]) -> list[httpx.Response]:
    async with httpx.AsyncClient(base_url=scaled.edge, timeout=60) as client:

        async def send(index: int, message: str) -> httpx.Response:
            # A few milliseconds apart, as a visitor tapping fast (or a client that does not wait for replies).
            await asyncio.sleep(index * 0.05)
            return await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": message})

        return await asyncio.gather(*(send(index, message) for index, message in enumerate(messages)))


def test_ten_messages_at_once_are_all_answered_one_turn_at_a_time(scaled: Launcher):
    sender = uuid.uuid4().hex
    # One turn on each instance first: a fresh process's first turn is slower.
    scaled.send(sender, "bonjour")
    scaled.send(sender, "merci")
    messages = ["où êtes-vous ?", "merci", "quels sont vos horaires ?", "bonjour", "comment faire un CV ?"] * 2
    responses = run_in_thread(send_at_once(scaled, sender, messages))
    assert [response.status_code for response in responses] == [200] * 10
    for response in responses:
        texts = [reply.get("text", "") for reply in response.json()]
        assert texts and not any("problème technique" in text for text in texts), texts
    events = [event for event in scaled.tracker(sender)["events"] if event["event"] in ("user", "bot")]
    said = [event["text"] for event in events if event["event"] == "user"]
    # Every turn is kept. Which of two requests 50 ms apart reaches Rasa first is up to the machine's scheduler
    # and nginx's round robin, not the server (the widget sends one message at a time), so only the order in
    # which the turns were taken is checked, turn by turn below.
    assert said[:2] == ["bonjour", "merci"] and sorted(said[2:]) == sorted(messages)
    # Each message has all its replies before the next message (the turns did not interleave), and the replies
    # stored after a message are the ones its own request received.
    turns: list[tuple[str, list[str]]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event["text"], []))
        else:
            turns[-1][1].append(event.get("text") or "")
    received = [
        (message, [reply.get("text", "") for reply in response.json()])
        for message, response in zip(messages, responses, strict=True)
    ]
    for message, replies in received:
        assert (message, replies) in turns[2:], (message, replies)


def test_the_rasa_api_is_not_reachable_through_nginx_nor_without_its_token(scaled: Launcher):
    for path in ("/status", "/version", "/domain", "/conversations/someone/tracker", "/model", "/docs"):
        assert httpx.get(scaled.edge + path, timeout=10).status_code == 404, path
    assert httpx.put(f"{scaled.edge}/model", json={}, timeout=10).status_code == 404
    injected = httpx.post(
        f"{scaled.edge}/conversations/someone/tracker/events", json={"event": "bot", "text": "fake"}, timeout=10
    )
    assert injected.status_code == 404
    # Nor the action server, the search API or the desk's service-only paths.
    for url in (
        f"{scaled.edge}/webhook",
        f"{scaled.edge}/api/knowledge/search?q=cv",
        f"{scaled.edge_desk}/api/privacy/scrub",
        f"{scaled.edge_desk}/docs",
    ):
        assert httpx.get(url, timeout=10).status_code == 404, url
    assert httpx.post(f"{scaled.edge_desk}/api/tickets", json={}, timeout=10).status_code == 403
    # Rasa itself, reached directly: its token or nothing.
    for port in (scaled.rasa_port, scaled.rasa_port + 1):
        rasa = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{rasa}/conversations/someone/tracker", timeout=10).status_code == 401
        wrong = httpx.get(f"{rasa}/conversations/someone/tracker", params={"token": "wrong"}, timeout=10)
        assert wrong.status_code == 401
        assert httpx.put(f"{rasa}/model", json={}, timeout=10).status_code == 401


def test_what_nginx_serves_to_visitors_and_counsellors(scaled: Launcher):
    for path in ("/widget.js", "/kiosk", "/kiosk.js"):
        response = httpx.get(scaled.edge + path, timeout=10)
        assert response.status_code == 200, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "server" not in response.headers or "/" not in response.headers["server"]  # no version
    kiosk = httpx.get(f"{scaled.edge}/kiosk", timeout=10)
    # The page lets the browser talk to Rasa through nginx only, and its own headers are not doubled.
    policy = kiosk.headers["content-security-policy"]
    assert f"connect-src 'self' {scaled.edge} ws://127.0.0.1:{scaled.edge_port};" in policy
    assert kiosk.headers.get_list("referrer-policy") == ["no-referrer"]
    login = httpx.get(f"{scaled.edge_desk}/login", timeout=10)
    assert login.status_code == 200 and login.headers.get_list("referrer-policy") == ["same-origin"]


def test_socketio_through_nginx(scaled: Launcher):
    client = socketio.SimpleClient(websocket_extra_options={"origin": scaled.edge})
    client.connect(scaled.edge, transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": uuid.uuid4().hex})
        event, session_id = client.receive(timeout=10)
        assert event == "session_confirm"
        client.emit("user_uttered", {"session_id": session_id, "message": "hallo"})
        event, reply = client.receive(timeout=30)
        assert event == "bot_uttered" and reply["text"].startswith("Hallo")
    finally:
        client.disconnect()


def test_rate_limits_and_the_visitor_address_behind_nginx(scaled: Launcher):
    outsider = httpx.Client(transport=httpx.HTTPTransport(local_address=OUTSIDER), timeout=30)
    # The visitor's own address reaches Rasa through nginx: its per-address ticket key is made from it.
    sender = uuid.uuid4().hex
    scaled.send(sender, "bonjour", client=outsider)
    user = [event for event in scaled.tracker(sender)["events"] if event["event"] == "user"][-1]
    assert user["metadata"].get("client_key")
    # Past the channels' burst, one address gets 429; the shared address (kiosks) does not.
    polls = [outsider.get(f"{scaled.edge}/socket.io/?EIO=4&transport=polling").status_code for _ in range(40)]
    assert 429 in polls and polls[0] == 200
    shared = [httpx.get(f"{scaled.edge}/socket.io/?EIO=4&transport=polling").status_code for _ in range(40)]
    assert set(shared) == {200}
    logins = [
        outsider.post(f"{scaled.edge_desk}/login", data={"login": "nobody", "password": "x"}).status_code
        for _ in range(10)
    ]
    assert 429 in logins and logins[0] != 429
    outsider.close()


def test_a_killed_rasa_instance_leaves_conversations_going_and_is_restarted(scaled: Launcher):
    sender = uuid.uuid4().hex
    scaled.send(sender, "bonjour")
    scaled.send(sender, "je veux faire le test d'orientation")
    # Its save runs after the reply: a server killed before the save is done loses that turn.
    scaled.tracker(sender)
    printed_before = len(scaled.lines)
    os.killpg(scaled.pid("Rasa server 1"), signal.SIGKILL)
    scaled.wait_for("The Rasa server 1 stopped", 30, after=printed_before)
    # While it is down and starting again, every message is answered by the other instance.
    for number, answer in enumerate(FIRST_ANSWERS):
        assert question(scaled.send(sender, answer)) == f"Question {number + 2} sur 11"
    scaled.wait_for("The Rasa server 1 answers again", 300, after=printed_before)
    # nginx tries a failed instance again after its fail_timeout (10 s); then both take turns again.
    deadline, served_by = time.monotonic() + 30, []
    while f"127.0.0.1:{scaled.rasa_port}" not in served_by and time.monotonic() < deadline:
        before = len(scaled.access_log())
        scaled.send(uuid.uuid4().hex, "bonjour")
        served_by = upstreams(scaled.access_log()[before:])
        time.sleep(1)
    assert f"127.0.0.1:{scaled.rasa_port}" in served_by
    assert question(scaled.send(sender, "training")) == "Question 5 sur 11"
    assert question(scaled.send(sender, "devenir électricien")) == "Question 6 sur 11"


def test_a_killed_action_server_and_nginx_are_restarted(scaled: Launcher):
    printed_before = len(scaled.lines)
    for name in ("action server 2", "nginx"):
        os.killpg(scaled.pid(name), signal.SIGKILL)
        scaled.wait_for(f"The {name} answers again", 120, after=printed_before)
    assert scaled.send(uuid.uuid4().hex, "bonjour")[0]["text"].startswith("Bonjour")


def test_the_plan_page_and_the_queue_stream_pass_through_nginx(scaled: Launcher):
    page = httpx.get(f"{scaled.edge}/plan?lang=nl&situation=employed", timeout=10)
    assert page.status_code == 200 and "Jouw persoonlijke plan" in page.text
    assert httpx.post(f"{scaled.edge}/plan", timeout=10).status_code == 403
    login, password = f"c{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    command = [str(APP_PYTHON), "-m", "desk.accounts", "create", login, "--languages", "fr", "--areas", "training"]
    subprocess.run(
        [*command, "--password-stdin"],
        input=password + "\n",
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        env=scaled.env,
        stdout=subprocess.DEVNULL,
    )
    desk = httpx.Client(base_url=scaled.edge_desk, timeout=30)
    assert desk.post("/login", data={"login": login, "password": password}).status_code == 303
    lines: queue.Queue[str] = queue.Queue()

    def listen() -> None:
        with desk.stream("GET", "/api/tickets/changes") as stream:
            for line in stream.iter_lines():
                lines.put(line)
                if line == "event: change":
                    return

    threading.Thread(target=listen, daemon=True).start()
    assert lines.get(timeout=10) == "retry: 2000"
    sender = uuid.uuid4().hex
    scaled.send(sender, "bonjour")
    scaled.send(sender, "je voudrais parler à un conseiller")
    # nginx passes the event on at once, not when its buffer is full.
    while lines.get(timeout=10) != "event: change":
        pass
    desk.close()
