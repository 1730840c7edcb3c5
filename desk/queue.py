"""The queue: who is waiting ahead, how long, who may see which ticket, and the wait estimate."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from common.vocabulary import AREAS, LANGUAGES
from desk.models import Counsellor, Ticket
from desk.schemas import QueueEstimate
from desk.settings import DeskSettings
from knowledge.opening_hours import is_open


def compatible_area(area: str | None) -> sa.ColumnElement[bool]:
    """Tickets the same counsellors could take: same area, or an area still to be determined on either side."""
    if area is None:
        return sa.true()
    return sa.or_(Ticket.area.is_(None), Ticket.area == area)


def waiting_ahead(session: Session, language: str, area: str | None, ticket: Ticket | None = None) -> int:
    """Waiting tickets of that language and a compatible area (asked before `ticket`, when given)."""
    query = (
        sa.select(sa.func.count())
        .select_from(Ticket)
        .where(Ticket.status == "waiting", Ticket.language == language, compatible_area(area))
    )
    if ticket is not None:
        query = query.where(
            Ticket.id != ticket.id,
            sa.or_(
                Ticket.requested_at < ticket.requested_at,
                sa.and_(Ticket.requested_at == ticket.requested_at, Ticket.id < ticket.id),
            ),
        )
    ahead = session.scalar(query)
    assert ahead is not None  # COUNT(*) always gives a row
    return ahead


def on_duty(session: Session) -> list[Counsellor]:
    return list(
        session.scalars(
            sa.select(Counsellor).where(Counsellor.on_duty, sa.not_(Counsellor.disabled)).order_by(Counsellor.login)
        )
    )


def uncovered(counsellors: list[Counsellor]) -> list[tuple[str, str]]:
    """Each language and area that none of `counsellors` covers (the seeds' rule: one specialist per area each
    day, in both languages)."""
    return [
        (language, area)
        for language in LANGUAGES
        for area in AREAS
        if not any(counsellor.covers(language, area) for counsellor in counsellors)
    ]


def on_duty_for(session: Session, language: str, area: str | None) -> int:
    return sum(1 for counsellor in on_duty(session) if counsellor.covers(language, area))


def estimate(
    session: Session,
    settings: DeskSettings,
    language: str,
    area: str | None,
    now: datetime,
    ticket: Ticket | None = None,
) -> QueueEstimate:
    """Tickets ahead shared among the counsellors on duty for them, minutes_per_visitor each."""
    ahead = waiting_ahead(session, language, area, ticket)
    on_duty = on_duty_for(session, language, area)
    minutes = math.ceil(ahead * settings.minutes_per_visitor / on_duty) if on_duty else None
    return QueueEstimate(
        position=ahead + 1,
        on_duty=on_duty,
        estimated_wait_minutes=minutes,
        open_now=is_open(settings.centre_info_file, now),
    )


def waiting_minutes(ticket: Ticket, now: datetime) -> int:
    """From the visitor's request to the first claim (to now while nobody has claimed it)."""
    end = now if ticket.status == "waiting" else (ticket.claimed_at or ticket.closed_at or now)
    return max(0, int((end - ticket.requested_at).total_seconds() // 60))


def overdue_since(settings: DeskSettings, now: datetime) -> datetime:
    return now - timedelta(minutes=settings.overdue_minutes)


def is_overdue(ticket: Ticket, settings: DeskSettings, now: datetime) -> bool:
    return ticket.status == "waiting" and ticket.requested_at < overdue_since(settings, now)


def visible_to(counsellor: Counsellor, settings: DeskSettings, now: datetime) -> sa.ColumnElement[bool]:
    """The `mine` scope: their languages and areas (or no area yet), what they claimed, and, for a
    counsellor on duty, every ticket waiting too long."""
    scope = [
        Ticket.claimed_by_id == counsellor.id,
        sa.and_(
            Ticket.language.in_(counsellor.languages), sa.or_(Ticket.area.is_(None), Ticket.area.in_(counsellor.areas))
        ),
    ]
    if counsellor.on_duty:
        scope.append(sa.and_(Ticket.status == "waiting", Ticket.requested_at < overdue_since(settings, now)))
    return sa.or_(*scope)
