"""SQL tracker store configured by one database URL, which stores conversations scrubbed and never
stops the server.

Rasa's SQLTrackerStore takes the URL in parts; operators set one variable,
`PASSERELLE_TRACKER_DB_URL` (any SQLAlchemy URL, e.g.
`postgresql://user:password@host:5432/passerelle`), or `url` in endpoints.yml sets it. Without
either, conversations go to a SQLite file so they survive a restart on a single machine.

Before events are written, what the visitor typed (their messages, and slots filled from their
words) goes through the desk service's scrubber (`/api/privacy/scrub`): this Python 3.10
environment cannot load the spaCy models. The save runs after the reply has gone out
(bot/pending_saves.py says what keeps that correct), and writes each new event once (Rasa's own
save counted the stored events a second time). If the desk does not answer within
`PASSERELLE_SCRUB_TIMEOUT` (1 s), the texts are stored as `[…]` rather than as typed, and the
scrubber is left alone for a few seconds, so that the next turns do not wait for it too. The
scrubbing changes the saved events in place, and the tracker's text slots with them, so the scrubbed
text is also what the actions see from then on.

Rasa reads the whole conversation back from the database at every message (each event's JSON parsed, then
replayed onto a new tracker): under load that was the largest share of the Rasa server's time. Here the
tracker of a conversation saved by this server stays in memory (the most recent `CACHED_CONVERSATIONS`) and
is used again as long as the database holds nothing newer: one indexed query (the conversation's last row
id) instead of the whole read. Another Rasa instance that took a message of the conversation has written
rows since, so the conversation is read again; a turn that changed the tracker without saving it (it
failed) has more events than were stored, so the conversation is read again too. A tracker idle for
longer than the domain's session expiry is read again (a new session then starts; the retention purge may have
deleted its old events). While the database does not answer, a kept tracker is still used.

Rasa 3.6's SQL store calls `sys.exit` on any `ValueError` in a database session (it takes it for
a missing PostgreSQL schema): one sender id that the database cannot encode stopped the whole
server. Here a database error fails that save only. A save that fails (database down) keeps the
conversation in memory, where the next message of that conversation finds it, and it is written
with that message's turn, once the database answers. (A conversation whose first message comes
while the database is down starts afresh: Rasa cannot read its earlier turns then.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import pending_saves
from bot.desk_session import desk_session
from bot.pause import PauseAfterFailure
from bot.settings import RasaSideSettings, get_settings
from common.limits import max_message_chars
from common.text import WITHHELD
from common.vocabulary import LANGUAGES

log = logging.getLogger(__name__)
# The attribute a tracker carries with the number of its events the database holds, where known: counting
# them there took 5 % of the Rasa server's time under load (docs/benchmarks.md).
STORED = "_passerelle_stored_events"
# Conversations kept in memory while the database is down, at most (the oldest are dropped first).
MAX_UNSAVED = 1000
# Saved conversations whose tracker is kept for their next message, at most (the least recent are dropped).
# A peak of the website has a few dozen conversations going at once; a tracker is some hundred kB.
CACHED_CONVERSATIONS = 200


@dataclass
class Cached:
    """A conversation's tracker as saved, and the id of its last row in the database."""

    tracker: DialogueStateTracker
    last_row: int | None
    kept_at: float


class StoreUnavailable(RuntimeError):
    """The conversation database failed; the message says how, never with a visitor's words."""


class UrlSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose connection comes from `PASSERELLE_TRACKER_DB_URL`."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        # Rasa passes the endpoint's `url` as `host` to custom tracker stores.
        url = make_url(host or get_settings().tracker_db_url)
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
        self.unsaved: OrderedDict[str, DialogueStateTracker] = OrderedDict()
        self.cached: OrderedDict[str, Cached] = OrderedDict()
        self.scrubber = Scrubber()

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Session, None, None]:
        """Rasa's session scope without its `sys.exit` on a ValueError."""
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as missing:
                raise StoreUnavailable(f"PostgreSQL schema {missing} not found") from None
            yield session
        finally:
            session.close()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        await pending_saves.settled(sender_id)
        if sender_id in self.unsaved:
            return self.unsaved[sender_id]
        cached = self.cached.pop(sender_id, None)
        if cached is not None and not (
            is_as_saved(cached.tracker) and time.monotonic() - cached.kept_at < self.idle_limit()
        ):
            cached = None
        try:
            with self.session_scope() as session:
                # Read before the events: a row written in between makes the next message read them again.
                last_row = self.last_row(session, sender_id)
                if cached is not None and cached.last_row == last_row:
                    self.keep(cached.tracker, last_row)
                    return cached.tracker
                rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
                events = [json.loads(row.data) for row in rows]
        except (SQLAlchemyError, StoreUnavailable):
            if cached is None:
                raise
            self.keep(cached.tracker, cached.last_row)  # what this server last saved; better than a fresh start
            return cached.tracker
        if not events or self.domain is None:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        # Everything it holds is stored: its next save need not count the rows again.
        setattr(tracker, STORED, len(tracker.events))
        self.keep(tracker, last_row)
        return tracker

    def idle_limit(self) -> float:
        """Seconds a kept tracker may stay unused: the session expiry (bot/welcome/domain.yml; 0 is none)."""
        minutes = self.domain.session_config.session_expiration_time if self.domain is not None else 0
        return minutes * 60 if minutes > 0 else float("inf")

    def last_row(self, session: Session, sender_id: str) -> int | None:
        return session.query(sa.func.max(self.SQLEvent.id)).filter(self.SQLEvent.sender_id == sender_id).scalar()

    def keep(self, tracker: DialogueStateTracker, last_row: int | None) -> None:
        self.cached[tracker.sender_id] = Cached(tracker, last_row, time.monotonic())
        self.cached.move_to_end(tracker.sender_id)
        while len(self.cached) > CACHED_CONVERSATIONS:
            self.cached.popitem(last=False)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        await pending_saves.settled(conversation_id)
        return await super().retrieve_full_tracker(conversation_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Starts the save and returns: the reply goes out while it runs (bot/pending_saves.py)."""
        # The events as they are now: Rasa goes on with this tracker (a new session's first turn), and what it
        # adds later is scrubbed by the save that it calls for then, never written unscrubbed by this one.
        events = list(tracker.events)
        language = tracker.get_slot("language")
        pending_saves.start(tracker.sender_id, lambda: self.save_now(tracker, events, language))

    async def save_now(self, tracker: DialogueStateTracker, events: list[Event], language: str | None) -> None:
        # Read when the save runs, after the conversation's earlier saves: each one updates it.
        stored = getattr(tracker, STORED, None)
        try:
            last_row = await self.save_scrubbed(tracker.sender_id, events, language, stored)
        except (SQLAlchemyError, StoreUnavailable, UnicodeError, OSError) as error:
            if hasattr(tracker, STORED):
                delattr(tracker, STORED)  # the next save counts what the database holds
            self.cached.pop(tracker.sender_id, None)
            self.keep_unsaved(tracker, error)
            return
        setattr(tracker, STORED, len(events))
        self.unsaved.pop(tracker.sender_id, None)
        if last_row is None:
            return  # nothing new written: what is kept, if anything, is still the database's content
        rescrub_slots(tracker, events[stored or 0 :], text_slots(self.domain))
        if sum(isinstance(event, SessionStarted) for event in events) > 1:
            # Read from the database, a conversation holds its last session alone, which is what the actions get.
            self.cached.pop(tracker.sender_id, None)
        else:
            self.keep(tracker, last_row)

    async def save_scrubbed(
        self, sender_id: str, events: list[Event], language: str | None, stored: int | None
    ) -> int | None:
        """Writes the events not stored yet, scrubbed, and returns the conversation's last row id (None when
        nothing was new). `stored`: how many of `events` are stored, when known (the tracker was
        read from, or last written to, the database); otherwise they are counted there."""
        if stored is None:
            with self.session_scope() as session:
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
        new = events[stored:]
        if not new:
            return None
        await scrub_events(new, text_slots(self.domain), language, self.scrubber)
        if self.event_broker is not None:
            # Rasa's own save streams before it stores; here what is streamed is what is stored, scrubbed.
            await self._stream_new_events(self.event_broker, new, sender_id)
        with self.session_scope() as session:
            # One statement for all rows (the ORM's unit of work inserted them one by one).
            session.execute(self.SQLEvent.__table__.insert(), [self.row(sender_id, event) for event in new])
            session.commit()
            # Nobody else writes the conversation before its lock is released, after this save.
            return self.last_row(session, sender_id)

    def row(self, sender_id: str, event: Event) -> dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def keep_unsaved(self, tracker: DialogueStateTracker, error: Exception) -> None:
        self.unsaved[tracker.sender_id] = tracker
        self.unsaved.move_to_end(tracker.sender_id)
        while len(self.unsaved) > MAX_UNSAVED:
            self.unsaved.popitem(last=False)
            log.error("Conversation store: more than %d conversations waiting; the oldest is dropped", MAX_UNSAVED)
        log.error(
            "Conversation store failed (%s); %d conversation(s) kept in memory until it is back",
            type(error).__name__,
            len(self.unsaved),
        )


def text_slots(domain: Domain | None) -> set[str]:
    """Slots filled with the visitor's own words (a `from_text` mapping)."""
    if domain is None:
        return set()
    return {slot.name for slot in domain.slots if any(m.get("type") == "from_text" for m in slot.mappings)}


