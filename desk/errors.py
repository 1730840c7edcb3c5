"""Refusals of the desk's operations, each with the HTTP status the API answers with."""


class DeskError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DeskError):
    status_code = 404


class NotYours(DeskError):
    """The ticket is claimed by someone else (or by nobody)."""

    status_code = 403


class Conflict(DeskError):
    status_code = 409


class Unavailable(DeskError):
    status_code = 503
