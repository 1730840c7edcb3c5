"""The desk's time: UTC in the database, Brussels days for numbers and statistics."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def brussels_day(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date()
