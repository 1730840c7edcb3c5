"""Actions run in the test's process, on a tracker made here, with the dispatcher they wrote to."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.in_thread import run_in_thread as run


def tracker(
    sender: str,
    text: str = "/request_counsellor",
    intent: str = "request_counsellor",
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    session_start: float = 1000.0,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent}, "entities": [], "metadata": metadata or {}}
    events = [
        {"event": "session_started", "timestamp": session_start},
        {
            "event": "user",
            "text": text,
            "timestamp": session_start + 1,
            "parse_data": latest,
            "metadata": metadata or {},
        },
    ]
    return Tracker(sender, {"language": "fr", **(slots or {})}, latest, events, False, None, {}, "action_listen")


def run_action(action: Any, state: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = run(action.run(dispatcher, state, {}))
    return dispatcher.messages, events
