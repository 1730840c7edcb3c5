"""Whether the centre is open now, from the `hours` of knowledge/centre.yml (Europe/Brussels time)."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml

from common.clock import BRUSSELS

log = logging.getLogger(__name__)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_HOURS: dict[str, list[list[str | int]]] = {day: [["09:00", "17:00"]] for day in WEEKDAYS[:5]}
# Minutes since midnight, start included, end excluded.
Interval = tuple[int, int]


def minutes(value: str | int) -> int:
    # YAML 1.1 reads an unquoted 17:00 as the base-60 integer 1020, which is already minutes since midnight.
    if isinstance(value, int):
        return value
    hours, _, mins = value.partition(":")
    return int(hours) * 60 + int(mins)


def parse_hours(hours: dict[str, list[list[str | int]]]) -> dict[str, list[Interval]]:
    parsed = {}
    for day, intervals in hours.items():
        if day not in WEEKDAYS:
            raise ValueError(f"unknown weekday {day!r}")
        parsed[day] = [(minutes(start), minutes(end)) for start, end in intervals or []]
    return parsed


@lru_cache(maxsize=4)
def load_hours(path: Path, modified_ns: int) -> dict[str, list[Interval]]:
    """Read again whenever the file changes (the modification time is part of the cache key)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "hours" not in data:
        log.warning("%s has no `hours`: the desk assumes Monday to Friday, 09:00-17:00 (Brussels)", path)
        return parse_hours(DEFAULT_HOURS)
    try:
        return parse_hours(data["hours"])
    except (AttributeError, TypeError, ValueError) as error:
        log.error("%s: `hours` unreadable (%s): the desk assumes Monday to Friday, 09:00-17:00", path, error)
        return parse_hours(DEFAULT_HOURS)


def closing_time(centre_file: Path, now: datetime) -> int | None:
    """When the opening hours around `now` end (minutes since midnight, Brussels); None while closed."""
    local = now.astimezone(BRUSSELS)
    hours = load_hours(centre_file, centre_file.stat().st_mtime_ns)
    minute = local.hour * 60 + local.minute
    return next((end for start, end in hours.get(WEEKDAYS[local.weekday()], []) if start <= minute < end), None)


def is_open(centre_file: Path, now: datetime) -> bool:
    return closing_time(centre_file, now) is not None
