"""Tickets the desk could not take yet, kept on disk until it can.

When the desk service is down or too slow, the visitor still gets a number: the
outbox gives one from its own range (500–999 per language and day; the desk's
own numbers run from 001), keeps the ticket in a SQLite file, and
`deliver_forever` sends it as soon as the desk answers again. The desk knows a
ticket by its `client_ref`, so a ticket sent twice is still one ticket.

The number the visitor was told is the one the desk shows, or the visitor is
told the new one: when the desk ends up with another number (another action
server gave the same one that day, or the desk had already made the ticket
before the outbox took it), the outbox tells the visitor's conversation through
Rasa's HTTP API (the intent EXTERNAL_ticket_renumbered), on the next rounds
again until Rasa takes it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from actions.desk_client import DeskUnavailable, TicketRefused, TooManyTickets, create_ticket, json_body
from actions.failures import describe, frames
from actions.settings import ActionSettings, get_settings
from common.clock import brussels_day, utc_now
from common.tickets import OUTBOX_NUMBERS, format_number, next_in, outbox_share

log = logging.getLogger(__name__)
RENUMBERED_INTENT = "EXTERNAL_ticket_renumbered"
SCHEMA = """
create table if not exists pending (
    client_ref text primary key,
    payload text not null,
    kept_at text not null,
    attempts integer not null default 0,
    last_error text
);
create table if not exists numbers (
    day text not null,
    language text not null,
    last integer not null,
    primary key (day, language)
);
create table if not exists renumbered (
    client_ref text primary key,
    conversation_id text not null,
    day text not null,
    told text not null,
    number text not null,
    attempts integer not null default 0,
    last_error text
);
"""
# Columns added since the first outbox files; `create table if not exists` leaves an old table as it was.
ADDED_COLUMNS = {"pending": {"last_error": "text"}}


class NoNumberLeft(RuntimeError):
    """The outbox's range is used up for this language and day: the visitor goes to reception without one."""


class VisitorNotTold(RuntimeError):
    """Rasa did not take the new number for the visitor's conversation."""


