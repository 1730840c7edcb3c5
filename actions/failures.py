"""What went wrong with a call, worded for the log.

Exception messages are not logged as they are: httpx puts the whole URL in its
messages, and the search's URL ends in `?q=<the visitor's question>`. The log
gets the exception's type, the HTTP status and the host and path, which say
what failed without saying what the visitor wrote.
"""

from __future__ import annotations

import traceback

import httpx


def where(request: httpx.Request) -> str:
    """`GET 127.0.0.1:8000/api/knowledge/search`: the call without its query string."""
    return f"{request.method} {request.url.host}:{request.url.port}{request.url.path}"


def describe(error: BaseException) -> str:
    """`ReadTimeout on POST 127.0.0.1:8001/api/tickets`, `HTTP 503 from …`, or the exception's type alone."""
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code} from {where(error.request)}"
    if isinstance(error, httpx.RequestError):
        try:
            return f"{type(error).__name__} on {where(error.request)}"
        except RuntimeError:  # an error raised before the request was built has none
            pass
    return type(error).__name__


def frames(error: BaseException) -> str:
    """Where an unexpected exception was raised (file, line, code), without its message."""
    return "".join(traceback.format_tb(error.__traceback__))
