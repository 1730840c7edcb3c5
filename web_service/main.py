"""The search API: `uvicorn web_service.main:app` (started by `make run`)."""

from __future__ import annotations

from collections import Counter
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from starlette.middleware.gzip import GZipMiddleware

from common.logs import keep_queries_out_of
from knowledge.search import KnowledgeSearch
from visitor_chat.plan_page import router as plan_page_router
from visitor_chat.router import router as visitor_chat_router
from web_service.schemas import AnswerParameters, AnswerResponse, SearchParameters, SearchResponse

# Uvicorn's access log names each request's path and query (`?q=<question>`). Uvicorn sets its loggers
# up before it imports the app, so the filter stays on.
keep_queries_out_of("uvicorn.access")


@asynccontextmanager
async def lifespan(app: FastAPI):
    # Loads the model and the index (building either if missing) before serving.
    app.state.search = KnowledgeSearch.from_settings()
    yield


app = FastAPI(
    title="Passerelle knowledge search",
    description="Searches the Cité des métiers – Beroepenpunt's content for the five areas, in French and Dutch.",
    version="1.0",
    lifespan=lifespan,
)
app.add_middleware(GZipMiddleware, minimum_size=500)
# The visitors' chat: the website widget's script and demo page, the kiosk.
app.include_router(visitor_chat_router)
app.include_router(plan_page_router)


def each_parameter_once(request: Request) -> None:
    """A parameter given twice (`?q=a&q=b`) is a 422: otherwise the last one would silently win."""
    known = SearchParameters.model_fields.keys() | AnswerParameters.model_fields.keys()
    counts = Counter(name for name, _ in request.query_params.multi_items() if name in known)
    repeated = sorted(name for name, count in counts.items() if count > 1)
    if repeated:
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("query", name),
                    "input": None,
                    "msg": "given more than once; give it once",
                }
                for name in repeated
            ]
        )


@app.get(
    "/api/knowledge/search",
    response_model=SearchResponse,
    tags=["knowledge"],
    dependencies=[Depends(each_parameter_once)],
)
async def search(request: Request, parameters: Annotated[SearchParameters, Query()]) -> SearchResponse:
    """The best passage of the `k` topics that best answer `q`, best first."""
    engine: KnowledgeSearch = request.app.state.search
    hits = await run_in_threadpool(engine.search, parameters.q, parameters.lang, parameters.area, parameters.k)
    return SearchResponse(results=[hit.to_dict() for hit in hits], min_score=engine.min_score)


@app.get(
    "/api/knowledge/answer",
    response_model=AnswerResponse,
    tags=["knowledge"],
    dependencies=[Depends(each_parameter_once)],
)
async def answer(request: Request, parameters: Annotated[AnswerParameters, Query()]) -> AnswerResponse:
    """What the assistant tells a visitor who asks `q`: an answer composed from one sheet, two sheets
    to choose from, or no reliable answer."""
    engine: KnowledgeSearch = request.app.state.search
    if parameters.topic is not None and parameters.topic not in engine.topics:
        raise HTTPException(
            422, detail=[{"type": "value_error", "loc": ["query", "topic"], "msg": "no such topic", "input": None}]
        )
    found = await run_in_threadpool(engine.answer, parameters.q, parameters.lang, parameters.topic)
    return AnswerResponse(
        decision=found.decision.kind,
        confidence=round(found.decision.confidence, 4),
        topics=list(found.decision.topics),
        answer=found.answer.to_dict() if found.answer else None,
        choices=found.choices,
        elsewhere=found.elsewhere,
        known_words=found.known_words,
        definitions=found.definitions,
    )


@app.get("/api/health", tags=["service"])
async def health(request: Request) -> dict:
    return {"status": "ok", "passages": len(request.app.state.search.passages)}
