"""Log records without query strings.

A search's URL ends in `?q=<the visitor's question>`, and libraries log URLs as they are: httpx logs
every request it makes at INFO, uvicorn's access log every request it serves. This filter cuts the
query string off every URL and path in a record, so the log says what was called, never what was asked.
"""

from __future__ import annotations

import logging
import re

# A URL or an absolute path, then "?" and the query up to the next space or quote.
QUERY = re.compile(r"((?:[a-z][a-z0-9+.-]*://|/)[^\s?'\"]*)\?[^\s'\"]*", re.IGNORECASE)


def without_query(value: object) -> object:
    """`value` with its query strings cut off; other arguments unchanged (a `%d` must still get a number).

    URL objects (httpx's and yarl's `URL`) are logged through `str()`, so they are cut as text.
    """
    if isinstance(value, str):
        return QUERY.sub(r"\1", value)
    if type(value).__name__ == "URL":
        return QUERY.sub(r"\1", str(value))
    return value


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = without_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_query(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: without_query(arg) for key, arg in record.args.items()}
        return True


def keep_queries_out_of(*logger_names: str) -> None:
    """Puts the filter on these loggers (once each): it applies to every record they make."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, NoQueryStrings) for f in logger.filters):
            logger.addFilter(NoQueryStrings())
