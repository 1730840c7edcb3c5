"""Settings of the Rasa server's own code (channels, tracker store, action calls), from `PASSERELLE_*`.

The Rasa environment has no pydantic-settings, so this is a frozen dataclass read once from the
environment: each field from the variable of its name (`scrub_timeout` from
`PASSERELLE_SCRUB_TIMEOUT`), with the defaults the services use too (common/defaults.py). The
timeouts are chosen so that a visitor always gets a reply within 5 s when a part is hung
(docs/operations.md, "When a part is down"): one action call waits at most `action_timeout`, one
scrubbing request `scrub_timeout`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from common import defaults
from common.vocabulary import DEFAULT_LANGUAGE, LANGUAGES

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(spec: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(part, strict=False) for part in spec.split())


def words(spec: str) -> tuple[str, ...]:
    return tuple(spec.split())


@dataclass(frozen=True)
class RasaSideSettings:
    default_language: str = DEFAULT_LANGUAGE
    cors_origins: tuple[str, ...] = words(defaults.CORS_ORIGINS)
    tracker_db_url: str = defaults.TRACKER_DB_URL
    # The desk's scrubber, called before the visitor's words are stored.
    desk_url: str = defaults.DESK_URL
    service_token: str = ""
    scrub_timeout: float = 1.0
    # One call to the action server; the action server's own calls (search 2.5 s, desk 2 s) fit in it.
    action_timeout: float = 3.5
    # After a failed call, the part is not called again for this long: the visitor gets the fallback at once.
    pause_after_failure: float = 5.0
    # Addresses whose visitors share one address (the centre's kiosks, loopback): no per-address ticket limit.
    # An empty value exempts none.
    ticket_limit_exempt: tuple[IPNetwork, ...] = networks("127.0.0.0/8 ::1/128")


# How a variable's text becomes a field's value, by the field's default; text stays text.
PARSERS: dict[type, Callable[[str], Any]] = {float: float, tuple: words}
# Fields whose empty variable means "none" rather than "the default".
EMPTY_ALLOWED = {"service_token", "ticket_limit_exempt"}


def variable(field: str) -> str:
    return defaults.ENV_PREFIX + field.upper()


def read_settings(environ: Mapping[str, str]) -> RasaSideSettings:
    """The settings, or a ValueError naming the variable that is wrong (never its value: it may be a secret)."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(RasaSideSettings):
        raw = environ.get(variable(field.name))
        if raw is None or (not raw and field.name not in EMPTY_ALLOWED):
            continue
        try:
            if field.name == "ticket_limit_exempt":
                values[field.name] = networks(raw)
            else:
                values[field.name] = PARSERS.get(type(field.default), str)(raw)
        except ValueError:
            raise ValueError(f"{variable(field.name)} is not a valid {type(field.default).__name__}") from None
    settings = RasaSideSettings(**values)
    if settings.default_language not in LANGUAGES:
        raise ValueError(f"{variable('default_language')} must be one of: {', '.join(LANGUAGES)}")
    return settings


@lru_cache
def get_settings() -> RasaSideSettings:
    return read_settings(os.environ)