def typed_text(event: Event, slots: set[str]) -> str | None:
    """The visitor's words carried by an event, if any."""
    if isinstance(event, UserUttered):
        return event.text or None
    if isinstance(event, SlotSet) and event.key in slots and isinstance(event.value, str):
        return event.value
    return None


def is_as_saved(tracker: DialogueStateTracker) -> bool:
    """Whether the tracker holds what its last save stored: a turn that failed may have added events."""
    return getattr(tracker, STORED, None) == len(tracker.events)


def rescrub_slots(tracker: DialogueStateTracker, saved: list[Event], slots: set[str]) -> None:
    """Gives the tracker's text slots the scrubbed value their saved events now carry (the scrubbing changed the
    events in place; a slot's value is a copy), where no later event set them again."""
    latest = {event.key: id(event) for event in tracker.events if isinstance(event, SlotSet) and event.key in slots}
    for event in saved:
        if isinstance(event, SlotSet) and latest.get(event.key) == id(event):
            tracker.slots[event.key].value = event.value


def replace_text(event: Event, text: str) -> None:
    if isinstance(event, UserUttered):
        event.text = text
        event.parse_data["text"] = text
    else:
        event.value = text


class Scrubber:
    """The desk's `/api/privacy/scrub` over the kept-alive desk connection, with a short timeout."""

    def __init__(self) -> None:
        self.pause = PauseAfterFailure()

    async def scrubbed(self, texts: list[str], language: str | None) -> list[str]:
        """The texts through the desk's scrubber, or withheld when it cannot answer in time."""
        settings = get_settings()
        if self.pause.paused(time.monotonic()):
            return [WITHHELD] * len(texts)
        # Longer than any message the assistant answers (the guard asks to shorten it): not worth keeping.
        limit = max_message_chars()
        sent = [(index, text) for index, text in enumerate(texts) if len(text) <= limit]
        clean = [WITHHELD] * len(texts)
        for (index, _), text in zip(
            sent, await self.request([text for _, text in sent], language, settings), strict=False
        ):
            clean[index] = text
        return clean

    async def request(self, texts: list[str], language: str | None, settings: RasaSideSettings) -> list[str]:
        if not texts:
            return []
        body = {"texts": texts, "language": language if language in LANGUAGES else None}
        try:
            timeout = aiohttp.ClientTimeout(total=settings.scrub_timeout)
            async with desk_session().post("/api/privacy/scrub", json=body, timeout=timeout) as response:
                response.raise_for_status()
                clean = (await response.json())["texts"]
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, KeyError, ValueError, TypeError) as error:
            # Hung or down: the next turns would wait for nothing. A refusal of these texts is theirs alone.
            unreachable = isinstance(error, (aiohttp.ClientConnectionError, asyncio.TimeoutError, OSError))
            if unreachable:
                self.pause.failed(time.monotonic(), settings.pause_after_failure)
            # The error's type and status only: a message could quote the request.
            status = getattr(error, "status", None)
            log.error(
                "Scrubber did not answer (%s%s); %d text(s) stored as %s%s",
                type(error).__name__,
                f" {status}" if status else "",
                len(texts),
                WITHHELD,
                f", and the scrubber is left alone for {settings.pause_after_failure:g} s" if unreachable else "",
            )
            return [WITHHELD] * len(texts)
        if not isinstance(clean, list) or len(clean) != len(texts):
            log.error(
                "Scrubber answered with %s text(s) for %d; they are stored as %s",
                len(clean) if isinstance(clean, list) else "no",
                len(texts),
                WITHHELD,
            )
            return [WITHHELD] * len(texts)
        return [text if isinstance(text, str) else WITHHELD for text in clean]


async def scrub_events(events: Iterable[Event], slots: set[str], language: str | None, scrubber: Scrubber) -> None:
    carrying = [(event, text) for event in events if (text := typed_text(event, slots))]
    if not carrying:
        return
    for (event, _), clean in zip(
        carrying, await scrubber.scrubbed([text for _, text in carrying], language), strict=False
    ):
        replace_text(event, clean)
