"""Calls to the counsellor desk service (desk/) with the service token.

The desk also holds the host's one copy of the scrubber's French language model: the action server asks it
(`scrubbed`) rather than load a second copy.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from actions.failures import describe
from actions.http_clients import kept_client
from actions.settings import get_settings
from common.text import WITHHELD

log = logging.getLogger(__name__)
# Usage counts are sent without waiting for them; the set keeps their tasks alive until done.
_background: set[asyncio.Task] = set()
DETAIL_CHARS = 200


class DeskUnavailable(RuntimeError):
    """The desk did not answer in time, or failed on its side (5xx): worth trying again later."""


class TicketRefused(RuntimeError):
    """The desk answered and refused the ticket (4xx)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status


class TooManyTickets(TicketRefused):
    """429: this conversation or this visitor's address asked for too many tickets in the last hour."""

    def __init__(self, detail: str, limit: str | None) -> None:
        super().__init__(429, f"{detail} (limit: {limit})")
        self.limit = limit


def refusal_detail(body: Any) -> str:
    """The desk's `detail`, for the log: its own sentence, or for a 422 the fields and what is wrong with them.

    A 422 also echoes each wrong value (`input`), which may be what the visitor wrote: left out.
    """
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):
        return "; ".join(
            f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg')}"
            for error in detail
            if isinstance(error, dict)
        )[:DETAIL_CHARS]
    return str(detail)[:DETAIL_CHARS] if detail is not None else "no detail"


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().service_token}"}


def client() -> httpx.AsyncClient:
    settings = get_settings()
    return kept_client(settings.desk_url, settings.desk_timeout, headers())


async def post(path: str, body: dict[str, Any]) -> httpx.Response:
    """POSTs and returns the response; DeskUnavailable when the desk is down, hung or failing (5xx)."""
    try:
        # httpx's timeout applies to each step (connect, send, read); this bounds the whole call.
        response = await asyncio.wait_for(client().post(path, json=body), get_settings().desk_timeout)
    except (httpx.HTTPError, TimeoutError) as error:
        raise DeskUnavailable(f"{describe(error)} ({path})") from error
    if response.status_code >= 500:
        raise DeskUnavailable(f"{path}: HTTP {response.status_code}")
    return response


async def create_ticket(payload: dict[str, Any]) -> dict[str, Any]:
    """The ticket as the desk made it (or had it already, for the same `client_ref`), with the queue."""
    response = await post("/api/tickets", payload)
    body = json_body(response)
    if response.status_code == 429:
        raise TooManyTickets(refusal_detail(body), body.get("limit") if isinstance(body, dict) else None)
    if response.status_code not in (200, 201):
        raise TicketRefused(response.status_code, refusal_detail(body))
    if not isinstance(body, dict) or "number" not in body:
        raise DeskUnavailable("/api/tickets: an answer without a ticket number")
    return body


async def _send_usage(body: dict[str, Any]) -> None:
    try:
        await post("/api/stats/events", body)
    except DeskUnavailable as error:
        # Counts are a convenience: a lost one is not worth a retry queue.
        log.info("Usage count not sent (%s): %s", body["kind"], error)


def record_usage(kind: str, language: str, area: str | None = None) -> None:
    """Counts one anonymous event (no conversation id) without delaying the reply."""
    task = asyncio.get_running_loop().create_task(_send_usage({"kind": kind, "language": language, "area": area}))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def submit_survey(language: str, rating: int, comment: str | None, after_handoff: bool) -> None:
    body = {"language": language, "rating": rating, "comment": comment, "after_handoff": after_handoff}
    response = await post("/api/survey", body)
    if response.status_code != 201:
        raise DeskUnavailable(f"/api/survey: HTTP {response.status_code}")


async def scrubbed(texts: list[str], language: str) -> list[str]:
    """The texts through the desk's scrubber, in the same order; all of them WITHHELD when the desk cannot
    scrub them now (down, hung, or refusing them), so that no unscrubbed text is kept or shown again."""
    try:
        response = await post("/api/privacy/scrub", {"texts": texts, "language": language})
    except DeskUnavailable as error:
        log.warning("Scrubber not reached (%s); %d text(s) withheld", error, len(texts))
        return [WITHHELD] * len(texts)
    body = json_body(response)
    clean = body.get("texts") if response.status_code == 200 and isinstance(body, dict) else None
    if not isinstance(clean, list) or len(clean) != len(texts) or not all(isinstance(t, str) for t in clean):
        log.warning("Scrubber refused %d text(s) (HTTP %d); withheld", len(texts), response.status_code)
        return [WITHHELD] * len(texts)
    return clean
