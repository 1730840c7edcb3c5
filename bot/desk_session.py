"""The Rasa server's calls to the desk service (scrubbing before storing, usage counts): one kept-alive
connection pool with the service token, made on first use inside the server's event loop. Each caller sets
its own time limit per request."""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from bot.settings import get_settings

log = logging.getLogger(__name__)

_session: aiohttp.ClientSession | None = None
# Usage counts under way: kept referenced until done (the event loop holds tasks only weakly).
_background: set[asyncio.Task[None]] = set()
# A count is a convenience: it never holds up a turn, and one lost when the desk is slow is not retried.
USAGE_TIMEOUT = aiohttp.ClientTimeout(total=2.0)


def desk_session() -> aiohttp.ClientSession:
    global _session
    if _session is None or _session.closed:
        settings = get_settings()
        _session = aiohttp.ClientSession(
            base_url=settings.desk_url, headers={"Authorization": f"Bearer {settings.service_token}"}
        )
    return _session


async def _send_usage(body: dict[str, str]) -> None:
    try:
        async with desk_session().post("/api/stats/events", json=body, timeout=USAGE_TIMEOUT) as response:
            response.raise_for_status()
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
        log.info("Usage count not sent (%s): %s", body["kind"], type(error).__name__)


def record_usage(kind: str, language: str) -> None:
    """Counts one anonymous event (no conversation id) at the desk, without delaying the reply."""
    task = asyncio.get_running_loop().create_task(_send_usage({"kind": kind, "language": language}))
    _background.add(task)
    task.add_done_callback(_background.discard)
