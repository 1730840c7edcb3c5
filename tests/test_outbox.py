"""The outbox keeps tickets on disk with numbers from its own range (the desk being down is in
test_handoff_conversation.py, with the real servers)."""
import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from actions.handoff.outbox import Outbox

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def payload(ref, language="fr"):
    return {"client_ref": ref, "language": language, "reason": "visitor_request"}


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


def test_nothing_is_lost_while_the_desk_cannot_be_reached(tmp_path, monkeypatch):
    monkeypatch.setenv("PASSERELLE_DESK_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    from actions.settings import get_settings

    get_settings.cache_clear()
    try:
        outbox = Outbox(tmp_path / "outbox.db")
        outbox.keep(payload("a"), MONDAY)
        # In a thread of its own: Playwright's sync API may already run an event loop in this one.
        with ThreadPoolExecutor(1) as thread:
            assert thread.submit(asyncio.run, outbox.deliver()).result() == 0
        assert [p["client_ref"] for p in outbox.pending()] == ["a"]
    finally:
        get_settings.cache_clear()
