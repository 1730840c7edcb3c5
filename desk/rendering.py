"""How the counsellors' pages are rendered: templates, security headers, the page language, the error pages.

Shared by the page routes (desk/routes/pages.py) and the login routes (desk/routes/login.py).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException

from desk.auth import page_counsellor
from desk.models import Counsellor
from desk.page_texts import LANGUAGE_COOKIE, Texts, preferred_language

templates = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=True, undefined=StrictUndefined
)


# Each language under its own name, for the language switch and the profile's page language.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands"}

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


def page_texts(request: Request, counsellor: Counsellor | None) -> Texts:
    """The counsellor's page language; before login, the switch's cookie or the browser's languages."""
    if counsellor is not None:
        return Texts(counsellor.ui_language)
    return Texts(preferred_language(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")))


def render(
    request: Request, template: str, counsellor: Counsellor | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    html = templates.get_template(template).render(
        t=page_texts(request, counsellor),
        counsellor=counsellor,
        return_path=path_of(request),
        language_names=LANGUAGE_NAMES,
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)


def error_page(request: Request, counsellor: Counsellor | None, status_code: int) -> HTMLResponse:
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


def login_page(request: Request, next: str, failed: bool = False, wait_seconds: float | None = None) -> HTMLResponse:
    """The login form; after too many attempts, 429 with Retry-After and the minutes to wait."""
    if wait_seconds is None:
        return render(request, "login.html", None, page="login", failed=failed, wait_minutes=None, next=next)
    seconds = math.ceil(wait_seconds)
    page = render(
        request, "login.html", None, 429, page="login", failed=False, wait_minutes=math.ceil(seconds / 60), next=next
    )
    page.headers["Retry-After"] = str(seconds)
    return page
