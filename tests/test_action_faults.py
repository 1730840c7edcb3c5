"""The action server's actions when what they call fails: the real desk service (uvicorn in its own process,
on a SQLite file), paused with SIGSTOP, limiting, refusing; a search API that is down, hung or wrong.

A hung server is a listening socket that never answers: the kernel accepts the connection and the request,
and nothing replies, which is what a client of a hung process sees. Each test also checks that what the
visitor wrote reaches no log record.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker

from actions.centre_info import load_centre_info
from actions.handoff.action import ActionHandoff
from actions.handoff.outbox import Outbox, get_outbox
from actions.knowledge_answer import ActionAnswerQuestion
from actions.orientation.form import ValidateOrientationForm
from actions.orientation.plan import summary
from actions.settings import get_settings
from actions.survey import ActionSubmitSurvey
from common.clock import BRUSSELS
from common.defaults import PROJECT_ROOT
from common.text import WITHHELD
from launcher.services import Service, action_server, desk_service, free_port
from launcher.settings import LauncherSettings
from tests.actions_in_process import run_action, tracker
from tests.in_thread import run_in_thread as run

TOKEN = "action-faults-token"
# In every text the visitor "writes" here: it must reach no log record.
SECRET = "Zanzibar7731"
QUESTION = f"je cherche une formation de soudeur {SECRET} à Anderlecht"
GOAL = f"devenir soudeur chez {SECRET}"
CENTRE = load_centre_info(PROJECT_ROOT / "knowledge" / "centre.yml")


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    directory = tmp_path_factory.mktemp("action-faults")
    service = desk_service(
        LauncherSettings(desk_port=free_port(), service_token=TOKEN, dev_mode=False),
        {
            "DATABASE_URL": f"sqlite:///{directory}/desk.db",
            "PASSERELLE_SESSION_SECRET": "action-faults-secret",
            "PASSERELLE_TRACKER_DB_URL": f"sqlite:///{directory}/tracker.db",
        },
    )
    with (directory / "desk.log").open("w") as log:
        service.start(120, log)
        try:
            yield service
        finally:
            resume(service)
            service.stop()


@pytest.fixture
def settings(desk: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The action server's settings for this desk, a fresh outbox file, and a Rasa server that is down."""
    monkeypatch.setenv("PASSERELLE_DESK_URL", desk.address)
    monkeypatch.setenv("PASSERELLE_SERVICE_TOKEN", TOKEN)
    monkeypatch.setenv("PASSERELLE_OUTBOX_FILE", str(tmp_path / "outbox.db"))
    monkeypatch.setenv("PASSERELLE_RASA_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("PASSERELLE_RASA_TOKEN", "rasa-token")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def hung_server() -> Iterator[str]:
    """An address that accepts connections and never answers."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(16)
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"


def pause(service: Service) -> None:
    assert service.process is not None  # started
    os.killpg(os.getpgid(service.process.pid), signal.SIGSTOP)


def resume(service: Service) -> None:
    assert service.process is not None  # started
    os.killpg(os.getpgid(service.process.pid), signal.SIGCONT)


def responses(messages: list[dict[str, Any]]) -> list[str]:
    return [m["response"] for m in messages if m.get("response")]


def desk_tickets(desk_db: str, conversation: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(desk_db)
    try:
        with engine.connect() as connection:
            return [
                tuple(row)
                for row in connection.execute(
                    sa.text("select number, client_ref from tickets where conversation_id = :c"), {"c": conversation}
                )
            ]
    finally:
        engine.dispose()


@pytest.fixture
def desk_db(desk: Service) -> str:
    return desk.env["DATABASE_URL"]


def assert_no_visitor_text(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert SECRET not in record.getMessage(), record.getMessage()
    assert SECRET not in caplog.text


def test_a_paused_desk_costs_one_timeout_and_the_number_told_is_the_one_the_desk_shows(desk, settings, desk_db, caplog):
    sender = f"paused-{uuid.uuid4().hex[:8]}"
    state = tracker(sender, slots={"goal": GOAL, "need_area": "training"})
    caplog.set_level(logging.INFO)
    pause(desk)
    try:
        started = time.monotonic()
        messages, events = run_action(ActionHandoff(), state)
        elapsed = time.monotonic() - started
    finally:
        resume(desk)
    # Rasa waits 4 s for the action, the visitor 5 s for a reply: one desk call waits, then the outbox answers.
    # A second desk call would log a second timeout and wait as long again (the bound is that, not a speed).
    assert len([r for r in caplog.records if "Timeout" in r.getMessage()]) == 1
    assert elapsed < 2 * get_settings().desk_timeout, elapsed
    number = next(m["number"] for m in messages if m.get("response") == "utter_handoff_ticket")
    assert number.startswith("FR-") and int(number[3:]) >= 500
    assert "utter_handoff_queue_unknown" in responses(messages)
    assert events[0]["name"] == "handoff_ticket" and events[0]["value"] == number
    assert any("Timeout" in r.getMessage() and "/api/tickets" in r.getMessage() for r in caplog.records)
    # The outbox is a file on the action server's host, and the host's scrubber is the desk's: what the
    # visitor typed waits there withheld.
    [waiting] = get_outbox().pending()
    assert waiting["goal"] == WITHHELD and SECRET not in str(waiting)

    # Resumed, the desk may still make the ticket from the request it had received (with a number of its own);
    # the outbox's delivery then gives it the number the visitor was told.
    assert run(get_outbox().deliver()) == 1
    assert [n for n, _ in desk_tickets(desk_db, sender)] == [number]
    assert get_outbox().pending() == [] and get_outbox().renumbered() == []
    # The same handoff tried again (the visitor did not see the reply) is the same ticket.
    again, _ = run_action(ActionHandoff(), state)
    assert next(m["number"] for m in again if m.get("response") == "utter_handoff_ticket") == number
    assert len(desk_tickets(desk_db, sender)) == 1
    assert_no_visitor_text(caplog)


def goal_answered(sender: str, goal: str) -> Tracker:
    """The questionnaire's goal question, answered with `goal`: what the form's validation gets."""
    state = tracker(sender, goal, "inform", slots={"requested_slot": "goal", "need_area": "training"})
    state.events.append({"event": "slot", "name": "goal", "value": goal, "timestamp": 1002.0})
    return state


def test_the_goal_is_scrubbed_by_the_desk_and_withheld_when_the_desk_cannot(desk, settings, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    _, events = run_action(ValidateOrientationForm(), goal_answered("goal-up", f"{GOAL}, appelez le 0470 12 34 56"))
    assert {"event": "slot", "name": "goal", "value": f"{GOAL}, appelez le [téléphone]"} in [
        {key: event[key] for key in ("event", "name", "value")} for event in events
    ]

    monkeypatch.setenv("PASSERELLE_DESK_URL", "http://127.0.0.1:9")
    get_settings.cache_clear()
    _, events = run_action(ValidateOrientationForm(), goal_answered("goal-down", GOAL))
    goal = next(event["value"] for event in events if event.get("name") == "goal")
    assert goal == WITHHELD and "text(s) withheld" in caplog.text
    # The plan does not quote a goal it could not see; the need stands in for it.
    assert WITHHELD not in summary({"goal": goal, "need_area": "training"}, "fr")
    # A skipped goal is no text: it stays skipped, without waiting for the desk.
    _, events = run_action(ValidateOrientationForm(), goal_answered("goal-skipped", "skip"))
    assert next(event["value"] for event in events if event.get("name") == "goal") == "skipped"
    assert_no_visitor_text(caplog)


def process_tree(root: int) -> list[int]:
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return found


def test_the_running_action_server_loads_no_language_model(desk, tmp_path):
    """One copy of the French model per host: the desk's (issue 17). The real action server, once it has run a
    handoff and read a typed goal, has neither spaCy nor torch mapped in any of its processes."""
    server = action_server(
        LauncherSettings(actions_port=free_port(), service_token=TOKEN, dev_mode=False),
        extra_env={"PASSERELLE_DESK_URL": desk.address, "PASSERELLE_OUTBOX_FILE": str(tmp_path / "outbox.db")},
    )
    with (tmp_path / "actions.log").open("w") as log:
        server.start(120, log)
        try:
            assert server.process is not None  # started
            for action, state in (
                ("action_handoff", tracker(f"model-{uuid.uuid4().hex[:8]}")),
                ("validate_orientation_form", goal_answered("model-goal", GOAL)),
            ):
                body = {"next_action": action, "sender_id": state.sender_id, "tracker": state.current_state()}
                answer = httpx.post(f"{server.address}/webhook", json={**body, "domain": {}}, timeout=30)
                assert answer.status_code == 200, answer.text
            for pid in process_tree(server.process.pid):
                mapped = Path(f"/proc/{pid}/maps").read_text()
                assert "/spacy/" not in mapped and "/torch/" not in mapped, pid
        finally:
            server.stop()


def test_a_number_another_action_server_gave_too_is_replaced_and_the_visitor_is_to_be_told(
    desk, settings, desk_db, tmp_path, caplog
):
    caplog.set_level(logging.INFO)
    now = datetime.now(timezone.utc)
    first, second = Outbox(tmp_path / "server-1.db"), Outbox(tmp_path / "server-2.db")
    visitors = [f"server-{i}-{uuid.uuid4().hex[:8]}" for i in (1, 2)]
    payloads = [
        {
            "client_ref": uuid.uuid4().hex,
            "conversation_id": visitor,
            "language": "nl",
            "reason": "visitor_request",
            "recap": "De bezoeker vroeg om een adviseur.",
            "requested_at": now.isoformat(),
        }
        for visitor in visitors
    ]
    # Two action servers, each with its own outbox file, give the same number the same day.
    told = [first.keep(payloads[0], now), second.keep(payloads[1], now)]
    assert told[0] == told[1]
    assert run(first.deliver()) == 1 and run(second.deliver()) == 1
    assert [n for n, _ in desk_tickets(desk_db, visitors[0])] == [told[0]]
    [(desk_number, _)] = desk_tickets(desk_db, visitors[1])
    assert desk_number != told[1] and int(desk_number[3:]) < 500
    # Rasa is down here: the new number waits, with the cause, for the next round.
    [notice] = second.renumbered()
    assert (notice["conversation_id"], notice["told"], notice["number"]) == (visitors[1], told[1], desk_number)
    assert notice["attempts"] == 1 and notice["last_error"] == "ConnectError calling Rasa"
    assert run(second.deliver()) == 0 and second.renumbered()[0]["attempts"] == 2
    assert f"arrived as {desk_number}" in caplog.text


def test_a_ticket_the_desk_refuses_stays_in_the_outbox_with_its_cause_and_no_text_in_the_log(desk, settings, caplog):
    caplog.set_level(logging.INFO)
    outbox = get_outbox()
    now = datetime.now(timezone.utc)
    base = {
        "conversation_id": f"refused-{uuid.uuid4().hex[:8]}",
        "language": "fr",
        "reason": "questionnaire",
        "recap": "La personne a demandé un conseiller.",
        "requested_at": now.isoformat(),
    }
    # Over the desk's 4,000 characters: a 422 whose body quotes the goal.
    outbox.keep({**base, "client_ref": uuid.uuid4().hex, "goal": (GOAL + " ") * 300}, now)
    outbox.keep({**base, "client_ref": uuid.uuid4().hex, "conversation_id": base["conversation_id"] + "-ok"}, now)
    assert run(outbox.deliver()) == 1  # the refused one does not hold up the next
    [waiting] = outbox.pending()
    engine = sa.create_engine(f"sqlite:///{get_settings().outbox_file}")
    with engine.connect() as connection:
        attempts, cause = connection.execute(sa.text("select attempts, last_error from pending")).one()
    engine.dispose()
    assert waiting["goal"].startswith(GOAL) and attempts == 1
    assert cause.startswith("HTTP 422: body.goal: String should have at most 4000 characters")
    assert "the desk refused ticket FR-5" in caplog.text
    assert_no_visitor_text(caplog)


def test_the_desks_hourly_limit_reaches_the_visitor_without_a_ticket(desk, settings, caplog):
    caplog.set_level(logging.INFO)
    key = uuid.uuid4().hex  # the channel's key of one address, shared by several conversations
    for attempt in range(50):
        messages, events = run_action(
            ActionHandoff(), tracker(f"limited-{attempt}-{uuid.uuid4().hex[:6]}", metadata={"client_key": key})
        )
        if "utter_handoff_ticket" not in responses(messages):
            break
    else:
        pytest.fail("the desk never applied its per-address limit")
    assert attempt > 0 and responses(messages) == ["utter_handoff_too_many"] and events == []
    assert messages[0]["where"] == CENTRE["fr"]["desk_location"]
    assert get_outbox().pending() == []
    assert "hourly limit (address)" in caplog.text

    # One conversation asking in session after session meets the per-conversation limit.
    sender = f"sessions-{uuid.uuid4().hex[:8]}"
    for session in range(50):
        messages, _ = run_action(ActionHandoff(), tracker(sender, session_start=1000.0 + session))
        if "utter_handoff_ticket" not in responses(messages):
            break
    assert responses(messages) == ["utter_handoff_too_many"] and "hourly limit (conversation)" in caplog.text


def test_with_the_desk_down_and_the_outbox_numbers_used_up_the_visitor_goes_to_reception(
    desk, settings, monkeypatch, caplog
):
    monkeypatch.setenv("PASSERELLE_DESK_URL", "http://127.0.0.1:9")
    get_settings.cache_clear()
    outbox = get_outbox()
    today = datetime.now(BRUSSELS).date().isoformat()
    with closing(sqlite3.connect(outbox.path)) as db, db:
        db.execute("insert into numbers (day, language, last) values (?, 'fr', 999)", (today,))
    caplog.set_level(logging.INFO)
    messages, events = run_action(ActionHandoff(), tracker(f"full-{uuid.uuid4().hex[:8]}", slots={"goal": GOAL}))
    assert responses(messages) == ["utter_handoff_no_number"] and events == []
    assert messages[0]["address"] == CENTRE["fr"]["address"]
    assert outbox.pending() == [] and "Ticket not kept" in caplog.text
    assert_no_visitor_text(caplog)


@pytest.mark.parametrize("kind", ["down", "hung", "wrong"])
def test_the_search_down_hung_or_wrong_gets_an_answer_in_time_and_no_question_in_the_log(
    kind, desk, settings, hung_server, monkeypatch, caplog
):
    # "wrong": the desk's address, which answers 404 to a search; httpx's message holds the URL with ?q=.
    monkeypatch.setenv(
        "PASSERELLE_SEARCH_URL", {"down": "http://127.0.0.1:9", "hung": hung_server, "wrong": desk.address}[kind]
    )
    get_settings.cache_clear()
    caplog.set_level(logging.INFO)
    started = time.monotonic()
    messages, _ = run_action(ActionAnswerQuestion(), tracker("search", QUESTION, "ask_training"))
    assert time.monotonic() - started < 3.0
    assert responses(messages) == ["utter_search_unavailable"]
    expected = {
        "down": "ConnectError on GET 127.0.0.1:9/api/knowledge/answer",
        "hung": "TimeoutError",
        "wrong": "HTTP 404 from GET 127.0.0.1:",
    }[kind]
    assert expected in caplog.text
    assert_no_visitor_text(caplog)


def test_a_question_with_a_lone_surrogate_is_still_sent_to_the_search(desk, settings, monkeypatch, caplog):
    # Valid JSON ("\ud800") but not UTF-8: as it is, it could not even be put in the search's URL.
    monkeypatch.setenv("PASSERELLE_SEARCH_URL", desk.address)  # a server that answers (404) is enough here
    get_settings.cache_clear()
    caplog.set_level(logging.INFO)
    messages, _ = run_action(ActionAnswerQuestion(), tracker("surrogate", f"formation \ud800 {SECRET}", "ask_training"))
    assert responses(messages) == ["utter_search_unavailable"]
    assert "HTTP 404 from GET" in caplog.text
    assert_no_visitor_text(caplog)


def test_a_survey_comment_lost_with_the_desk_is_not_in_the_log(desk, settings, monkeypatch, caplog):
    monkeypatch.setenv("PASSERELLE_DESK_URL", "http://127.0.0.1:9")
    get_settings.cache_clear()
    caplog.set_level(logging.INFO)
    messages, _ = run_action(
        ActionSubmitSurvey(),
        tracker(
            "survey",
            f"très bien, merci {SECRET}",
            "inform",
            slots={"survey_rating": "4", "survey_comment": f"très bien, merci {SECRET}"},
        ),
    )
    assert responses(messages) == ["utter_survey_thanks"]
    assert "Survey answer not kept" in caplog.text
    assert_no_visitor_text(caplog)
