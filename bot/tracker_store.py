"""SQL tracker store configured by one database URL.

Rasa's SQLTrackerStore takes the URL in parts; operators set one variable,
`PASSERELLE_TRACKER_DB_URL` (any SQLAlchemy URL, e.g.
`postgresql://user:password@host:5432/passerelle`), or `url` in endpoints.yml
sets it. Without either, conversations
go to a SQLite file so they survive a restart on a single machine.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine.url import make_url

DEFAULT_URL = "sqlite:///var/tracker.db"


def tracker_db_url() -> Text:
    return os.environ.get("PASSERELLE_TRACKER_DB_URL") or DEFAULT_URL


class UrlSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose connection comes from `PASSERELLE_TRACKER_DB_URL`."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        # Rasa passes the endpoint's `url` as `host` to custom tracker stores.
        url = make_url(host or tracker_db_url())
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database,
            username=url.username,
            password=url.password,
            query=dict(url.query),
            event_broker=event_broker,
            **kwargs,
        )
