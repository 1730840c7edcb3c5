"""Anonymous usage counts and the managers' statistics from the database (desk/routes/stats.py serves them)."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from common.vocabulary import AREAS, LANGUAGES
from desk.models import NO_AREA, SurveyAnswer, UsageCount, WaitSample
from desk.schemas import DayCount, Satisfaction, Stats, UsageEvent, WaitFigures

UNSPECIFIED = "unspecified"
# The dialects' own INSERT: the generic one has no ON CONFLICT.
INSERTS: dict[str, Callable[[type[UsageCount]], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def count_usage(session: Session, event: UsageEvent, day: date) -> None:
    """Adds one to the day's count in a single INSERT … ON CONFLICT statement, so concurrent events all count."""
    insert = INSERTS[session.get_bind().dialect.name](UsageCount).values(
        day=day, kind=event.kind, language=event.language, area=event.area or NO_AREA, count=1
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["day", "kind", "language", "area"], set_={"count": UsageCount.count + 1}
        )
    )
    session.commit()


def percentile(ordered: list[int], fraction: float) -> float | None:
    """Nearest-rank percentile of sorted values."""
    return float(ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]) if ordered else None


def split(rows: Iterable[UsageCount], key: str, keys: Iterable[str]) -> dict[str, int]:
    totals = Counter({name: 0 for name in keys})
    for row in rows:
        totals[getattr(row, key) or UNSPECIFIED] += row.count
    return dict(totals)


def summary(session: Session, days: int, today: date) -> Stats:
    first = today - timedelta(days=days - 1)
    usage = session.scalars(sa.select(UsageCount).where(UsageCount.day.between(first, today))).all()
    by_kind: dict[str, list[UsageCount]] = {}
    for row in usage:
        by_kind.setdefault(row.kind, []).append(row)
    per_day = Counter({first + timedelta(days=offset): 0 for offset in range(days)})
    for row in by_kind.get("conversation", []):
        per_day[row.day] += row.count
    waits = sorted(session.scalars(sa.select(WaitSample.minutes).where(WaitSample.day.between(first, today))))
    ratings = list(session.scalars(sa.select(SurveyAnswer.rating).where(SurveyAnswer.day.between(first, today))))
    distribution = Counter({str(rating): 0 for rating in range(1, 6)})
    distribution.update(str(rating) for rating in ratings)
    areas = (*AREAS, UNSPECIFIED)
    return Stats(
        first_day=first,
        last_day=today,
        conversations_per_day=[DayCount(day=day, count=count) for day, count in sorted(per_day.items())],
        conversations_by_language=split(by_kind.get("conversation", []), "language", LANGUAGES),
        questions_by_area=split(by_kind.get("question", []), "area", areas),
        questionnaires_started=sum(row.count for row in by_kind.get("questionnaire_started", [])),
        questionnaires_completed=sum(row.count for row in by_kind.get("questionnaire_completed", [])),
        handoffs_by_area=split(by_kind.get("handoff", []), "area", areas),
        handoffs_by_language=split(by_kind.get("handoff", []), "language", LANGUAGES),
        waiting=WaitFigures(
            samples=len(waits),
            median_minutes=statistics.median(waits) if waits else None,
            p90_minutes=percentile(waits, 0.9),
        ),
        satisfaction=Satisfaction(
            answers=len(ratings),
            distribution=dict(distribution),
            mean=round(statistics.mean(ratings), 2) if ratings else None,
        ),
    )
