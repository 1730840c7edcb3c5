"""Calls to the counsellor desk service (desk/) with the service token."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional, Set

import httpx

from actions.settings import get_settings

log = logging.getLogger(__name__)
# Usage counts are sent without waiting for them; the set keeps their tasks alive until done.
_background: Set[asyncio.Task] = set()


class DeskUnavailable(RuntimeError):
    """The desk did not answer, or failed on its side (5xx): worth trying again later."""


class TicketRefused(RuntimeError):
    """The desk answered and refused the ticket (4xx)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status


def headers() -> Dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().service_token}"}


def client() -> httpx.AsyncClient:
    settings = get_settings()
    return httpx.AsyncClient(base_url=settings.desk_url, timeout=settings.desk_timeout, headers=headers())


async def post(path: str, body: Dict[str, Any]) -> httpx.Response:
    """POSTs and returns the response; DeskUnavailable when the desk is down or failing (5xx)."""
    try:
        async with client() as desk:
            response = await desk.post(path, json=body)
    except httpx.HTTPError as error:
        raise DeskUnavailable(str(error)) from error
    if response.status_code >= 500:
        raise DeskUnavailable(f"{path}: HTTP {response.status_code}")
    return response


async def create_ticket(payload: Dict[str, Any]) -> Dict[str, Any]:
    response = await post("/api/tickets", payload)
    if response.status_code not in (200, 201):
        raise TicketRefused(response.status_code, response.text[:200])
    return response.json()


async def _send_usage(body: Dict[str, Any]) -> None:
    try:
        await post("/api/stats/events", body)
    except DeskUnavailable as error:
        # Counts are a convenience: a lost one is not worth a retry queue.
        log.info("Usage count not sent (%s): %s", body["kind"], error)


def record_usage(kind: str, language: str, area: Optional[str] = None) -> None:
    """Counts one anonymous event (no conversation id) without delaying the reply."""
    task = asyncio.get_running_loop().create_task(_send_usage({"kind": kind, "language": language, "area": area}))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def submit_survey(language: str, rating: int, comment: Optional[str], after_handoff: bool) -> None:
    body = {"language": language, "rating": rating, "comment": comment, "after_handoff": after_handoff}
    response = await post("/api/survey", body)
    if response.status_code != 201:
        raise DeskUnavailable(f"survey refused: HTTP {response.status_code}")
