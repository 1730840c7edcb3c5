"""Deletes what is older than retention_days: tickets (with their client keys), survey comments (ratings
stay) and Rasa's conversation events in the tracker database; and the counsellors' sessions that have
ended and the login failure counters already forgotten. `python -m desk.retention` runs it once (for
cron); the service also runs it at start and every retention_interval_hours."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from common.clock import brussels_day, utc_now
from desk.db import Database, parse_url
from desk.login_limits import purge_login_failures
from desk.models import SurveyAnswer, Ticket
from desk.sessions import purge_sessions
from desk.settings import DeskSettings, get_settings

log = logging.getLogger(__name__)


@dataclass
class Purged:
    tickets: int
    survey_comments: int
    tracker_events: int
    sessions: int
    login_counters: int


def purge_tracker_events(tracker_db_url: str, cutoff: datetime) -> int:
    """Rasa's SQLTrackerStore `events` rows (timestamp in epoch seconds) from before the cutoff.
    Nothing to do when the tracker database or its table does not exist (yet)."""
    url = parse_url(tracker_db_url)
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).exists()):
        return 0
    # Rasa's database: none of the desk's connection settings (SQLite pragmas) are applied to it.
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0
        with engine.begin() as connection:
            return connection.execute(
                sa.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff.timestamp()}
            ).rowcount
    finally:
        engine.dispose()


def purge(database: Database, settings: DeskSettings, now: datetime) -> Purged:
    cutoff = now - timedelta(days=settings.retention_days)
    with database.session() as session:
        # Session.execute() is typed as a plain Result; a DELETE's or an UPDATE's is a CursorResult.
        deleted = session.execute(sa.delete(Ticket).where(Ticket.created_at < cutoff))
        tickets = cast(CursorResult, deleted).rowcount
        emptied = session.execute(
            sa.update(SurveyAnswer)
            .where(SurveyAnswer.day < brussels_day(cutoff), SurveyAnswer.comment.is_not(None))
            .values(comment=None)
        )
        comments = cast(CursorResult, emptied).rowcount
        sessions = purge_sessions(session, now)
        counters = purge_login_failures(session, settings, now)
        session.commit()
    purged = Purged(tickets, comments, purge_tracker_events(settings.tracker_db_url, cutoff), sessions, counters)
    if any(vars(purged).values()):
        log.info("Retention (%d days): deleted %s", settings.retention_days, purged)
    return purged


async def purge_every(database: Database, settings: DeskSettings) -> None:
    """The service's background task: purges in a thread at start, then every retention_interval_hours."""
    while True:
        try:
            await asyncio.to_thread(purge, database, settings, utc_now())
        except Exception:  # noqa: BLE001 - logged (the service keeps serving); the next round may succeed
            log.exception("Retention purge failed")
        await asyncio.sleep(settings.retention_interval_hours * 3600)


def main() -> None:
    settings = get_settings()
    database = Database(settings.database_url)
    try:
        purged = purge(database, settings, utc_now())
    finally:
        database.dispose()
    print(
        f"Deleted {purged.tickets} ticket(s), {purged.survey_comments} survey comment(s) and "
        f"{purged.tracker_events} conversation event(s) older than {settings.retention_days} days, "
        f"{purged.sessions} ended session(s) and {purged.login_counters} login failure counter(s)."
    )


if __name__ == "__main__":
    main()
