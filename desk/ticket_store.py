"""Tickets in the database: creation (numbered, idempotent, scrubbed, limited), claim, release, close."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.clock import brussels_day
from desk.errors import Conflict, NotFound, NotYours, TooMany, Unavailable
from desk.models import Counsellor, Ticket, WaitSample
from desk.numbering import NoNumberLeft, next_desk_number
from desk.queue import visible_to, waiting_minutes
from desk.schemas import TicketCreate
from desk.settings import DeskSettings
from privacy.scrubber import get_scrubber

# Each failed attempt means another request took the number in between, so this bounds the concurrency
# a number is fought over by, not the number of tickets.
NUMBER_ATTEMPTS = 50
# The ticket limits count the tickets created within this much time before a new one.
LIMIT_WINDOW = timedelta(hours=1)


def scrubbed_fields(data: TicketCreate) -> dict[str, Any]:
    """The ticket's columns, with everything a visitor may have typed scrubbed (again) in the ticket language."""
    scrubber, language = get_scrubber(), data.language

    def scrub(text: str) -> str:
        return scrubber.scrub(text, language)

    fields = data.model_dump(mode="json", exclude={"number"})
    fields.update(
        requested_at=data.requested_at,
        recap=scrub(data.recap),
        goal=scrub(data.goal) if data.goal else None,
        questions=[scrub(question) for question in data.questions],
        answers=[{"label": answer.label, "value": scrub(answer.value)} for answer in data.answers],
        # The assistant's lines are its own texts (the centre's address in them is not personal data).
        excerpt=[
            {
                "speaker": line.speaker,
                "text": scrub(line.text) if line.speaker == "visitor" else line.text,
                "at": line.at.astimezone(timezone.utc).isoformat(),
            }
            for line in data.excerpt
        ],
    )
    return fields


def by_client_ref(session: Session, client_ref: str) -> Ticket | None:
    return session.scalar(sa.select(Ticket).where(Ticket.client_ref == client_ref))


