"""CSRF guard: a state-changing request sent by a browser from another site is refused.

The session cookie is SameSite=Strict already; this also refuses any POST, PUT, PATCH or DELETE whose
Origin header (sent by browsers) names another host than the one the request is addressed to.
Requests without Origin (the action server, curl) pass. A reverse proxy must pass the Host header on.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def same_host(origin: str, host: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()


class SameOriginMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and not same_host(origin, headers.get("host", "")):
                refusal = JSONResponse({"detail": "cross-site request refused"}, status_code=403)
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
