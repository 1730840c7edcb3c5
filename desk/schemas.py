"""What the desk API takes and returns."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from common.text import map_strings, safe_text
from common.tickets import NUMBER_PATTERN, OUTBOX_NUMBERS, parse_number
from common.vocabulary import Area, Language
from desk.passwords import MIN_LENGTH

Reason = Literal["visitor_request", "questionnaire", "not_understood", "low_confidence"]
Status = Literal["waiting", "claimed", "closed"]
Outcome = Literal["answered", "referred", "appointment", "left", "other"]
UsageKind = Literal["conversation", "question", "questionnaire_started", "questionnaire_completed", "handoff"]
STATUSES: tuple = get_args(Status)
ShortText = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=4000)]


def in_utc(moment: datetime) -> datetime:
    """The moment in UTC, as it is stored; years at the edge of the calendar have none (year 1 at +14:00)."""
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("date out of range") from None


Moment = Annotated[AwareDatetime, AfterValidator(in_utc)]


class Incoming(BaseModel):
    """A request body: its strings made safe (common.text.safe_text) before anything reads them."""

    @model_validator(mode="before")
    @classmethod
    def safe_strings(cls, data: Any) -> Any:
        try:
            return map_strings(data, safe_text)
        except RecursionError:
            raise ValueError("nested too deeply") from None


class Answer(BaseModel):
    label: ShortText
    value: LongText


class Passage(BaseModel):
    title: ShortText
    # Shown as a link on the desk pages: web addresses only (no javascript: and the like).
    url: str = Field(max_length=2000, pattern=r"^https?://")


class ExcerptLine(BaseModel):
    speaker: Literal["visitor", "assistant"]
    text: LongText
    at: Moment


class TicketCreate(Incoming):
    client_ref: str = Field(
        min_length=1,
        max_length=100,
        description="The action server's key for this ticket: sent again, it is not duplicated.",
    )
    conversation_id: str = Field(min_length=1, max_length=255, description="Rasa sender id.")
    language: Language = Field(description="The language the visitor wants to be helped in.")
    area: Area | None = Field(None, description="None while the area is still to be determined.")
    reason: Reason
    recap: LongText = Field(min_length=1)
    answers: list[Answer] = Field(default_factory=list, max_length=50)
    interests: list[ShortText] = Field(default_factory=list, max_length=50)
    goal: LongText | None = None
    questions: list[LongText] = Field(default_factory=list, max_length=50)
    passages: list[Passage] = Field(default_factory=list, max_length=50)
    excerpt: list[ExcerptLine] = Field(default_factory=list, max_length=100)
    requested_at: Moment = Field(description="When the visitor asked for a counsellor.")
    number: str | None = Field(
        None,
        pattern=NUMBER_PATTERN,
        description="Set by the action server's outbox only (500–999, of the day the "
        "visitor asked), the number the visitor was told; otherwise the desk "
        "gives the next of 001–499. Never refused by the ticket limits.",
    )
    client_key: str | None = Field(
        None,
        pattern=r"^[0-9a-f]{16,64}$",
        description="Pseudonymous key of the visitor's network address (the Rasa "
        "channel's HMAC), for the per-address limit; none when unknown "
        "or exempt.",
    )

    @model_validator(mode="after")
    def outbox_number(self) -> TicketCreate:
        if self.number is not None:
            language, sequence = parse_number(self.number)
            if language != self.language or sequence not in OUTBOX_NUMBERS:
                raise ValueError(f"number must be {self.language.upper()}-500 to {self.language.upper()}-999")
        return self


class TicketOut(BaseModel):
    id: int
    number: str
    day: date
    client_ref: str
    conversation_id: str
    language: Language
    area: Area | None
    reason: Reason
    recap: str
    answers: list[Answer]
    interests: list[str]
    goal: str | None
    questions: list[str]
    passages: list[Passage]
    excerpt: list[ExcerptLine]
    status: Status
    claimed_by: str | None = Field(description="Login of the counsellor who claimed it.")
    outcome: Outcome | None
    requested_at: datetime
    created_at: datetime
    claimed_at: datetime | None = Field(description="The first claim (kept when released).")
    closed_at: datetime | None


class QueueEstimate(BaseModel):
    position: int = Field(description="1 when nobody compatible is waiting ahead.")
    on_duty: int = Field(description="Counsellors on duty for this language and area.")
    estimated_wait_minutes: int | None = Field(description="None when nobody is on duty for it.")
    open_now: bool


class TicketCreated(TicketOut, QueueEstimate):
    pass


class TicketListItem(TicketOut):
    waiting_minutes: int = Field(description="Since the visitor asked, until the first claim.")
    overdue: bool = Field(description="Still waiting after overdue_minutes.")


class Uncovered(BaseModel):
    language: Language
    area: Area


class OnDuty(BaseModel):
    login: str
    languages: list[Language]
    areas: list[Area]


class TicketList(BaseModel):
    tickets: list[TicketListItem]
    uncovered: list[Uncovered] = Field(
        default_factory=list,
        description="While the centre is open: each language and area that no counsellor on duty covers.",
    )
    on_duty: list[OnDuty] | None = Field(None, description="Managers only: who is on duty, with what they cover.")


class LimitReached(BaseModel):
    detail: str
    limit: Literal["conversation", "address"] = Field(
        description="Which limit: tickets_per_conversation_per_hour or tickets_per_address_per_hour."
    )


class CloseRequest(Incoming):
    outcome: Outcome


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class MeUpdate(Incoming):
    languages: Annotated[list[Language], AfterValidator(unique)]
    areas: Annotated[list[Area], AfterValidator(unique)]
    on_duty: bool
    ui_language: Language


class PasswordChange(Incoming):
    current_password: Annotated[str, Field(max_length=200)]
    new_password: Annotated[str, Field(min_length=MIN_LENGTH, max_length=200)]


class Me(MeUpdate):
    login: str
    is_manager: bool


class UsageEvent(Incoming):
    kind: UsageKind
    language: Language
    area: Area | None = None


class SurveyIn(Incoming):
    language: Language
    rating: int = Field(ge=1, le=5)
    comment: str | None = Field(None, max_length=2000)
    after_handoff: bool


class ScrubRequest(Incoming):
    # A longer text (the assistant refuses messages over 1,000 characters anyway) is a 422: the tracker
    # store then withholds it rather than keep spaCy busy for seconds.
    texts: list[Annotated[str, StringConstraints(max_length=20_000)]] = Field(max_length=1000)
    language: Language | None = None


class ScrubResponse(BaseModel):
    texts: list[str]


class DayCount(BaseModel):
    day: date
    count: int


class WaitFigures(BaseModel):
    samples: int
    median_minutes: float | None
    p90_minutes: float | None


class Satisfaction(BaseModel):
    answers: int
    distribution: dict[str, int] = Field(description='Answers per rating, "1" to "5".')
    mean: float | None


class Stats(BaseModel):
    """Counts only: no ticket, conversation or comment text ever reaches the statistics."""

    first_day: date
    last_day: date
    conversations_per_day: list[DayCount]
    conversations_by_language: dict[str, int]
    questions_by_area: dict[str, int] = Field(description='Area codes, and "unspecified".')
    questionnaires_started: int
    questionnaires_completed: int
    handoffs_by_area: dict[str, int]
    handoffs_by_language: dict[str, int]
    waiting: WaitFigures
    satisfaction: Satisfaction