def seconds_until_below(session: Session, condition: sa.ColumnElement[bool], limit: int, now: datetime) -> int | None:
    """None while fewer than `limit` tickets matching `condition` were created in the last LIMIT_WINDOW;
    else the seconds until the limit-th most recent of them leaves it."""
    limiting = session.scalar(
        sa.select(Ticket.created_at)
        .where(condition, Ticket.created_at > now - LIMIT_WINDOW)
        .order_by(Ticket.created_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    if limiting is None:
        return None
    return max(1, math.ceil((limiting + LIMIT_WINDOW - now).total_seconds()))


def check_limits(session: Session, data: TicketCreate, settings: DeskSettings, now: datetime) -> None:
    """TooMany when the conversation, or the visitor's address, already had its tickets of the hour."""
    limits = [
        (
            "conversation",
            "this conversation",
            "tickets_per_conversation_per_hour",
            Ticket.conversation_id == data.conversation_id,
        ),
    ]
    if data.client_key is not None:
        limits.append(
            (
                "address",
                "this client_key (network address)",
                "tickets_per_address_per_hour",
                Ticket.client_key == data.client_key,
            )
        )
    for kind, who, setting, same in limits:
        limit = getattr(settings, setting)
        wait = seconds_until_below(session, same, limit, now)
        if wait is not None:
            raise TooMany(
                f"{who} already has {limit} tickets in the last hour ({setting}): the next one in {wait} s",
                kind,
                wait,
            )


def renumbered(session: Session, ticket: Ticket, data: TicketCreate) -> Ticket:
    """A resend with the outbox number the visitor was given (the desk's answer to the first send never
    reached them): the ticket takes that number when it is free on the visitor's day, else keeps its own,
    which the action server then tells the visitor. The unique (day, number) constraint settles a race."""
    if data.number is None or data.number == ticket.number:
        return ticket
    statement = (
        sa.update(Ticket)
        .where(Ticket.number == ticket.number)
        .values(number=data.number, day=brussels_day(data.requested_at))
    )
    try:
        _changed(session, ticket, statement)
        session.commit()
    except IntegrityError:
        session.rollback()
    session.refresh(ticket)
    return ticket


def create_ticket(session: Session, data: TicketCreate, settings: DeskSettings, now: datetime) -> tuple[Ticket, bool]:
    """The new ticket and True; or the ticket already made for this client_ref (renumbered, see
    renumbered()) and False.

    A new ticket without an outbox number is refused (TooMany) past the limits per conversation and per
    address. Desk numbers are the day's highest plus one; when two requests take the same one, the unique
    (day, number) constraint refuses the second, which tries the next. An outbox number already taken
    is a Conflict.
    """
    existing = by_client_ref(session, data.client_ref)
    if existing is not None:
        return renumbered(session, existing, data), False
    if data.number is None:
        check_limits(session, data, settings, now)
    fields = scrubbed_fields(data)
    for _ in range(NUMBER_ATTEMPTS):
        if data.number:
            day, number = brussels_day(data.requested_at), data.number
        else:
            day = brussels_day(now)
            try:
                number = next_desk_number(session, day, data.language)
            except NoNumberLeft as error:
                # A 4xx, not a failure of the desk: the action server then numbers the ticket from the
                # outbox's own range, which the desk accepts.
                raise Conflict(f"{error}: send the ticket with an outbox number") from error
        ticket = Ticket(number=number, day=day, created_at=now, status="waiting", **fields)
        session.add(ticket)
        try:
            session.commit()
            return ticket, True
        except IntegrityError:
            session.rollback()
        existing = by_client_ref(session, data.client_ref)
        if existing is not None:
            return renumbered(session, existing, data), False
        if data.number:
            raise Conflict(f"number {data.number} is already taken on {day.isoformat()}")
    raise Unavailable("too many tickets at once: try again")


def get_ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ticket


def list_tickets(
    session: Session, statuses: Sequence[str], counsellor: Counsellor | None, settings: DeskSettings, now: datetime
) -> list[Ticket]:
    """Oldest request first; only what `counsellor` should see when given (the `mine` scope)."""
    query = sa.select(Ticket).where(Ticket.status.in_(statuses)).order_by(Ticket.requested_at, Ticket.id)
    if counsellor is not None:
        query = query.where(visible_to(counsellor, settings, now))
    return list(session.scalars(query))


def _changed(session: Session, ticket: Ticket, statement: sa.Update) -> bool:
    """Runs a guarded UPDATE of the ticket; False when its condition no longer held."""
    result = session.execute(statement.where(Ticket.id == ticket.id).execution_options(synchronize_session=False))
    # Session.execute() is typed as a plain Result; an UPDATE's is a CursorResult, which has the row count.
    return cast(CursorResult, result).rowcount == 1


def claim_ticket(session: Session, ticket_id: int, counsellor: Counsellor, now: datetime) -> Ticket:
    """Takes a waiting ticket. Only one of two counsellors claiming at once gets it: the UPDATE is
    conditional on the ticket still waiting. The first claim of a ticket records the anonymous wait."""
    ticket = get_ticket(session, ticket_id)
    first_claim = ticket.claimed_at is None
    values: dict[str, Any] = {"status": "claimed", "claimed_by_id": counsellor.id}
    guard = [Ticket.status == "waiting"]
    if first_claim:
        values["claimed_at"] = now
        guard.append(Ticket.claimed_at.is_(None))
    if _changed(session, ticket, sa.update(Ticket).where(*guard).values(**values)):
        if first_claim:
            session.add(
                WaitSample(
                    day=brussels_day(ticket.requested_at),
                    language=ticket.language,
                    area=ticket.area,
                    minutes=waiting_minutes(ticket, now),
                )
            )
        session.commit()
    else:
        session.rollback()
    session.refresh(ticket)
    if ticket.status == "claimed" and ticket.claimed_by_id == counsellor.id:
        return ticket
    if ticket.status == "closed":
        raise Conflict(f"ticket {ticket.number} is closed")
    if ticket.status == "claimed":
        # A claimed ticket has its claimer: counsellors' accounts are disabled, never deleted.
        assert ticket.claimer is not None
        raise Conflict(f"ticket {ticket.number} is already claimed by {ticket.claimer.login}")
    raise Conflict(f"ticket {ticket.number} changed meanwhile: try again")


def _claimer_change(session: Session, ticket_id: int, counsellor: Counsellor, values: dict[str, Any]) -> Ticket:
    """Release or close: only the counsellor who claimed the ticket, and only while it is claimed."""
    ticket = get_ticket(session, ticket_id)
    if ticket.claimed_by_id != counsellor.id:
        raise NotYours(f"ticket {ticket.number} is not claimed by you")
    statement = sa.update(Ticket).where(Ticket.status == "claimed", Ticket.claimed_by_id == counsellor.id)
    if not _changed(session, ticket, statement.values(**values)):
        session.rollback()
        session.refresh(ticket)
        if ticket.claimed_by_id != counsellor.id:
            raise NotYours(f"ticket {ticket.number} is not claimed by you")
        raise Conflict(f"ticket {ticket.number} is {ticket.status}")
    session.commit()
    session.refresh(ticket)
    return ticket


def release_ticket(session: Session, ticket_id: int, counsellor: Counsellor) -> Ticket:
    return _claimer_change(session, ticket_id, counsellor, {"status": "waiting", "claimed_by_id": None})


def close_ticket(session: Session, ticket_id: int, counsellor: Counsellor, outcome: str, now: datetime) -> Ticket:
    return _claimer_change(session, ticket_id, counsellor, {"status": "closed", "outcome": outcome, "closed_at": now})
