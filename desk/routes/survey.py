"""POST /api/survey: the visitor's satisfaction rating at the end, with an optional (scrubbed) comment."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from common.clock import brussels_day, utc_now
from desk.auth import require_service
from desk.db import DbSession
from desk.models import SurveyAnswer
from desk.schemas import SurveyIn
from privacy.scrubber import get_scrubber

router = APIRouter(prefix="/api", tags=["statistics"])


class Recorded(BaseModel):
    recorded: bool = True


@router.post(
    "/survey", response_model=Recorded, status_code=status.HTTP_201_CREATED, dependencies=[Depends(require_service)]
)
def record_answer(answer: SurveyIn, db: DbSession) -> Recorded:
    comment = (answer.comment or "").strip()
    db.add(
        SurveyAnswer(
            day=brussels_day(utc_now()),
            language=answer.language,
            rating=answer.rating,
            comment=get_scrubber().scrub(comment, answer.language) if comment else None,
            after_handoff=answer.after_handoff,
        )
    )
    db.commit()
    return Recorded()
