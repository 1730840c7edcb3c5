"""POST /api/privacy/scrub: the host's one scrubber, for the Rasa tracker store (whose environment cannot load
spaCy) and the action server (which loads no language model)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from desk.auth import require_service
from desk.schemas import ScrubRequest, ScrubResponse
from privacy.scrubber import get_scrubber

router = APIRouter(prefix="/api", tags=["privacy"])


@router.post("/privacy/scrub", response_model=ScrubResponse, dependencies=[Depends(require_service)])
def scrub(request: ScrubRequest) -> ScrubResponse:
    """The texts in the same order, with names, e-mail addresses, phone, national register and IBAN numbers
    and street addresses replaced by placeholders in `language` (French when not given)."""
    return ScrubResponse(texts=get_scrubber().scrub_value(request.texts, request.language))
