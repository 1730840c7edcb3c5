"""On-duty status ends when the centre closes: a counsellor who forgot to turn it off is not counted in the
wait estimates of the visitors who write in the evening, nor shown every overdue ticket the next morning.

Each desk process watches the opening hours (the `hours` of centre_info_file, as the wait estimate does) and,
when it sees the centre go from open to closed, turns everyone's duty off (several processes doing it at the
same minute do the same thing). A process that starts while the centre is closed changes nothing: it only
acts on a closing it sees, so a counsellor who turns duty on before opening keeps it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from common.clock import utc_now
from desk.db import Database
from desk.models import Counsellor
from desk.settings import DeskSettings
from knowledge.opening_hours import is_open

log = logging.getLogger(__name__)
CHECK_SECONDS = 60


class ClosingWatch:
    """Whether the centre has closed since the last look."""

    def __init__(self) -> None:
        self.was_open: bool | None = None

    def closed_since(self, centre_file: Path, now: datetime) -> bool:
        open_now = is_open(centre_file, now)
        closed = self.was_open is True and not open_now
        self.was_open = open_now
        return closed


def end_duty(database: Database) -> int:
    """Everyone off duty; how many were on."""
    with database.session() as session:
        ended = session.execute(sa.update(Counsellor).where(Counsellor.on_duty).values(on_duty=False))
        session.commit()
    # Session.execute() is typed as a plain Result; an UPDATE's is a CursorResult, which has the row count.
    return cast(CursorResult, ended).rowcount


async def end_duty_at_closing(database: Database, settings: DeskSettings) -> None:
    """The service's background task: a look at the hours every minute."""
    watch = ClosingWatch()
    while True:
        try:
            if watch.closed_since(settings.centre_info_file, utc_now()):
                ended = await asyncio.to_thread(end_duty, database)
                log.info("The centre has closed: %d counsellor(s) no longer on duty", ended)
        except Exception:  # noqa: BLE001 - logged (the service keeps serving); the next look may succeed
            log.exception("Ending duty at closing time failed")
        await asyncio.sleep(CHECK_SECONDS)
