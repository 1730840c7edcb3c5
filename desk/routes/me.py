"""GET/PUT /api/me: the logged-in counsellor's languages, areas, duty and interface language."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from desk.auth import CurrentCounsellor
from desk.db import DbSession
from desk.models import Counsellor
from desk.schemas import Me, MeUpdate

router = APIRouter(prefix="/api", tags=["counsellors"])


def me_of(counsellor: Counsellor) -> Me:
    return Me(
        login=counsellor.login,
        languages=counsellor.languages,
        areas=counsellor.areas,
        on_duty=counsellor.on_duty,
        ui_language=counsellor.ui_language,
        is_manager=counsellor.is_manager,
    )


def update_me(db: Session, counsellor: Counsellor, update: MeUpdate) -> Counsellor:
    for name, value in update.model_dump().items():
        setattr(counsellor, name, value)
    db.commit()
    return counsellor


@router.get("/me", response_model=Me)
def read_me(counsellor: CurrentCounsellor) -> Me:
    return me_of(counsellor)


@router.put("/me", response_model=Me)
def replace_me(update: MeUpdate, db: DbSession, counsellor: CurrentCounsellor) -> Me:
    return me_of(update_me(db, counsellor, update))
