"""Ticket numbers ("FR-014"): per language and Brussels day; 001–499 are the desk's, 500–999 the outbox's.

The action server's outbox numbers tickets itself while the desk is unreachable, from its own range,
so that both can hand out numbers on the same day without meeting.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from desk.models import Ticket

DESK_NUMBERS = range(1, 500)
OUTBOX_NUMBERS = range(500, 1000)
NUMBER_PATTERN = r"^(FR|NL)-[0-9]{3}$"


class NoNumberLeft(RuntimeError):
    """The desk's range is used up for the day."""


def format_number(language: str, sequence: int) -> str:
    return f"{language.upper()}-{sequence:03d}"


def parse_number(number: str) -> Tuple[str, int]:
    if not re.fullmatch(NUMBER_PATTERN, number):
        raise ValueError(f"not a ticket number: {number!r}")
    prefix, digits = number.split("-")
    return prefix.lower(), int(digits)


def next_desk_number(session: Session, day: date, language: str) -> str:
    """One more than the highest desk number of the day (the caller retries if another took it meanwhile)."""
    # Zero-padded, so the text order is the numeric order.
    highest = session.scalar(sa.select(sa.func.max(Ticket.number)).where(
        Ticket.day == day,
        Ticket.number.between(format_number(language, DESK_NUMBERS[0]), format_number(language, DESK_NUMBERS[-1]))))
    sequence = DESK_NUMBERS[0] if highest is None else parse_number(highest)[1] + 1
    if sequence not in DESK_NUMBERS:
        raise NoNumberLeft(f"all {language.upper()} numbers of {day.isoformat()} are taken")
    return format_number(language, sequence)
