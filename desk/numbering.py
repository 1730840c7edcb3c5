"""The desk's next ticket number of the day (common/tickets.py says what numbers are)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from common.tickets import DESK_NUMBERS, format_number, parse_number
from desk.models import Ticket


class NoNumberLeft(RuntimeError):
    """The desk's range is used up for the day."""


def next_desk_number(session: Session, day: date, language: str) -> str:
    """One more than the highest desk number of the day (the caller retries if another took it meanwhile)."""
    # Zero-padded, so the text order is the numeric order.
    highest = session.scalar(
        sa.select(sa.func.max(Ticket.number)).where(
            Ticket.day == day,
            Ticket.number.between(format_number(language, DESK_NUMBERS[0]), format_number(language, DESK_NUMBERS[-1])),
        )
    )
    sequence = DESK_NUMBERS[0] if highest is None else parse_number(highest)[1] + 1
    if sequence not in DESK_NUMBERS:
        raise NoNumberLeft(f"all {language.upper()} numbers of {day.isoformat()} are taken")
    return format_number(language, sequence)
