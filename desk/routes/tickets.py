"""The tickets API: the action server creates them, counsellors list, claim, release and close them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.exceptions import RequestValidationError

from common.clock import utc_now
from desk.auth import CurrentCounsellor, Settings, require_service
from desk.db import DbSession
from desk.models import Ticket
from desk.queue import estimate, is_overdue, on_duty, uncovered, waiting_minutes
from desk.schemas import (
    STATUSES,
    Area,
    CloseRequest,
    Language,
    LimitReached,
    OnDuty,
    QueueEstimate,
    TicketCreate,
    TicketCreated,
    TicketList,
    TicketListItem,
    TicketOut,
    Uncovered,
)
from desk.settings import DeskSettings
from desk.ticket_store import claim_ticket, close_ticket, create_ticket, get_ticket, list_tickets, release_ticket
from knowledge.opening_hours import is_open

router = APIRouter(prefix="/api", tags=["tickets"])
# Within what every database's integer column holds (an id beyond it is a 422, not a server error).
TicketId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def ticket_fields(ticket: Ticket) -> dict[str, Any]:
    """The ticket's JSON fields; `claimed_by` is the counsellor's login."""
    fields = {name: getattr(ticket, name) for name in TicketOut.model_fields if name != "claimed_by"}
    fields["claimed_by"] = ticket.claimer.login if ticket.claimer else None
    return fields


def list_item(ticket: Ticket, settings: DeskSettings, now: datetime) -> TicketListItem:
    return TicketListItem(
        **ticket_fields(ticket), waiting_minutes=waiting_minutes(ticket, now), overdue=is_overdue(ticket, settings, now)
    )


def status_filter(
    status_: Annotated[str, Query(alias="status", description="Comma-separated statuses.")] = "waiting,claimed",
) -> list[str]:
    statuses = [part.strip() for part in status_.split(",") if part.strip()]
    if not statuses or set(statuses) - set(STATUSES):
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("query", "status"),
                    "input": status_,
                    "msg": f"a comma-separated list of {', '.join(STATUSES)}",
                }
            ]
        )
    return statuses


@router.post(
    "/tickets",
    response_model=TicketCreated,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_service)],
    responses={
        200: {
            "model": TicketCreated,
            "description": "Already created for this client_ref. A resend with the outbox `number` the "
            "visitor was told takes that number when it is free that day; otherwise the "
            "answer's `number` is the one to tell the visitor.",
        },
        409: {
            "description": "The outbox number is already taken that day (by another ticket), or the "
            "desk's own numbers of the day (001–499) are used up."
        },
        429: {
            "model": LimitReached,
            "description": "A new ticket without an outbox number, past the limit per conversation or "
            "per network address (`limit` says which).",
            "headers": {
                "Retry-After": {
                    "description": "Seconds until a ticket is possible again.",
                    "schema": {"type": "integer"},
                }
            },
        },
    },
)
def create(body: TicketCreate, response: Response, db: DbSession, settings: Settings) -> TicketCreated:
    now = utc_now()
    ticket, created = create_ticket(db, body, settings, now)
    if not created:
        response.status_code = status.HTTP_200_OK
    queue = estimate(db, settings, ticket.language, ticket.area, now, ticket)
    return TicketCreated(**ticket_fields(ticket), **queue.model_dump())


@router.get("/tickets", response_model=TicketList)
def list_(
    db: DbSession,
    settings: Settings,
    counsellor: CurrentCounsellor,
    statuses: Annotated[list[str], Depends(status_filter)],
    scope: Literal["mine", "all"] = "mine",
) -> TicketList:
    """Oldest request first. `mine`: the counsellor's languages and areas (or area still unknown), what they
    claimed, and, while they are on duty, any ticket waiting longer than overdue_minutes. With the list: the
    languages and areas nobody on duty covers while the centre is open, and for a manager who is on duty."""
    now = utc_now()
    tickets = list_tickets(db, statuses, counsellor if scope == "mine" else None, settings, now)
    duty = on_duty(db)
    gaps = uncovered(duty) if is_open(settings.centre_info_file, now) else []
    return TicketList(
        tickets=[list_item(ticket, settings, now) for ticket in tickets],
        uncovered=[Uncovered(language=language, area=area) for language, area in gaps],
        on_duty=[OnDuty(login=c.login, languages=c.languages, areas=c.areas) for c in duty]
        if counsellor.is_manager
        else None,
    )


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
def read(ticket_id: TicketId, db: DbSession, _counsellor: CurrentCounsellor) -> TicketOut:
    """Counsellors only: the service token creates tickets but reads none."""
    return TicketOut(**ticket_fields(get_ticket(db, ticket_id)))


@router.post(
    "/tickets/{ticket_id}/claim",
    response_model=TicketOut,
    responses={409: {"description": "Claimed by another counsellor, or closed."}},
)
def claim(ticket_id: TicketId, db: DbSession, counsellor: CurrentCounsellor) -> TicketOut:
    return TicketOut(**ticket_fields(claim_ticket(db, ticket_id, counsellor, utc_now())))


@router.post(
    "/tickets/{ticket_id}/release", response_model=TicketOut, responses={403: {"description": "Not claimed by you."}}
)
def release(ticket_id: TicketId, db: DbSession, counsellor: CurrentCounsellor) -> TicketOut:
    """Back to the queue, for another counsellor."""
    return TicketOut(**ticket_fields(release_ticket(db, ticket_id, counsellor)))


@router.post(
    "/tickets/{ticket_id}/close",
    response_model=TicketOut,
    responses={403: {"description": "Not claimed by you."}, 409: {"description": "Already closed."}},
)
def close(ticket_id: TicketId, body: CloseRequest, db: DbSession, counsellor: CurrentCounsellor) -> TicketOut:
    return TicketOut(**ticket_fields(close_ticket(db, ticket_id, counsellor, body.outcome, utc_now())))


@router.get("/queue/estimate", response_model=QueueEstimate, dependencies=[Depends(require_service)])
def queue_estimate(db: DbSession, settings: Settings, language: Language, area: Area | None = None) -> QueueEstimate:
    """What a visitor asking now would wait: their position and the minutes expected."""
    return estimate(db, settings, language, area, utc_now())