class Outbox:
    def __init__(self, path: Path, numbers: range = OUTBOX_NUMBERS) -> None:
        """`numbers`: this action server's share of the outbox range (common.tickets.outbox_share)."""
        self.path = path
        self.numbers = numbers
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self.connect()) as db, db:
            db.executescript(SCHEMA)
            for table, columns in ADDED_COLUMNS.items():
                present = {row[1] for row in db.execute(f"pragma table_info({table})")}
                for column, kind in columns.items():
                    if column not in present:
                        db.execute(f"alter table {table} add column {column} {kind}")

    def connect(self) -> sqlite3.Connection:
        # The file is this action server's own; the wait only covers another process opening it at the same
        # time, and stays well under the visitor's 5 s.
        return sqlite3.connect(self.path, timeout=1)

    def keep(self, payload: dict[str, Any], now: datetime) -> str:
        """Stores the ticket with a number from the outbox's range and returns that number.

        A ticket already waiting (the same handoff tried again) keeps the number it has. NoNumberLeft
        when the day's range is used up: numbers never start again at 500, which would give one number
        to two visitors.
        """
        day = brussels_day(now).isoformat()
        language = payload["language"]
        with closing(self.connect()) as db, db:
            db.execute("begin immediate")
            waiting = db.execute(
                "select payload from pending where client_ref = ?", (payload["client_ref"],)
            ).fetchone()
            if waiting is not None:
                return json.loads(waiting[0])["number"]
            row = db.execute("select last from numbers where day = ? and language = ?", (day, language)).fetchone()
            number = next_in(self.numbers, None if row is None else row[0])
            if number is None:
                raise NoNumberLeft(f"all {language.upper()} outbox numbers of {day} are given")
            db.execute("insert or replace into numbers (day, language, last) values (?, ?, ?)", (day, language, number))
            payload = {**payload, "number": format_number(language, number)}
            db.execute(
                "insert into pending (client_ref, payload, kept_at) values (?, ?, ?)",
                (payload["client_ref"], json.dumps(payload), now.isoformat()),
            )
        return payload["number"]

    def waiting_number(self, client_ref: str) -> str | None:
        """The number of this ticket if it waits here: the visitor may hold it already."""
        with closing(self.connect()) as db:
            row = db.execute("select payload from pending where client_ref = ?", (client_ref,)).fetchone()
        return json.loads(row[0])["number"] if row else None

    def pending(self) -> list[dict[str, Any]]:
        with closing(self.connect()) as db:
            rows = db.execute("select payload from pending order by kept_at").fetchall()
        return [json.loads(row[0]) for row in rows]

    def count_attempt(self, client_ref: str, cause: str) -> None:
        with closing(self.connect()) as db, db:
            db.execute(
                "update pending set attempts = attempts + 1, last_error = ? where client_ref = ?", (cause, client_ref)
            )

    def delivered(self, payload: dict[str, Any], number: str) -> None:
        """The desk has the ticket as `number`: it leaves the outbox, and a new number waits to be told."""
        asked_on = brussels_day(datetime.fromisoformat(payload["requested_at"])).isoformat()
        with closing(self.connect()) as db, db:
            db.execute("delete from pending where client_ref = ?", (payload["client_ref"],))
            if number != payload["number"]:
                db.execute(
                    "insert or replace into renumbered (client_ref, conversation_id, day, told, number) "
                    "values (?, ?, ?, ?, ?)",
                    (payload["client_ref"], payload["conversation_id"], asked_on, payload["number"], number),
                )

    def renumbered(self) -> list[dict[str, Any]]:
        """New numbers the visitors have not been told yet."""
        with closing(self.connect()) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("select * from renumbered order by rowid")]

    def told(self, client_ref: str) -> None:
        with closing(self.connect()) as db, db:
            db.execute("delete from renumbered where client_ref = ?", (client_ref,))

    def count_notice_attempt(self, client_ref: str, cause: str) -> None:
        with closing(self.connect()) as db, db:
            db.execute(
                "update renumbered set attempts = attempts + 1, last_error = ? where client_ref = ?",
                (cause, client_ref),
            )

    async def deliver(self) -> int:
        """Sends what is waiting, oldest first, then tells visitors their new numbers. Returns how many were sent.

        Stops sending at the first ticket the desk does not answer for (it is down); a ticket it refuses
        stays waiting with its cause, and the others go on.
        """
        sent = 0
        for payload in self.pending():
            try:
                ticket = await self.send(payload)
            except DeskUnavailable as error:
                self.count_attempt(payload["client_ref"], str(error))
                log.warning("Outbox: %d ticket(s) still waiting for the desk (%s)", len(self.pending()), error)
                break
            except TooManyTickets as error:
                # Only after a 409, when it is sent without its number: the hour's limit passes.
                self.count_attempt(payload["client_ref"], str(error))
                log.warning("Outbox: ticket %s waits for the desk's hourly limit (%s)", payload["number"], error)
                continue
            except TicketRefused as error:
                # Kept for the IT team to look at (docs/operations.md); the others go on.
                self.count_attempt(payload["client_ref"], str(error))
                log.error("Outbox: the desk refused ticket %s; it stays in the outbox (%s)", payload["number"], error)
                continue
            if ticket["number"] != payload["number"]:
                # Taken by another action server's outbox (a 409), or the desk's own number for a ticket it had
                # made before the outbox took it and could not change.
                log.warning(
                    "Outbox: ticket %s arrived as %s; the visitor is to be told", payload["number"], ticket["number"]
                )
            self.delivered(payload, ticket["number"])
            sent += 1
        await self.tell_new_numbers(get_settings(), brussels_day(utc_now()).isoformat())
        return sent

    @staticmethod
    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        try:
            return await create_ticket(payload)
        except TicketRefused as error:
            if error.status != 409:
                raise
        # Another action server gave the same number today: the desk gives the ticket one of its own.
        return await create_ticket({k: v for k, v in payload.items() if k != "number"})

    async def tell_new_numbers(self, settings: ActionSettings, today: str) -> None:
        """Tells each visitor whose ticket the desk numbered differently; a failure waits for the next round."""
        for notice in self.renumbered():
            if notice["day"] != today or not settings.rasa_token:
                # A number is valid on the day it was asked for only; without a token Rasa cannot be called.
                why = "its day is over" if notice["day"] != today else "PASSERELLE_RASA_TOKEN is not set"
                log.error(
                    "Outbox: the visitor told %s was not told the desk's number %s (%s)",
                    notice["told"],
                    notice["number"],
                    why,
                )
                self.told(notice["client_ref"])
                continue
            try:
                await tell_new_number(notice["conversation_id"], notice["number"], settings)
            except VisitorNotTold as error:
                self.count_notice_attempt(notice["client_ref"], str(error))
                log.warning(
                    "Outbox: the visitor told %s does not know the desk's number %s yet (%s)",
                    notice["told"],
                    notice["number"],
                    error,
                )
                continue
            self.told(notice["client_ref"])
            log.info("Outbox: the visitor told %s now knows the desk's number %s", notice["told"], notice["number"])

    async def deliver_forever(self) -> None:
        interval = get_settings().outbox_retry_seconds
        while True:
            try:
                if await self.deliver():
                    log.info("Outbox: delivered waiting tickets to the desk")
            except Exception as error:  # noqa: BLE001 - the loop must survive anything and try again later
                log.error(
                    "Outbox delivery failed (%s), trying again in %s s:\n%s", describe(error), interval, frames(error)
                )
            await asyncio.sleep(interval)


async def tell_new_number(conversation_id: str, number: str, settings: ActionSettings) -> None:
    """Sends the visitor's conversation the intent that sets `handoff_ticket` and says the new number.

    `output_channel=latest`: the reply goes out on the channel the visitor last wrote on (Socket.IO
    pushes it at once; a REST client has no channel to receive it, and sees it only in the stored
    conversation). VisitorNotTold when Rasa does not
    take it; the message names the status and Rasa's reason, never the URL (it holds the token).
    """
    url = f"{settings.rasa_url.rstrip('/')}/conversations/{quote(conversation_id, safe='')}/trigger_intent"
    body = {"name": RENUMBERED_INTENT, "entities": {"ticket_number": number}}
    try:
        async with httpx.AsyncClient(timeout=settings.rasa_timeout) as rasa:
            response = await asyncio.wait_for(
                rasa.post(url, params={"output_channel": "latest", "token": settings.rasa_token}, json=body),
                settings.rasa_timeout,
            )
    except (httpx.HTTPError, TimeoutError) as error:
        raise VisitorNotTold(f"{type(error).__name__} calling Rasa") from error
    if response.status_code != 200:
        answer = json_body(response)
        reason = answer.get("reason") if isinstance(answer, dict) else None
        raise VisitorNotTold(f"Rasa answered HTTP {response.status_code} ({reason or 'no reason'})")


def get_outbox() -> Outbox:
    settings = get_settings()
    return Outbox(settings.outbox_file, outbox_share(settings.instance, settings.instances))
