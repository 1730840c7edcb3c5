"""POST /login and POST /logout (the form itself is a page: GET /login in desk.routes.pages)."""

from __future__ import annotations

import math
import re
from typing import Annotated
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from common.clock import utc_now
from common.text import safe_text
from desk.accounts import LOGIN_PATTERN
from desk.auth import SESSION_KEY, Settings
from desk.db import DbSession
from desk.login_limits import Attempt, start_attempt, succeeded
from desk.models import Counsellor
from desk.passwords import decoy_hash, verify_password
from desk.rendering import login_page, safe_next
from desk.sessions import open_session, revoke_session

router = APIRouter(tags=["login"])


def client_address(request: Request) -> str:
    """The caller's address (behind a proxy, uvicorn's --proxy-headers puts the client's here)."""
    return request.client.host if request.client else "unknown"


def too_many_attempts(request: Request, target: str, wait: float) -> Response:
    """429 with Retry-After: the login page with the minutes to wait for a browser, JSON for other clients."""
    if "text/html" in request.headers.get("accept", ""):
        return login_page(request, target, wait_seconds=wait)
    seconds = math.ceil(wait)
    return JSONResponse(
        {"detail": f"too many login attempts: try again in {seconds} s"},
        status_code=429,
        headers={"Retry-After": str(seconds)},
    )


@router.post(
    "/login",
    status_code=303,
    response_class=RedirectResponse,
    responses={429: {"description": "Too many attempts for this login or from this address."}},
)
def login(
    request: Request,
    db: DbSession,
    settings: Settings,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Redirects (303) to `next` when the login and password are right, else back to /login?error=1."""
    # Multipart forms may declare a charset that decodes to lone surrogates.
    login, password, target = safe_text(login), safe_text(password), safe_next(next)
    now = utc_now()
    attempt = start_attempt(db, settings, login, client_address(request), now)
    if not isinstance(attempt, Attempt):
        return too_many_attempts(request, target, attempt)
    # Only a login of the accounts' form can exist: nothing else is looked up.
    counsellor = (
        db.scalar(sa.select(Counsellor).where(Counsellor.login == login))
        if re.fullmatch(LOGIN_PATTERN, login)
        else None
    )
    right = verify_password(password, counsellor.password_hash if counsellor else decoy_hash())
    if not right or counsellor is None or counsellor.disabled:
        query = {"error": "1"} | ({"next": target} if target != "/" else {})
        return RedirectResponse(f"/login?{urlencode(query)}", status_code=303)
    succeeded(db, attempt, now)
    token = open_session(db, counsellor, now)
    db.commit()
    # A new session (nothing carried over from before the login).
    request.session.clear()
    request.session[SESSION_KEY] = token
    return RedirectResponse(target, status_code=303)


@router.post("/logout", status_code=303, response_class=RedirectResponse)
def logout(request: Request, db: DbSession) -> RedirectResponse:
    """Revokes the session in the database: a copy of the cookie opens nothing afterwards."""
    token = request.session.get(SESSION_KEY)
    if isinstance(token, str):
        revoke_session(db, token, utc_now())
        db.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
