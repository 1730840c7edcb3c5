"""Passerelle's time: UTC in every database, Brussels days for ticket numbers, statistics and opening hours."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

TIME_ZONE = "Europe/Brussels"
BRUSSELS = ZoneInfo(TIME_ZONE)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def brussels_day(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date()
