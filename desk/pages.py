"""The counsellors' pages (HTML): login form, queue, ticket, profile, statistics, and the language switch.

The pages show; every change to a ticket or a profile goes from desk.js through the JSON API, so the rules
live there only. Templates are autoescaped, the visitors' words included, and the pages may run only the
desk's own script (Content-Security-Policy).
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any, Optional, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException

from desk.auth import SessionCounsellor, Settings, page_counsellor
from desk.clock import brussels_day, utc_now
from desk.db import DbSession
from desk.errors import NotFound
from desk.models import Counsellor
from desk.page_texts import LANGUAGE_COOKIE, LANGUAGES, Texts, preferred_language
from desk.schemas import AREAS, Outcome
from desk.stats import summary
from desk.ticket_store import get_ticket

router = APIRouter(include_in_schema=False)
templates = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=True,
                        undefined=StrictUndefined)

OUTCOMES = get_args(Outcome)
SCOPES = ("mine", "all")
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
# Each language under its own name, for the language switch and the profile's page language.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands"}
LANGUAGE_COOKIE_DAYS = 365
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    # Opening a passage link does not tell its site which ticket it came from ("no-referrer" would also
    # make the browser send "Origin: null" with the forms, which the same-origin guard refuses).
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    # Tickets are personal: no copy kept by the browser or a proxy.
    "Cache-Control": "no-store",
}


def safe_next(target: str) -> str:
    """A path on this site to go on to after login; anything else (another site, a scheme) becomes /."""
    local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if local and target.isprintable() else "/"


def page_texts(request: Request, counsellor: Optional[Counsellor]) -> Texts:
    """The counsellor's page language; before login, the switch's cookie or the browser's languages."""
    if counsellor is not None:
        return Texts(counsellor.ui_language)
    return Texts(preferred_language(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")))


def render(request: Request, template: str, counsellor: Optional[Counsellor], status_code: int = 200,
           **context: Any) -> HTMLResponse:
    html = templates.get_template(template).render(
        t=page_texts(request, counsellor), counsellor=counsellor, return_path=path_of(request),
        language_names=LANGUAGE_NAMES, **context)
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)


def error_page(request: Request, counsellor: Optional[Counsellor], status_code: int) -> HTMLResponse:
    """401, 403 or 404 in the counsellor's language, with no detail of what went wrong inside."""
    return render(request, "error.html", counsellor, status_code, page="error", status=status_code)


ERROR_PAGES = (401, 403, 404)


async def http_error_page(request: Request, error: HTTPException) -> Response:
    """The app's HTTPException handler (desk.main registers it): outside /api/, a 401, 403 or 404 (an unknown
    address, say) gets the error page; the API keeps FastAPI's JSON answers."""
    if request.url.path.startswith("/api/") or error.status_code not in ERROR_PAGES:
        return await http_exception_handler(request, error)

    def page() -> HTMLResponse:
        with request.app.state.database.session() as db:
            return error_page(request, page_counsellor(request, db), error.status_code)

    return await run_in_threadpool(page)


def to_login(request: Request) -> RedirectResponse:
    """To the login form, which comes back to this page afterwards."""
    here = path_of(request)
    return RedirectResponse("/login" + (f"?{urlencode({'next': here})}" if here != "/" else ""), status_code=303)


def path_of(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def client_data(texts: Texts, counsellor: Counsellor, **data: Any) -> dict:
    """What desk.js needs: the page texts, who is logged in, and the page's own data."""
    return {"texts": texts.strings, "language": texts.language, "me": {"login": counsellor.login}, **data}


def login_page(request: Request, next: str, failed: bool = False, wait_seconds: float | None = None
               ) -> HTMLResponse:
    """The login form; after too many attempts, 429 with Retry-After and the minutes to wait."""
    if wait_seconds is None:
        return render(request, "login.html", None, page="login", failed=failed, wait_minutes=None, next=next)
    seconds = math.ceil(wait_seconds)
    page = render(request, "login.html", None, 429, page="login", failed=False,
                  wait_minutes=math.ceil(seconds / 60), next=next)
    page.headers["Retry-After"] = str(seconds)
    return page


@router.get("/login")
def login_form(request: Request, counsellor: SessionCounsellor, error: str = "", next: str = "/") -> Response:
    if counsellor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, safe_next(next), failed=error == "1")


@router.post("/language")
def switch_language(db: DbSession, counsellor: SessionCounsellor, language: Annotated[str, Form()],
                    next: Annotated[str, Form()] = "/") -> RedirectResponse:
    """The FR | NL switch: remembered in a cookie, and in the account of a logged-in counsellor."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if language not in LANGUAGES:
        return response
    if counsellor is not None:
        counsellor.ui_language = language
        db.commit()
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_DAYS * 86400, samesite="lax",
                        httponly=True)
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
    return render(request, "queue.html", counsellor, page="queue", scope=scope, coverage=coverage,
                  outcomes=OUTCOMES, page_data=client_data(texts, counsellor, scope=scope))


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
    state = {"id": ticket.id, "number": ticket.number, "status": ticket.status,
             "claimed_by": ticket.claimer.login if ticket.claimer else None}
    return render(request, "ticket.html", counsellor, page="ticket", ticket=ticket, outcomes=OUTCOMES,
                  web_address=web_address,
                  page_data=client_data(page_texts(request, counsellor), counsellor, ticket=state))


def web_address(url: str) -> bool:
    """Only http(s) addresses become links (the API checks this too; this guards older rows)."""
    return url.startswith(("https://", "http://"))


@router.get("/profile")
def profile_page(request: Request, counsellor: SessionCounsellor, settings: Settings) -> Response:
    if counsellor is None:
        return to_login(request)
    texts = page_texts(request, counsellor)
    return render(request, "profile.html", counsellor, page="profile", languages=LANGUAGES, areas=AREAS,
                  overdue_minutes=settings.overdue_minutes, page_data=client_data(texts, counsellor))


@router.get("/stats")
def stats_page(request: Request, db: DbSession, counsellor: SessionCounsellor, days: str = "") -> Response:
    if counsellor is None:
        return to_login(request)
    if not counsellor.is_manager:
        return error_page(request, counsellor, 403)
    period = int(days) if days.isdigit() and int(days) in PERIODS else DEFAULT_PERIOD
    stats = summary(db, period, brussels_day(utc_now()))
    return render(request, "stats.html", counsellor, page="stats", stats=stats, period=period, periods=PERIODS)
