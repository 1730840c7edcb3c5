"""POST /api/stats/events (anonymous usage counts from the action server and, for new conversations, from the
Rasa server) and GET /api/stats (managers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from common.clock import brussels_day, utc_now
from desk.auth import require_manager, require_service
from desk.db import DbSession
from desk.schemas import Stats, UsageEvent
from desk.stats import count_usage, summary

router = APIRouter(prefix="/api", tags=["statistics"])


@router.post("/stats/events", status_code=status.HTTP_204_NO_CONTENT, dependencies=[Depends(require_service)])
def record_event(event: UsageEvent, db: DbSession) -> None:
    """Counts one event of today (Brussels time); nothing identifies the conversation."""
    count_usage(db, event, brussels_day(utc_now()))


@router.get("/stats", response_model=Stats, dependencies=[Depends(require_manager)])
def read_stats(db: DbSession, days: Annotated[int, Query(ge=1, le=366)] = 30) -> Stats:
    """The last `days` days up to today, counts only."""
    return summary(db, days, brussels_day(utc_now()))
