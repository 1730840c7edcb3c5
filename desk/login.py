"""POST /login and POST /logout (the form itself is a page: GET /login in desk.pages)."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from desk.auth import SESSION_KEY
from desk.db import DbSession
from desk.models import Counsellor
from desk.passwords import decoy_hash, verify_password

router = APIRouter(tags=["login"])


def safe_next(target: str) -> str:
    """A path on this site to go on to after login; anything else (another site, a scheme) becomes /."""
    local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if local and target.isprintable() else "/"


@router.post("/login", status_code=303, response_class=RedirectResponse)
def login(request: Request, db: DbSession, login: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> RedirectResponse:
    """Redirects (303) to `next` when the login and password are right, else back to /login?error=1."""
    counsellor = db.scalar(sa.select(Counsellor).where(Counsellor.login == login)) if login else None
    right = verify_password(password, counsellor.password_hash if counsellor else decoy_hash())
    target = safe_next(next)
    if not right or counsellor is None or counsellor.disabled:
        query = {"error": "1"} | ({"next": target} if target != "/" else {})
        return RedirectResponse(f"/login?{urlencode(query)}", status_code=303)
    # A new session (nothing carried over from before the login).
    request.session.clear()
    request.session[SESSION_KEY] = counsellor.id
    return RedirectResponse(target, status_code=303)


@router.post("/logout", status_code=303, response_class=RedirectResponse)
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
