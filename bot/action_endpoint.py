"""The Rasa server's calls to the action server over one kept-alive connection pool.

Rasa 3.6 opens a new HTTP session, so a new connection, for every call to the action server
(`EndpointConfig.request`), and encodes the body with the standard `json` module: under `make bench-load`
both were a visible share of the Rasa server's time (docs/benchmarks.md). Here the calls go through one
session per action server URL, made on first use inside the server's event loop, and the body is encoded
with ujson (a dependency of Rasa and Sanic). URL, headers, token and errors are Rasa's: an answer of 400
or more raises Rasa's `ClientResponseError`, which Rasa turns into a form's rejection or a failed action.
An endpoint with a CA file or basic authentication (not Passerelle's) keeps Rasa's own request.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import ujson
from aiohttp.client_exceptions import ContentTypeError
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

# One session per event loop and URL: a session belongs to the loop it was made in.
_sessions: dict[tuple[asyncio.AbstractEventLoop, str], aiohttp.ClientSession] = {}


def kept_session(url: str) -> aiohttp.ClientSession:
    key = (asyncio.get_running_loop(), url)
    session = _sessions.get(key)
    if session is None or session.closed:
        session = _sessions[key] = aiohttp.ClientSession(json_serialize=ujson.dumps)
    return session


class KeptAliveEndpoint(EndpointConfig):
    """An `EndpointConfig` whose requests share one connection pool."""

    @classmethod
    def of(cls, endpoint: EndpointConfig) -> EndpointConfig:
        if isinstance(endpoint, cls) or endpoint.cafile or endpoint.basic_auth:
            return endpoint
        kept = cls.__new__(cls)
        kept.__dict__.update(endpoint.__dict__)
        return kept

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any:
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(kwargs.pop("headers", None) or {})
        headers.update(self.headers or {})
        async with kept_session(self.url).request(
            method,
            concat_url(self.url, subpath),
            headers=headers,
            params=self.combine_parameters(kwargs),
            compress=compress,
            **kwargs,
        ) as response:
            if response.status >= 400:
                raise ClientResponseError(response.status, response.reason, await response.content.read())
            try:
                return await response.json()
            except ContentTypeError:
                return None


async def close_sessions() -> None:
    """Closes this event loop's sessions (the server is stopping)."""
    loop = asyncio.get_running_loop()
    for key in [key for key in _sessions if key[0] is loop]:
        await _sessions.pop(key).close()
