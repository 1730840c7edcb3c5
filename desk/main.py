"""The counsellor desk service: `uvicorn desk.main:app` (port PASSERELLE_DESK_PORT, 8001, in `make run`)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from common.logs import keep_queries_out_of
from common.text import safe_text
from desk.db import Database
from desk.duty import end_duty_at_closing
from desk.errors import DeskError
from desk.migrate import upgrade
from desk.rendering import http_error_page
from desk.retention import purge_every
from desk.routes import login, me, pages, privacy, queue_events, stats, survey, tickets
from desk.same_origin import SameOriginMiddleware
from desk.sessions import SESSION_MAX_AGE
from desk.settings import DeskSettings, get_settings, with_secrets
from privacy.scrubber import get_scrubber

STATIC = Path(__file__).with_name("static")
# A query string may hold what a form sent without its script (or a visitor's text): never in the access log.
keep_queries_out_of("uvicorn.access")


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Upgrades the database and loads the scrubber's language model (so the first ticket does not wait for
    it), then purges what is past retention in the background: at once, then every few hours; and ends
    everyone's duty when the centre closes (desk/duty.py). A failing purge is logged and does not stop the
    desk."""
    settings: DeskSettings = app.state.settings
    database: Database = app.state.database
    await asyncio.to_thread(upgrade, settings.database_url)
    await asyncio.to_thread(get_scrubber)
    background = [
        asyncio.create_task(purge_every(database, settings)),
        asyncio.create_task(end_duty_at_closing(database, settings)),
    ]
    try:
        yield
    finally:
        for task in background:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        database.dispose()


health_router = APIRouter(tags=["service"])


@health_router.get("/api/health")
def health() -> dict:
    """Public: the launcher waits for it."""
    return {"status": "ok"}


async def refused(_request: Request, error: DeskError) -> JSONResponse:
    return JSONResponse(error.content(), status_code=error.status_code, headers=error.headers())


def invalid_field(error: dict) -> dict:
    """One validation error: which field and what is wrong, without the value sent (what a visitor typed,
    which has no place in an answer the outbox logs; NaN or a lone surrogate would also make the answer
    itself fail)."""
    location = [safe_text(part) if isinstance(part, str) else part for part in error["loc"]]
    return {"type": error["type"], "loc": location, "msg": safe_text(error["msg"])}


async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    """422 in FastAPI's form ({"detail": [{"type", "loc", "msg"}]}), without the values sent."""
    return JSONResponse({"detail": [invalid_field(item) for item in error.errors()]}, status_code=422)


def create_app(settings: DeskSettings | None = None) -> FastAPI:
    settings = with_secrets(settings or get_settings())
    app = FastAPI(
        title="Passerelle counsellor desk",
        description="Handoff tickets from the assistant to the counsellors of the Cité des métiers – "
        "Beroepenpunt, and the anonymous statistics.",
        version="1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = Database(settings.database_url)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie="desk_session",
        max_age=SESSION_MAX_AGE,
        same_site="strict",
        https_only=settings.cookie_secure,
    )
    # Added last, so it runs first: a cross-site request is refused before anything else.
    app.add_middleware(SameOriginMiddleware)
    # Starlette types a handler as taking any Exception, not the class it is registered for.
    app.add_exception_handler(DeskError, refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error_page)  # type: ignore[arg-type]
    for router in (
        login.router,
        queue_events.router,
        tickets.router,
        me.router,
        stats.router,
        survey.router,
        privacy.router,
        pages.router,
        health_router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    return app


# Declared only: the module has no `app` until __getattr__ makes it.
app: FastAPI


def __getattr__(name: str) -> FastAPI:
    """`desk.main:app`, built from the environment when uvicorn first asks for it: importing the module
    (tests build apps with their own settings) reads no settings, and missing secrets stop only the service."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    global app
    app = create_app()
    return app
