"""Refusals of the desk's operations, each with the HTTP status the API answers with."""

from __future__ import annotations

from typing import Any


class DeskError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def content(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        return {"detail": self.detail}

    def headers(self) -> dict[str, str]:
        return {}


class NotFound(DeskError):
    status_code = 404


class NotYours(DeskError):
    """The ticket is claimed by someone else (or by nobody)."""

    status_code = 403


class Conflict(DeskError):
    status_code = 409


class TooMany(DeskError):
    """A limit is reached: 429, `limit` says which one, Retry-After when it lifts."""

    status_code = 429

    def __init__(self, detail: str, limit: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.limit = limit
        self.retry_after_seconds = retry_after_seconds

    def content(self) -> dict[str, Any]:
        return {"detail": self.detail, "limit": self.limit}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class Unavailable(DeskError):
    status_code = 503
