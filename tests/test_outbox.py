"""The outbox keeps tickets on disk with numbers from its own range (the desk being down, paused or refusing
is in test_action_faults.py and test_handoff_conversation.py, with the real servers)."""

import json
import logging
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone

import pytest

from actions.handoff.outbox import NoNumberLeft, Outbox
from actions.settings import ActionSettings, get_settings
from common.tickets import OUTBOX_NUMBERS, outbox_share
from tests.in_thread import run_in_thread as run

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
# Nothing listens on the discard port: a desk or a Rasa server that is down.
NOBODY = "http://127.0.0.1:9"


def payload(ref, language="fr", conversation="conversation-1", at=MONDAY):
    return {
        "client_ref": ref,
        "conversation_id": conversation,
        "language": language,
        "reason": "visitor_request",
        "requested_at": at.isoformat(),
    }


def rows(path, query):
    with closing(sqlite3.connect(path)) as db:
        return db.execute(query).fetchall()


@pytest.fixture
def desk_down(monkeypatch):
    monkeypatch.setenv("PASSERELLE_DESK_URL", NOBODY)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_numbers_run_from_500_per_language_and_day(tmp_path):
    outbox = Outbox(tmp_path / "outbox.db")
    assert outbox.keep(payload("a"), MONDAY) == "FR-500"
    assert outbox.keep(payload("b"), MONDAY) == "FR-501"
    assert outbox.keep(payload("c", "nl"), MONDAY) == "NL-500"
    assert outbox.keep(payload("d"), MONDAY.replace(day=24)) == "FR-500"


def test_kept_tickets_survive_a_restart_of_the_action_server(tmp_path):
    Outbox(tmp_path / "outbox.db").keep(payload("a"), MONDAY)
    reopened = Outbox(tmp_path / "outbox.db")
    assert [(p["client_ref"], p["number"]) for p in reopened.pending()] == [("a", "FR-500")]
    assert reopened.keep(payload("b"), MONDAY) == "FR-501"


def test_the_same_handoff_kept_twice_is_one_ticket_with_one_number(tmp_path):
    outbox = Outbox(tmp_path / "outbox.db")
    assert outbox.keep(payload("a"), MONDAY) == "FR-500"
    assert outbox.keep(payload("a"), MONDAY + timedelta(seconds=5)) == "FR-500"
    assert [p["number"] for p in outbox.pending()] == ["FR-500"]
    assert outbox.keep(payload("b"), MONDAY) == "FR-501"


def test_a_handoff_waiting_in_the_outbox_is_found_by_its_client_ref(tmp_path):
    # The handoff action asks this before the desk: a retried handoff keeps the number it was given.
    outbox = Outbox(tmp_path / "outbox.db")
    assert outbox.waiting_number("a") is None
    outbox.keep(payload("a"), MONDAY)
    assert outbox.waiting_number("a") == "FR-500"
    outbox.delivered({**payload("a"), "number": "FR-500"}, "FR-500")
    assert outbox.waiting_number("a") is None


def test_the_range_never_starts_again_at_500(tmp_path):
    # Starting again would give one number to two visitors the same day.
    outbox = Outbox(tmp_path / "outbox.db")
    numbers = [outbox.keep(payload(f"ref-{i}"), MONDAY) for i in range(len(OUTBOX_NUMBERS))]
    assert numbers[-1] == "FR-999" and len(set(numbers)) == 500
    with pytest.raises(NoNumberLeft):
        outbox.keep(payload("one-too-many"), MONDAY)
    assert len(outbox.pending()) == 500
    # Dutch numbers and the next day are not affected.
    assert outbox.keep(payload("nl", "nl"), MONDAY) == "NL-500"
    assert outbox.keep(payload("tuesday"), MONDAY + timedelta(days=1)) == "FR-500"


def test_several_action_servers_never_give_one_number_twice(tmp_path):
    first, second = (Outbox(tmp_path / f"outbox-{i}.db", outbox_share(i, 2)) for i in (1, 2))
    given = [
        outbox.keep(payload(f"{name}-{n}"), MONDAY)
        for n in range(250)
        for name, outbox in (("a", first), ("b", second))
    ]
    assert len(set(given)) == 500 and given[:4] == ["FR-500", "FR-501", "FR-502", "FR-503"]
    with pytest.raises(NoNumberLeft):
        first.keep(payload("a-more"), MONDAY)


