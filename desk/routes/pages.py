"""The counsellors' pages (HTML): login form, queue, ticket, profile, statistics, and the language switch.

The pages show; every change to a ticket or a profile goes from desk.js through the JSON API, so the rules
live there only. Templates are autoescaped, the visitors' words included, and the pages may run only the
desk's own script (Content-Security-Policy).
"""

from __future__ import annotations

import re
from typing import Annotated, get_args

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from common.clock import brussels_day, utc_now
from common.vocabulary import AREAS, LANGUAGES
from desk.auth import SessionCounsellor, Settings
from desk.db import DbSession
from desk.errors import NotFound
from desk.page_texts import LANGUAGE_COOKIE
from desk.passwords import MIN_LENGTH
from desk.rendering import client_data, error_page, login_page, page_texts, render, safe_next, to_login
from desk.schemas import Outcome
from desk.stats import summary
from desk.ticket_store import get_ticket

router = APIRouter(include_in_schema=False)
OUTCOMES = get_args(Outcome)
SCOPES = ("mine", "all")
LANGUAGE_COOKIE_DAYS = 365
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


@router.get("/login")
def login_form(request: Request, counsellor: SessionCounsellor, error: str = "", next: str = "/") -> Response:
    if counsellor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, safe_next(next), failed=error == "1")


@router.post("/language")
def switch_language(
    db: DbSession, counsellor: SessionCounsellor, language: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> RedirectResponse:
    """The FR | NL switch: remembered in a cookie, and in the account of a logged-in counsellor."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if language not in LANGUAGES:
        return response
    if counsellor is not None:
        counsellor.ui_language = language
        db.commit()
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_DAYS * 86400, samesite="lax", httponly=True)
    return response


@router.get("/")
def queue_page(request: Request, counsellor: SessionCounsellor, scope: str = "mine") -> Response:
    if counsellor is None:
        return to_login(request)
    texts = page_texts(request, counsellor)
    scope = scope if scope in SCOPES else "mine"
    coverage = {
        "languages": ", ".join(texts(f"language.{code}") for code in counsellor.languages) or texts("queue.none"),
        "areas": ", ".join(texts(f"area.{code}") for code in counsellor.areas) or texts("queue.none"),
    }
    return render(
        request,
        "queue.html",
        counsellor,
        page="queue",
        scope=scope,
        coverage=coverage,
        outcomes=OUTCOMES,
        page_data=client_data(texts, counsellor, scope=scope),
    )


@router.get("/tickets/{ticket_id}")
def ticket_page(request: Request, db: DbSession, counsellor: SessionCounsellor, ticket_id: str) -> Response:
    if counsellor is None:
        return to_login(request)
    # Up to 9 digits: a longer number is no ticket, and SQLite fails on integers past 64 bits.
    if not re.fullmatch(r"[0-9]{1,9}", ticket_id):
        return error_page(request, counsellor, 404)
    try:
        ticket = get_ticket(db, int(ticket_id))
    except NotFound:
        return error_page(request, counsellor, 404)
    # desk.js shows the status and the buttons from this, then keeps them up to date.
    state = {
        "id": ticket.id,
        "number": ticket.number,
        "status": ticket.status,
        "claimed_by": ticket.claimer.login if ticket.claimer else None,
    }
    return render(
        request,
        "ticket.html",
        counsellor,
        page="ticket",
        ticket=ticket,
        outcomes=OUTCOMES,
        web_address=web_address,
        page_data=client_data(page_texts(request, counsellor), counsellor, ticket=state),
    )


def web_address(url: str) -> bool:
    """Only http(s) addresses become links (the API checks this too; this guards older rows)."""
    return url.startswith(("https://", "http://"))


@router.get("/profile")
def profile_page(request: Request, counsellor: SessionCounsellor, settings: Settings) -> Response:
    if counsellor is None:
        return to_login(request)
    texts = page_texts(request, counsellor)
    return render(
        request,
        "profile.html",
        counsellor,
        page="profile",
        languages=LANGUAGES,
        areas=AREAS,
        overdue_minutes=settings.overdue_minutes,
        password_min=MIN_LENGTH,
        page_data=client_data(texts, counsellor, password_min=MIN_LENGTH),
    )


@router.get("/stats")
def stats_page(request: Request, db: DbSession, counsellor: SessionCounsellor, days: str = "") -> Response:
    if counsellor is None:
        return to_login(request)
    if not counsellor.is_manager:
        return error_page(request, counsellor, 403)
    period = int(days) if days.isdigit() and int(days) in PERIODS else DEFAULT_PERIOD
    stats = summary(db, period, brussels_day(utc_now()))
    return render(request, "stats.html", counsellor, page="stats", stats=stats, period=period, periods=PERIODS)
