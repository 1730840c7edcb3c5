"""The visitors' routes in the web service: the website widget's script, its demo host page, the kiosk
page with its script and QR codes, static files.

Each visitor UI is served as ONE script (`visitor_script`): the shared chat core,
then what the server knows (Rasa's public address, the texts in both languages,
the UI's stylesheet), then the UI itself. Built once per process and kept in memory.
"""

from __future__ import annotations

import io
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import segno
import yaml
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from common.vocabulary import DEFAULT_LANGUAGE, Language
from visitor_chat.settings import get_settings

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEXTS_FILE = HERE / "texts.yml"
JAVASCRIPT = "text/javascript; charset=utf-8"
# Short: a new release reaches the website's visitors within minutes.
SCRIPT_CACHE = "public, max-age=300"

router = APIRouter(tags=["visitor chat"])
router.mount("/visitor-static", StaticFiles(directory=STATIC), name="visitor-static")
templates = Jinja2Templates(directory=HERE / "templates")


@lru_cache(maxsize=1)
def texts() -> dict:
    """texts.yml: for each section (core, widget, kiosk), a map of texts per language."""
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


@cache
def visitor_script(ui_script: str, section: str, stylesheet: str | None = None) -> str:
    """chat-core.js, then `PasserelleChat.served` (server address, the core's and `section`'s texts,
    the stylesheet's text if any), then the UI script; file names are under static/."""
    served = {
        "server": get_settings().public_rasa_url,
        "texts": {"core": texts()["core"], section: texts()[section]},
        "stylesheet": (STATIC / stylesheet).read_text(encoding="utf-8") if stylesheet else None,
    }
    parts = [
        (STATIC / "chat-core.js").read_text(encoding="utf-8"),
        f"PasserelleChat.served = {json.dumps(served, ensure_ascii=False, separators=(',', ':'))};",
        (STATIC / ui_script).read_text(encoding="utf-8"),
    ]
    return "\n".join(parts)


def script_response(body: str) -> Response:
    return Response(body, media_type=JAVASCRIPT, headers={"Cache-Control": SCRIPT_CACHE})


@router.get("/widget.js", include_in_schema=False)
def widget_script() -> Response:
    """The website widget: embedded by a host page with one script tag (see templates/demo.html)."""
    # The widget lives in a shadow root, where the host page's styles cannot reach: its CSS goes in with it.
    return script_response(visitor_script("widget.js", "widget", "widget.css"))


DEMO_PAGES = ("home", "workshops")


@router.get("/widget/demo", response_class=HTMLResponse, include_in_schema=False)
@router.get("/widget/demo/{page}", response_class=HTMLResponse, include_in_schema=False)
def widget_demo(
    request: Request,
    page: Literal[DEMO_PAGES] = "home",  # type: ignore[valid-type]
    lang: Language = DEFAULT_LANGUAGE,
    transport: Literal["auto", "socketio", "rest"] | None = Query(None, description="Forces a transport (tests)."),
) -> HTMLResponse:
    """An imaginary page of the centre's website with the widget, in French or Dutch."""
    return templates.TemplateResponse(request, "demo.html", {"page": page, "lang": lang, "transport": transport})


# The kiosk: full-screen chat on the centre's shared computers and tablets (templates/kiosk.html, static/kiosk.js).
QR_TEXT_MAX = 500


def kiosk_headers() -> dict:
    """Nothing leaves the page: no form target, no frame, no script or image from elsewhere; only Rasa is reached."""
    rasa = urlsplit(get_settings().public_rasa_url)
    socket_scheme = "wss" if rasa.scheme == "https" else "ws"
    return {
        "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' {rasa.scheme}://{rasa.netloc} {socket_scheme}://{rasa.netloc}; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        # A shared device: the browser keeps no copy of the page.
        "Cache-Control": "no-store",
    }


@router.get("/kiosk", response_class=HTMLResponse, include_in_schema=False)
def kiosk_page(request: Request) -> HTMLResponse:
    """The kiosk chat: a start screen with the two languages, then the conversation, wiped for the next visitor."""
    settings = get_settings()
    timing = {
        "idle_seconds": settings.kiosk_idle_seconds,
        "warning_seconds": settings.kiosk_warning_seconds,
        "session_seconds": settings.kiosk_session_minutes * 60,
    }
    context = {
        "t": texts()["kiosk"],
        "core": texts()["core"],
        "settings": timing,
        "css_url": request.url_for("visitor-static", path="kiosk.css").path,
    }
    return templates.TemplateResponse(request, "kiosk.html", context, headers=kiosk_headers())


@router.get("/kiosk.js", include_in_schema=False)
def kiosk_script() -> Response:
    return script_response(visitor_script("kiosk.js", "kiosk"))


@router.get("/kiosk/qr.svg", include_in_schema=False)
def kiosk_qr_code(text: str = Query(..., min_length=1, max_length=QR_TEXT_MAX)) -> Response:
    """A QR code of `text` (a link in a bot message): the kiosk shows links this way, to scan with one's phone."""
    svg = io.BytesIO()
    segno.make(text, error="m").save(
        svg, kind="svg", border=4, xmldecl=False, omitsize=True, dark="#000000", light="#ffffff"
    )
    # Not kept by the shared kiosk's browser: a plan's code holds the visitor's answers.
    return Response(svg.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"})
