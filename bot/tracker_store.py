"""SQL tracker store configured by one database URL, which stores conversations scrubbed.

Rasa's SQLTrackerStore takes the URL in parts; operators set one variable,
`PASSERELLE_TRACKER_DB_URL` (any SQLAlchemy URL, e.g.
`postgresql://user:password@host:5432/passerelle`), or `url` in endpoints.yml
sets it. Without either, conversations
go to a SQLite file so they survive a restart on a single machine.

Before events are written, what the visitor typed (their messages, and slots
filled from their words) goes through the desk service's scrubber
(`/api/privacy/scrub`): this Python 3.10 environment cannot load the spaCy
models. If the desk does not answer, the texts are withheld rather than stored
as typed. Rasa reads the conversation back from the store at the next message,
so the scrubbed text is also what the actions see from then on.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, List, Optional, Set, Text

import aiohttp
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

log = logging.getLogger(__name__)
DEFAULT_URL = "sqlite:///var/tracker.db"
WITHHELD = "[…]"


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

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            new = list(self._additional_events(session, tracker))
        await scrub_events(new, text_slots(self.domain), tracker.get_slot("language"))
        await super().save(tracker)


def text_slots(domain: Optional[Domain]) -> Set[str]:
    """Slots filled with the visitor's own words (a `from_text` mapping)."""
    if domain is None:
        return set()
    return {slot.name for slot in domain.slots if any(m.get("type") == "from_text" for m in slot.mappings)}


def typed_text(event: Event, slots: Set[str]) -> Optional[str]:
    """The visitor's words carried by an event, if any."""
    if isinstance(event, UserUttered):
        return event.text or None
    if isinstance(event, SlotSet) and event.key in slots and isinstance(event.value, str):
        return event.value
    return None


def replace_text(event: Event, text: str) -> None:
    if isinstance(event, UserUttered):
        event.text = text
        event.parse_data["text"] = text
    else:
        event.value = text


async def scrubbed(texts: List[str], language: Optional[str]) -> List[str]:
    """The texts through the desk's scrubber, or withheld when it cannot be reached."""
    url = os.environ.get("PASSERELLE_DESK_URL", "http://127.0.0.1:8001") + "/api/privacy/scrub"
    headers = {"Authorization": f"Bearer {os.environ.get('PASSERELLE_SERVICE_TOKEN', '')}"}
    body = {"texts": texts, "language": language if language in ("fr", "nl") else None}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
            async with session.post(url, json=body, headers=headers) as response:
                response.raise_for_status()
                return (await response.json())["texts"]
    except (aiohttp.ClientError, OSError, KeyError, ValueError) as error:
        log.error("Scrubber unreachable, %d text(s) withheld from the stored conversation: %s", len(texts), error)
        return [WITHHELD] * len(texts)


async def scrub_events(events: List[Event], slots: Set[str], language: Optional[str]) -> None:
    carrying = [(event, text) for event in events if (text := typed_text(event, slots))]
    if not carrying:
        return
    for (event, _), clean in zip(carrying, await scrubbed([text for _, text in carrying], language)):
        replace_text(event, clean)
