"""GET/PUT /api/me: the logged-in counsellor's languages, areas, duty and interface language;
POST /api/me/password: their own password."""

from __future__ import annotations

import math

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from common.clock import utc_now
from desk.auth import SESSION_KEY, CurrentCounsellor, Settings
from desk.db import DbSession
from desk.login_limits import Attempt, start_attempt, succeeded
from desk.models import Counsellor
from desk.passwords import hash_password, verify_password
from desk.routes.login import client_address
from desk.schemas import Me, MeUpdate, PasswordChange
from desk.sessions import open_session, revoke_sessions_of

router = APIRouter(prefix="/api", tags=["counsellors"])


def me_of(counsellor: Counsellor) -> Me:
    return Me(
        login=counsellor.login,
        languages=counsellor.languages,
        areas=counsellor.areas,
        on_duty=counsellor.on_duty,
        ui_language=counsellor.ui_language,
        is_manager=counsellor.is_manager,
    )


def update_me(db: Session, counsellor: Counsellor, update: MeUpdate) -> Counsellor:
    for name, value in update.model_dump().items():
        setattr(counsellor, name, value)
    db.commit()
    return counsellor


@router.get("/me", response_model=Me)
def read_me(counsellor: CurrentCounsellor) -> Me:
    return me_of(counsellor)


@router.put("/me", response_model=Me)
def replace_me(update: MeUpdate, db: DbSession, counsellor: CurrentCounsellor) -> Me:
    return me_of(update_me(db, counsellor, update))


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        403: {"description": "The current password is not right."},
        429: {"description": "Too many wrong passwords for this account or from this address (as at login)."},
    },
)
def change_password(
    change: PasswordChange, request: Request, db: DbSession, settings: Settings, counsellor: CurrentCounsellor
) -> Response:
    """The current password, then the new one. A wrong current password counts as a failed login (someone at
    an unlocked screen must not try passwords for ever). Every session of the account ends, as when the
    coordination sets a password; this browser goes on in a new one."""
    now = utc_now()
    attempt = start_attempt(db, settings, counsellor.login, client_address(request), now)
    if not isinstance(attempt, Attempt):
        seconds = math.ceil(attempt)
        return JSONResponse({"detail": "too many attempts"}, status_code=429, headers={"Retry-After": str(seconds)})
    if not verify_password(change.current_password, counsellor.password_hash):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the current password is not right")
    succeeded(db, attempt, now)
    counsellor.password_hash = hash_password(change.new_password)
    revoke_sessions_of(db, counsellor, now)
    token = open_session(db, counsellor, now)
    db.commit()
    request.session.clear()
    request.session[SESSION_KEY] = token
    return Response(status_code=status.HTTP_204_NO_CONTENT)
