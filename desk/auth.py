"""Who is calling: the action server (bearer service token) or a counsellor (signed session cookie).

Unauthenticated calls get 401; authenticated ones of the wrong kind (a counsellor on a service
endpoint, a counsellor who is not a manager on the statistics) get 403.
"""
from __future__ import annotations

import secrets
from typing import Annotated, Optional

from fastapi import Depends, HTTPException, Request, status

from desk.db import DbSession
from desk.models import Counsellor
from desk.settings import DeskSettings

SESSION_KEY = "counsellor_id"


def app_settings(request: Request) -> DeskSettings:
    """The settings the app was built with (not get_settings(): tests build apps on other databases)."""
    return request.app.state.settings


Settings = Annotated[DeskSettings, Depends(app_settings)]


def unauthenticated(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def is_service(request: Request, settings: DeskSettings) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and secrets.compare_digest(token.strip().encode(),
                                                                 settings.service_token.encode())


def page_counsellor(request: Request, db: DbSession) -> Optional[Counsellor]:
    """The counsellor of the session cookie; None (and the session cleared) once their account is disabled."""
    counsellor_id = request.session.get(SESSION_KEY)
    if counsellor_id is None:
        return None
    counsellor = db.get(Counsellor, counsellor_id)
    if counsellor is None or counsellor.disabled:
        request.session.clear()
        return None
    return counsellor


SessionCounsellor = Annotated[Optional[Counsellor], Depends(page_counsellor)]


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


def require_service_or_counsellor(request: Request, settings: Settings,
                                  counsellor: SessionCounsellor) -> Optional[Counsellor]:
    """The counsellor, or None for the service."""
    if is_service(request, settings):
        return None
    if counsellor is None:
        raise unauthenticated("service token or counsellor session required")
    return counsellor
