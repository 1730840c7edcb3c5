"""Login attempts limited per account and per client address, with a growing delay.

The first failures are free (login_free_failures per account, login_free_failures_per_address per
address); then each attempt must wait 1 s, 2 s, 4 s … (at most login_max_delay_seconds) after the last
failure, and an attempt refused for that is not counted. The check comes before the password is
verified, so the right password does not open a locked account either.

An attempt is counted as a failure as soon as it is let through, before its password is checked: the
counters are in the database, shared by every desk process, and concurrent attempts each need a free
slot of their own (a conditional UPDATE takes it). A success clears the account's counter and gives the
address back its attempt. Counters are keyed by an HMAC of the login or of the address with the session
secret: no address is stored. A counter is forgotten login_failures_kept_hours after its last failure.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk.models import LoginFailures
from desk.settings import DeskSettings

# Conditional updates lost to concurrent attempts on the same key before this one is asked to wait.
RACE_ATTEMPTS = 5
# 2 ** 30 s is far beyond any configured maximum delay; the cap keeps the power small.
MAX_DOUBLINGS = 30


@dataclass(frozen=True)
class Counted:
    """An attempt counted on one key, with what the counter held before it."""

    key: str
    failures: int
    last_failure_at: datetime | None


@dataclass(frozen=True)
class Attempt:
    address: Counted
    account: Counted


def counter_key(secret: str, kind: str, value: str) -> str:
    """The counter of a login or an address: an HMAC, so the table names neither."""
    message = f"{kind}\0{value}".encode("utf-8", "surrogatepass")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def wait_seconds(failures: int, last_failure_at: datetime, free: int, max_delay: float, now: datetime) -> float:
    """How long the next attempt must still wait: nothing while fewer than `free` failures, then 1 s, 2 s,
    4 s … after the last failure, at most `max_delay`."""
    if failures < free:
        return 0.0
    delay = min(2 ** min(failures - free, MAX_DOUBLINGS), max_delay)
    return max(0.0, (last_failure_at + timedelta(seconds=delay) - now).total_seconds())


def take_attempt(db: Session, key: str, free: int, settings: DeskSettings, now: datetime) -> Counted | float:
    """Counts an attempt on `key` as a failure in advance; or, when it must wait, the seconds left."""
    forgotten_before = now - timedelta(hours=settings.login_failures_kept_hours)
    for _ in range(RACE_ATTEMPTS):
        row = db.execute(
            sa.select(LoginFailures.failures, LoginFailures.last_failure_at).where(LoginFailures.key == key)
        ).one_or_none()
        if row is None:
            try:
                db.execute(sa.insert(LoginFailures).values(key=key, failures=1, last_failure_at=now))
                db.commit()
                return Counted(key, 0, None)
            except IntegrityError:  # another attempt created it meanwhile: read it again
                db.rollback()
                continue
        failures = 0 if row.last_failure_at < forgotten_before else row.failures
        wait = wait_seconds(failures, row.last_failure_at, free, settings.login_max_delay_seconds, now)
        if wait > 0:
            return wait
        taken = db.execute(
            sa.update(LoginFailures)
            .where(
                LoginFailures.key == key,
                LoginFailures.failures == row.failures,
                LoginFailures.last_failure_at == row.last_failure_at,
            )
            .values(failures=failures + 1, last_failure_at=now)
        )
        # Session.execute() is typed as a plain Result; an UPDATE's is a CursorResult, which has the row count.
        if cast(CursorResult, taken).rowcount == 1:
            db.commit()
            return Counted(key, failures, row.last_failure_at)
        db.rollback()
    return 1.0


def give_back(db: Session, counted: Counted, now: datetime) -> None:
    """Undoes a counted attempt that was no failure; the last failure's time goes back to what it was
    unless another attempt has counted since (the caller commits)."""
    column = LoginFailures.last_failure_at
    restored = sa.case((column == now, sa.literal(counted.last_failure_at or now, column.type)), else_=column)
    db.execute(
        sa.update(LoginFailures)
        .where(LoginFailures.key == counted.key, LoginFailures.failures > 0)
        .values(failures=LoginFailures.failures - 1, last_failure_at=restored)
    )


def start_attempt(db: Session, settings: DeskSettings, login: str, address: str, now: datetime) -> Attempt | float:
    """The attempt, counted on the address and the account; or the seconds to wait (nothing counted)."""
    secret = settings.session_secret
    address_counted = take_attempt(
        db, counter_key(secret, "address", address), settings.login_free_failures_per_address, settings, now
    )
    if not isinstance(address_counted, Counted):
        return address_counted
    account_counted = take_attempt(db, counter_key(secret, "login", login), settings.login_free_failures, settings, now)
    if not isinstance(account_counted, Counted):
        give_back(db, address_counted, now)
        db.commit()
        return account_counted
    return Attempt(address_counted, account_counted)


def succeeded(db: Session, attempt: Attempt, now: datetime) -> None:
    """A right password: the account starts again from nothing, the address gets its attempt back
    (the caller commits)."""
    give_back(db, attempt.address, now)
    db.execute(sa.delete(LoginFailures).where(LoginFailures.key == attempt.account.key))


def purge_login_failures(db: Session, settings: DeskSettings, now: datetime) -> int:
    """Deletes the counters already forgotten (the caller commits)."""
    forgotten_before = now - timedelta(hours=settings.login_failures_kept_hours)
    purged = db.execute(sa.delete(LoginFailures).where(LoginFailures.last_failure_at < forgotten_before))
    return cast(CursorResult, purged).rowcount
