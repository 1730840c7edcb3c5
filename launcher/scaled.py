"""`make run-scaled N=2`: the topology of a scaled-out production set-up, on this machine.

N Rasa servers, each with its own action server, share the conversations in PostgreSQL and take
turns on a conversation through Rasa's lock store in Redis (bot/lock_store.py); one desk (on
PostgreSQL) and one web service; nginx in front with the production snippets (launcher/edge.py).
Instance i (from 1) has Rasa on `rasa_port + i - 1` and its action server on `actions_port + i - 1`;
its action server keeps its own outbox and gives outbox numbers that no other instance gives
(actions/handoff/outbox.py).
"""

from __future__ import annotations

import re

from sqlalchemy import create_engine, text

from common import defaults
from desk.db import parse_url
from launcher.edge import SHARED_ADDRESSES, edge_service
from launcher.endpoints import write_endpoints
from launcher.services import Service, action_server, desk_service, rasa_server, web_service
from launcher.settings import LauncherSettings


class NotScalable(ValueError):
    """A setting the scaled topology cannot run with; the message says which and why."""


def database_urls(settings: LauncherSettings) -> tuple[str, str]:
    """The desk's and the conversations' databases: PostgreSQL, set or on the local server."""
    desk = settings.desk_db_url if "desk_db_url" in settings.model_fields_set else defaults.SCALED_DESK_DB_URL
    tracker = (
        settings.tracker_db_url if "tracker_db_url" in settings.model_fields_set else defaults.SCALED_TRACKER_DB_URL
    )
    for variable, url in (("DATABASE_URL", desk), ("PASSERELLE_TRACKER_DB_URL", tracker)):
        if not url.startswith("postgresql"):
            raise NotScalable(f"{variable} must name a PostgreSQL database: several processes write to it")
    return desk, tracker


def ensure_database(url: str) -> None:
    """Creates the database of a PostgreSQL URL on its server when it does not exist yet."""
    target = parse_url(url)
    name = target.database or ""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise NotScalable(f"database name {name!r}: use lower-case letters, digits and _")
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(text("select 1 from pg_database where datname = :name"), {"name": name})
            if found.scalar() is None:
                connection.execute(text(f"create database {name}"))
    finally:
        engine.dispose()


def scaled_services(settings: LauncherSettings, instances: int) -> list[Service]:
    """The services in the order they start: the desk, the web service, each instance's action server and
    Rasa server, nginx. `settings.cors_origins` becomes nginx's origin: the pages come from there."""
    if instances < 1:
        raise NotScalable("N must be 1 or more")
    if not settings.redis_url and instances > 1:
        raise NotScalable("PASSERELLE_REDIS_URL is empty: several Rasa servers need the Redis lock store")
    desk_db, tracker_db = database_urls(settings)
    for url in (desk_db, tracker_db):
        ensure_database(url)
    edge = settings.edge_url
    settings.cors_origins = f"{edge} http://localhost:{settings.edge_port}"
    directory = settings.scaled_dir
    services = [
        desk_service(settings, {"DATABASE_URL": desk_db, "PASSERELLE_TRACKER_DB_URL": tracker_db}, behind_proxy=True),
        web_service(settings, public_rasa_url=edge),
    ]
    rasa_addresses = []
    for index in range(instances):
        number, rasa_port = index + 1, settings.rasa_port + index
        actions = action_server(
            settings,
            port=settings.actions_port + index,
            rasa_port=rasa_port,
            name=f"action server {number}",
            extra_env={
                "PASSERELLE_INSTANCE": str(number),
                "PASSERELLE_INSTANCES": str(instances),
                "PASSERELLE_OUTBOX_FILE": str(directory / f"outbox-{number}.db"),
            },
        )
        endpoints = write_endpoints(directory / f"endpoints-{number}.yml", actions.address, settings.redis_url)
        rasa = rasa_server(
            settings,
            # Behind nginx: the visitor's address (per-address ticket limit) is in X-Forwarded-For.
            extra_env={
                "PASSERELLE_TRACKER_DB_URL": tracker_db,
                "SANIC_PROXIES_COUNT": "1",
                "PASSERELLE_TICKET_LIMIT_EXEMPT": SHARED_ADDRESSES,
            },
            endpoints=endpoints,
            port=rasa_port,
            name=f"Rasa server {number}",
        )
        services += [actions, rasa]
        rasa_addresses.append(f"127.0.0.1:{rasa_port}")
    services.append(
        edge_service(
            directory / "nginx",
            settings.edge_port,
            settings.edge_desk_port,
            rasa_addresses,
            f"127.0.0.1:{settings.web_port}",
            f"127.0.0.1:{settings.desk_port}",
        )
    )
    return services