def test_a_changed_share_goes_on_after_the_last_number_given_that_day(tmp_path):
    path = tmp_path / "outbox.db"
    assert [Outbox(path).keep(payload(f"alone-{n}"), MONDAY) for n in range(3)][-1] == "FR-502"
    # The same server, now instance 2 of 2 (odd numbers): the next one up, never one given before.
    assert Outbox(path, outbox_share(2, 2)).keep(payload("scaled"), MONDAY) == "FR-503"
    assert Outbox(path, outbox_share(1, 2)).keep(payload("scaled-again"), MONDAY) == "FR-504"


def test_an_outbox_file_of_the_previous_version_gets_the_new_columns_and_keeps_its_tickets(tmp_path):
    path = tmp_path / "outbox.db"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript("""
            create table pending (client_ref text primary key, payload text not null, kept_at text not null,
                                  attempts integer not null default 0);
            create table numbers (day text not null, language text not null, last integer not null,
                                  primary key (day, language));
        """)
        db.execute(
            "insert into pending values ('old', ?, ?, 3)",
            (json.dumps({**payload("old"), "number": "FR-500"}), MONDAY.isoformat()),
        )
        db.execute("insert into numbers values ('2026-11-23', 'fr', 500)")
    outbox = Outbox(path)
    Outbox(path)  # opening it again changes nothing
    assert [p["number"] for p in outbox.pending()] == ["FR-500"]
    assert rows(path, "select attempts, last_error from pending") == [(3, None)]
    assert outbox.keep(payload("new"), MONDAY) == "FR-501"


def test_nothing_is_lost_while_the_desk_cannot_be_reached_and_the_cause_is_kept(tmp_path, desk_down):
    outbox = Outbox(tmp_path / "outbox.db")
    outbox.keep(payload("a"), MONDAY)
    outbox.keep(payload("b"), MONDAY)
    assert run(outbox.deliver()) == 0
    assert [p["client_ref"] for p in outbox.pending()] == ["a", "b"]
    # The desk is down: the round stops at the first ticket rather than wait once per ticket.
    (attempts, cause), untouched = rows(
        tmp_path / "outbox.db", "select attempts, last_error from pending order by kept_at"
    )
    assert attempts == 1 and "ConnectError on POST 127.0.0.1:9/api/tickets" in cause
    assert untouched == (0, None)


def renumbered_outbox(tmp_path):
    """An outbox whose ticket FR-500 reached the desk as FR-004: the visitor is still to be told."""
    outbox = Outbox(tmp_path / "outbox.db")
    outbox.keep(payload("a", conversation="visitor-a"), MONDAY)
    outbox.delivered(outbox.pending()[0], "FR-004")
    assert outbox.pending() == []
    return outbox


def test_a_new_number_waits_to_be_told_while_rasa_cannot_be_reached(tmp_path, caplog):
    outbox = renumbered_outbox(tmp_path)
    settings = ActionSettings(rasa_url=NOBODY, rasa_token="token", rasa_timeout=2)
    with caplog.at_level(logging.WARNING):
        run(outbox.tell_new_numbers(settings, "2026-11-23"))
        run(outbox.tell_new_numbers(settings, "2026-11-23"))
    [notice] = outbox.renumbered()
    assert (notice["conversation_id"], notice["told"], notice["number"]) == ("visitor-a", "FR-500", "FR-004")
    assert notice["attempts"] == 2 and notice["last_error"] == "ConnectError calling Rasa"
    assert "FR-500 does not know the desk's number FR-004 yet (ConnectError calling Rasa)" in caplog.text
    assert "token" not in caplog.text


def test_a_new_number_that_cannot_be_told_is_dropped_with_an_error(tmp_path, caplog):
    outbox = renumbered_outbox(tmp_path)
    with caplog.at_level(logging.ERROR):
        run(outbox.tell_new_numbers(ActionSettings(rasa_url=NOBODY, rasa_token=""), "2026-11-23"))
    assert outbox.renumbered() == [] and "PASSERELLE_RASA_TOKEN is not set" in caplog.text
    outbox = renumbered_outbox(tmp_path / "next")
    with caplog.at_level(logging.ERROR):
        run(outbox.tell_new_numbers(ActionSettings(rasa_url=NOBODY, rasa_token="token"), "2026-11-24"))
    assert outbox.renumbered() == [] and "its day is over" in caplog.text
