"""The desk's tables. Statistics tables hold counts only: nothing in them leads back to a ticket or a visitor."""

from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.clock import utc_now

# Usage counts without an area keep this value: a unique key over a NULL would not stop duplicates.
NO_AREA = ""


class UTCDateTime(sa.TypeDecorator):
    """Timezone-aware datetimes, stored in UTC; SQLite hands them back naive, so UTC is put back on."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: the desk stores aware datetimes only")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    metadata = sa.MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {datetime: UTCDateTime}


class Counsellor(Base):
    __tablename__ = "counsellors"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    areas: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    on_duty: Mapped[bool] = mapped_column(default=False)
    is_manager: Mapped[bool] = mapped_column(default=False)
    disabled: Mapped[bool] = mapped_column(default=False)
    ui_language: Mapped[str] = mapped_column(sa.String(2), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    def covers(self, language: str, area: str | None) -> bool:
        """Whether the ticket's language is one of theirs and its area (when known) too."""
        return language in self.languages and (area is None or area in self.areas)


class CounsellorSession(Base):
    """A login. The counsellor's cookie holds a random token, this row only its SHA-256: a copy of the
    database opens no session. Logging out, or disabling the account, revokes it at once."""

    __tablename__ = "counsellor_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    counsellor_id: Mapped[int] = mapped_column(sa.ForeignKey("counsellors.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]


class LoginFailures(Base):
    """Failed logins of one account or one client address, keyed by an HMAC of the login or the address
    (neither is stored)."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int]
    last_failure_at: Mapped[datetime] = mapped_column(index=True)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        sa.UniqueConstraint("day", "number"),
        sa.Index("ix_tickets_status_language", "status", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(8))
    day: Mapped[date]
    client_ref: Mapped[str] = mapped_column(sa.String(100), unique=True)
    # Indexed, as the per-conversation ticket limit counts by it.
    conversation_id: Mapped[str] = mapped_column(sa.String(255), index=True)
    # Pseudonymous key of the visitor's network address (the Rasa channel's HMAC), for the per-address limit.
    client_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    language: Mapped[str] = mapped_column(sa.String(2))
    area: Mapped[str | None] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.String(32))
    recap: Mapped[str] = mapped_column(sa.Text)
    answers: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    goal: Mapped[str | None] = mapped_column(sa.Text)
    questions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    passages: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    excerpt: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default="waiting")
    claimed_by_id: Mapped[int | None] = mapped_column(
        "claimed_by", sa.ForeignKey("counsellors.id", ondelete="SET NULL")
    )
    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    requested_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    # The first claim: a ticket released and claimed again keeps it (the visitor's wait ended there).
    claimed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    claimer: Mapped[Counsellor | None] = relationship(lazy="joined")


class UsageCount(Base):
    __tablename__ = "usage_counts"
    __table_args__ = (sa.UniqueConstraint("day", "kind", "language", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(32))
    language: Mapped[str] = mapped_column(sa.String(2))
    area: Mapped[str] = mapped_column(sa.String(32), default=NO_AREA)
    count: Mapped[int] = mapped_column(default=0)


class WaitSample(Base):
    __tablename__ = "wait_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    language: Mapped[str] = mapped_column(sa.String(2))
    area: Mapped[str | None] = mapped_column(sa.String(32))
    minutes: Mapped[int]


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    language: Mapped[str] = mapped_column(sa.String(2))
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    after_handoff: Mapped[bool]
