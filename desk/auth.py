"""Who is calling: the action server (bearer service token) or a counsellor (session cookie, desk.sessions).

Unauthenticated calls get 401; authenticated ones of the wrong kind (a counsellor on a service
endpoint, the service on anything that reads tickets, a counsellor who is not a manager on the
statistics) get 403. The service token creates tickets and sends texts to scrub, counts and survey
answers, and reads the wait estimate: nothing it can do reads what visitors wrote.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from common.clock import utc_now
from desk.db import DbSession
from desk.models import Counsellor
from desk.sessions import session_counsellor
from desk.settings import DeskSettings

# The session cookie's key for the token of the counsellor's row in counsellor_sessions.
SESSION_KEY = "session_token"


def app_settings(request: Request) -> DeskSettings:
    """The settings the app was built with (not get_settings(): tests build apps on other databases)."""
    return request.app.state.settings


Settings = Annotated[DeskSettings, Depends(app_settings)]


def unauthenticated(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def is_service(request: Request, settings: DeskSettings) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and secrets.compare_digest(
        token.strip().encode(), settings.service_token.encode()
    )


def page_counsellor(request: Request, db: DbSession) -> Counsellor | None:
    """The counsellor of the session cookie; None (and the cookie cleared) once the session is revoked or
    expired, or the account disabled."""
    token = request.session.get(SESSION_KEY)
    if token is None:
        return None
    counsellor = session_counsellor(db, token, utc_now()) if isinstance(token, str) else None
    if counsellor is None:
        request.session.clear()
    return counsellor


SessionCounsellor = Annotated[Counsellor | None, Depends(page_counsellor)]


def require_counsellor(request: Request, settings: Settings, counsellor: SessionCounsellor) -> Counsellor:
    if counsellor is not None:
        return counsellor
    if is_service(request, settings):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "for counsellors only")
    raise unauthenticated("log in first")


CurrentCounsellor = Annotated[Counsellor, Depends(require_counsellor)]


def require_manager(counsellor: CurrentCounsellor) -> Counsellor:
    if not counsellor.is_manager:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "for managers only")
    return counsellor


def require_service(request: Request, settings: Settings, counsellor: SessionCounsellor) -> None:
    if is_service(request, settings):
        return
    if counsellor is not None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "for the assistant's services only")
    raise unauthenticated("service token missing or wrong")
