"""Counsellors' sessions in the database, so that logging out or disabling an account ends them at once.

The signed session cookie holds a random token; the `counsellor_sessions` table holds its SHA-256 only.
A cookie opens a session while its row exists, is not revoked and is younger than SESSION_MAX_AGE.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from desk.models import Counsellor, CounsellorSession

# A counsellor logs in once a working day.
SESSION_MAX_AGE = 12 * 3600


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def opened_after(now: datetime) -> datetime:
    """Sessions opened before this have expired."""
    return now - timedelta(seconds=SESSION_MAX_AGE)


def open_session(db: Session, counsellor: Counsellor, now: datetime) -> str:
    """A new session's token, for the cookie (the caller commits)."""
    token = secrets.token_urlsafe(32)
    db.add(CounsellorSession(token_hash=token_hash(token), counsellor_id=counsellor.id, created_at=now))
    return token


def session_counsellor(db: Session, token: str, now: datetime) -> Counsellor | None:
    """The counsellor of a live session: not revoked, not expired, account enabled."""
    return db.scalar(
        sa.select(Counsellor)
        .join(CounsellorSession, CounsellorSession.counsellor_id == Counsellor.id)
        .where(
            CounsellorSession.token_hash == token_hash(token),
            CounsellorSession.revoked_at.is_(None),
            CounsellorSession.created_at > opened_after(now),
            sa.not_(Counsellor.disabled),
        )
    )


def revoke_session(db: Session, token: str, now: datetime) -> None:
    """Logout (the caller commits)."""
    db.execute(
        sa.update(CounsellorSession)
        .where(CounsellorSession.token_hash == token_hash(token), CounsellorSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_sessions_of(db: Session, counsellor: Counsellor, now: datetime) -> int:
    """Every open session of the account (disabled, or its password changed); the caller commits."""
    # Session.execute() is typed as a plain Result; an UPDATE's is a CursorResult, which has the row count.
    revoked = db.execute(
        sa.update(CounsellorSession)
        .where(CounsellorSession.counsellor_id == counsellor.id, CounsellorSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return cast(CursorResult, revoked).rowcount


def purge_sessions(db: Session, now: datetime) -> int:
    """Deletes the sessions that can no longer open anything: expired or revoked (the caller commits)."""
    purged = db.execute(
        sa.delete(CounsellorSession).where(
            sa.or_(CounsellorSession.created_at <= opened_after(now), CounsellorSession.revoked_at.is_not(None))
        )
    )
    return cast(CursorResult, purged).rowcount
