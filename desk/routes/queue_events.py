"""The queue's changes as server-sent events: an open queue page hears at once that a ticket arrived, was
claimed, released or closed, and fetches the list again (GET /api/tickets) instead of waiting for its next
poll. The event says only that something changed: the list itself comes through the usual API, with its
scope and its checks.

Every process of the service answers the same (several desks share one database): the process looks at
the waiting and claimed tickets twice a second while at least one page listens, a small indexed query, and
wakes every stream it serves when they change (one query per process, however many pages are open). A
stream ends after a few minutes and the browser opens a new one, so a revoked session or a restarted
service is never held open for long; a comment line every 15 s keeps proxies from closing a quiet stream
(nginx also needs `X-Accel-Buffering: no` not to hold the events back). The page goes on polling every 5 s
besides, so that a stream that cannot get through (a proxy that buffers) costs seconds, not tickets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from desk.auth import CurrentCounsellor
from desk.db import Database, DbSession
from desk.models import Ticket

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["tickets"])
CHECK_SECONDS = 0.5
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0
# How long the browser waits before it opens a new stream (the EventSource `retry` field, in ms).
RECONNECT_MS = 2000


def queue_state(database: Database) -> tuple:
    """What the queue page shows that can change: each waiting or claimed ticket with who holds it."""
    with database.session() as session:
        rows = session.execute(
            sa.select(Ticket.id, Ticket.status, Ticket.claimed_by_id)
            .where(Ticket.status.in_(("waiting", "claimed")))
            .order_by(Ticket.id)
        )
        return tuple(tuple(row) for row in rows)


class QueueWatch:
    """The process's one look at the queue, twice a second while some page listens."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.version = 0
        self.changed = asyncio.Event()  # set at a change, then replaced by a new one
        self.listeners = 0
        self.task: asyncio.Task[None] | None = None

    def listen(self) -> None:
        self.listeners += 1
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.watch())

    def leave(self) -> None:
        self.listeners -= 1

    async def look(self) -> tuple | None:
        try:
            return await run_in_threadpool(queue_state, self.database)
        except SQLAlchemyError as error:
            # The pages still poll every 5 s: a database that does not answer now costs nothing else.
            log.warning("The queue could not be read for the open pages (%s); trying again", type(error).__name__)
            return None

    async def watch(self) -> None:
        seen = await self.look()
        # Nothing awaits between the last check of `listeners` and the end: a page that comes after starts anew.
        while self.listeners:
            await asyncio.sleep(CHECK_SECONDS)
            state = await self.look()
            if state is not None and seen is not None and state != seen:
                self.version += 1
                self.changed.set()
                self.changed = asyncio.Event()
            seen = state if state is not None else seen


def watch_of(request: Request) -> QueueWatch:
    state = request.app.state
    if getattr(state, "queue_watch", None) is None:
        state.queue_watch = QueueWatch(state.database)
    return state.queue_watch


async def changes(request: Request, watch: QueueWatch) -> AsyncIterator[str]:
    yield f"retry: {RECONNECT_MS}\n\n"
    watch.listen()
    try:
        started = last_sent = time.monotonic()
        version = watch.version
        while time.monotonic() - started < STREAM_SECONDS and not await request.is_disconnected():
            # Woken by a change, or after CHECK_SECONDS to notice a page that left.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.changed.wait(), CHECK_SECONDS)
            if watch.version != version:
                version = watch.version
                last_sent = time.monotonic()
                yield "event: change\ndata: {}\n\n"
            elif time.monotonic() - last_sent > HEARTBEAT_SECONDS:
                last_sent = time.monotonic()
                yield ": still here\n\n"
    finally:
        watch.leave()


@router.get("/tickets/changes", include_in_schema=False)
def ticket_changes(request: Request, db: DbSession, _counsellor: CurrentCounsellor) -> StreamingResponse:
    """Counsellors only: `change` events while the queue changes (see the module's docstring)."""
    # The session that checked the cookie is not needed while the stream lasts: its connection goes back to
    # the pool now rather than when the stream ends.
    db.close()
    return StreamingResponse(
        changes(request, watch_of(request)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
