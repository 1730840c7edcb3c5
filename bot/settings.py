"""Settings of the Rasa server's own code (channels, tracker store, action calls), from `PASSERELLE_*`.

The Rasa environment has no pydantic-settings, so this is a frozen dataclass read once from the
environment. The timeouts are chosen so that a visitor always gets a reply within 5 s when a
part is hung (docs/operations.md, "When a part is down"): one action call waits at most
`action_timeout`, one scrubbing request `scrub_timeout`.
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from functools import lru_cache

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(spec: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(part, strict=False) for part in spec.split())


@dataclass(frozen=True)
class RasaSideSettings:
    # Language of a reply when nothing tells the visitor's.
    default_language: str = "fr"
    # Browser origins allowed on the channels (space separated).
    cors_origins: tuple[str, ...] = ("http://127.0.0.1:8000", "http://localhost:8000")
    # Where conversations are stored: any SQLAlchemy URL.
    tracker_db_url: str = "sqlite:///var/tracker.db"
    # The desk's scrubber, called before the visitor's words are stored.
    desk_url: str = "http://127.0.0.1:8001"
    service_token: str = ""
    scrub_timeout: float = 1.0
    # One call to the action server; the action server's own calls (search 2.5 s, desk 2 s) fit in it.
    action_timeout: float = 3.5
    # After a failed call, the part is not called again for this long: the visitor gets the fallback at once.
    pause_after_failure: float = 5.0
    # Addresses whose visitors share one address (the centre's kiosks, loopback): no per-address ticket limit.
    limit_exempt_networks: tuple[IPNetwork, ...] = networks("127.0.0.0/8 ::1/128")


@lru_cache
def get_settings() -> RasaSideSettings:
    env = os.environ.get
    defaults = RasaSideSettings()
    exempt = env("PASSERELLE_TICKET_LIMIT_EXEMPT")
    origins = env("PASSERELLE_CORS_ORIGINS")
    return RasaSideSettings(
        default_language=env("PASSERELLE_DEFAULT_LANGUAGE") or defaults.default_language,
        cors_origins=tuple(origins.split()) if origins else defaults.cors_origins,
        tracker_db_url=env("PASSERELLE_TRACKER_DB_URL") or defaults.tracker_db_url,
        desk_url=env("PASSERELLE_DESK_URL") or defaults.desk_url,
        service_token=env("PASSERELLE_SERVICE_TOKEN", defaults.service_token),
        scrub_timeout=float(env("PASSERELLE_SCRUB_TIMEOUT") or defaults.scrub_timeout),
        action_timeout=float(env("PASSERELLE_ACTION_TIMEOUT") or defaults.action_timeout),
        pause_after_failure=float(env("PASSERELLE_PAUSE_AFTER_FAILURE") or defaults.pause_after_failure),
        limit_exempt_networks=networks(exempt) if exempt is not None else defaults.limit_exempt_networks,
    )
