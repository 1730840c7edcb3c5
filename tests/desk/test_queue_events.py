"""The queue's watch behind the server-sent events (desk/routes/queue_events.py): one look at the database per
process, however many pages listen, and every listener woken by a change."""

from __future__ import annotations

import asyncio

from desk.routes import queue_events
from tests.in_thread import run_in_thread


def test_one_watch_wakes_every_listener_and_stops_with_the_last(app, make_ticket, monkeypatch):
    looks = 0
    real_state = queue_events.queue_state

    def counted(database):
        nonlocal looks
        looks += 1
        return real_state(database)

    monkeypatch.setattr(queue_events, "queue_state", counted)
    monkeypatch.setattr(queue_events, "CHECK_SECONDS", 0.05)

    async def scenario() -> None:
        watch = queue_events.QueueWatch(app.state.database)
        for _ in range(5):
            watch.listen()
        await asyncio.sleep(0.3)
        # Five pages, one task, a look every 0.05 s: not five times that.
        assert watch.task is not None and looks <= 10
        woken = [asyncio.create_task(watch.changed.wait()) for _ in range(5)]
        await asyncio.to_thread(make_ticket)
        await asyncio.wait_for(asyncio.gather(*woken), 2)
        assert watch.version == 1
        for _ in range(5):
            watch.leave()
        await asyncio.wait_for(watch.task, 2)  # nobody listens: it stops
        watch.listen()  # and a page that comes later starts it again
        assert not watch.task.done()
        watch.leave()
        await asyncio.wait_for(watch.task, 2)

    run_in_thread(scenario())
