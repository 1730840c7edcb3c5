"""The queue's changes as server-sent events: an open queue page hears at once that a ticket arrived, was
claimed, released or closed, and fetches the list again (GET /api/tickets) instead of waiting for its next
poll. The event says only that something changed: the list itself comes through the usual API, with its
scope and its checks.

Every process of the service answers the same (several desks share one database): each stream looks at
the waiting and claimed tickets twice a second, a small indexed query. A stream ends after a few minutes
and the browser opens a new one (EventSource reconnects by itself), so a revoked session or a restarted
service is never held open for long; a comment line every 15 s keeps proxies from closing a quiet stream
(nginx also needs `X-Accel-Buffering: no` not to hold the events back). The page goes on polling every 5 s
besides, so that a stream that cannot get through (a proxy that buffers) costs seconds, not tickets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from desk.auth import CurrentCounsellor
from desk.db import Database, DbSession
from desk.models import Ticket

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


async def changes(request: Request, database: Database) -> AsyncIterator[str]:
    yield f"retry: {RECONNECT_MS}\n\n"
    started = last_sent = time.monotonic()
    seen = await run_in_threadpool(queue_state, database)
    while time.monotonic() - started < STREAM_SECONDS and not await request.is_disconnected():
        await asyncio.sleep(CHECK_SECONDS)
        now_state = await run_in_threadpool(queue_state, database)
        if now_state != seen:
            seen = now_state
            last_sent = time.monotonic()
            yield "event: change\ndata: {}\n\n"
        elif time.monotonic() - last_sent > HEARTBEAT_SECONDS:
            last_sent = time.monotonic()
            yield ": still here\n\n"


@router.get("/tickets/changes", include_in_schema=False)
def ticket_changes(request: Request, db: DbSession, _counsellor: CurrentCounsellor) -> StreamingResponse:
    """Counsellors only: `change` events while the queue changes (see the module's docstring)."""
    # The session that checked the cookie is not needed while the stream lasts: its connection goes back to
    # the pool now rather than when the stream ends.
    db.close()
    return StreamingResponse(
        changes(request, request.app.state.database),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
