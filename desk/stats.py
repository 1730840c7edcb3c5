"""Anonymous usage counts (POST /api/stats/events) and the managers' statistics (GET /api/stats)."""
from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import date, timedelta
from typing import Annotated, Dict, Iterable, List, Optional

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from desk.auth import require_manager, require_service
from desk.clock import brussels_day, utc_now
from desk.db import DbSession
from desk.models import NO_AREA, SurveyAnswer, UsageCount, WaitSample
from desk.schemas import AREAS, LANGUAGES, DayCount, Satisfaction, Stats, UsageEvent, WaitFigures

router = APIRouter(prefix="/api", tags=["statistics"])
UNSPECIFIED = "unspecified"
INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def count_usage(session: Session, event: UsageEvent, day: date) -> None:
    """Adds one to the day's count in a single INSERT … ON CONFLICT statement, so concurrent events all count."""
    insert = INSERTS[session.get_bind().dialect.name](UsageCount).values(
        day=day, kind=event.kind, language=event.language, area=event.area or NO_AREA, count=1)
    session.execute(insert.on_conflict_do_update(index_elements=["day", "kind", "language", "area"],
                                                 set_={"count": UsageCount.count + 1}))
    session.commit()


def percentile(ordered: List[int], fraction: float) -> Optional[float]:
    """Nearest-rank percentile of sorted values."""
    return float(ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]) if ordered else None


def split(rows: Iterable[UsageCount], key: str, keys: Iterable[str]) -> Dict[str, int]:
    totals = Counter({name: 0 for name in keys})
    for row in rows:
        totals[getattr(row, key) or UNSPECIFIED] += row.count
    return dict(totals)


def summary(session: Session, days: int, today: date) -> Stats:
    first = today - timedelta(days=days - 1)
    usage = session.scalars(sa.select(UsageCount).where(UsageCount.day.between(first, today))).all()
    by_kind: Dict[str, List[UsageCount]] = {}
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
        waiting=WaitFigures(samples=len(waits), median_minutes=statistics.median(waits) if waits else None,
                            p90_minutes=percentile(waits, 0.9)),
        satisfaction=Satisfaction(answers=len(ratings), distribution=dict(distribution),
                                  mean=round(statistics.mean(ratings), 2) if ratings else None),
    )


@router.post("/stats/events", status_code=status.HTTP_204_NO_CONTENT, dependencies=[Depends(require_service)])
def record_event(event: UsageEvent, db: DbSession) -> None:
    """Counts one event of today (Brussels time); nothing identifies the conversation."""
    count_usage(db, event, brussels_day(utc_now()))


@router.get("/stats", response_model=Stats, dependencies=[Depends(require_manager)])
def read_stats(db: DbSession, days: Annotated[int, Query(ge=1, le=366)] = 30) -> Stats:
    """The last `days` days up to today, counts only."""
    return summary(db, days, brussels_day(utc_now()))
