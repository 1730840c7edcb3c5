"""Tickets the desk could not take yet, kept on disk until it can.

When the desk service is down, the visitor still gets a number: the outbox
gives one from its own range (500–999 per language and day; the desk's own
numbers run from 001), keeps the ticket in a SQLite file, and
`deliver_forever` sends it as soon as the desk answers again. The desk knows a
ticket by its `client_ref`, so a ticket sent twice is still one ticket.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

from actions.desk_client import DeskUnavailable, TicketRefused, create_ticket
from actions.settings import get_settings

log = logging.getLogger(__name__)
BRUSSELS = ZoneInfo("Europe/Brussels")
FIRST_NUMBER, LAST_NUMBER = 500, 999
SCHEMA = """
create table if not exists pending (
    client_ref text primary key,
    payload text not null,
    kept_at text not null,
    attempts integer not null default 0
);
create table if not exists numbers (
    day text not null,
    language text not null,
    last integer not null,
    primary key (day, language)
);
"""


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self.connect()) as db, db:
            db.executescript(SCHEMA)

    def connect(self) -> sqlite3.Connection:
        # A short busy timeout: another process of the action server may be writing.
        return sqlite3.connect(self.path, timeout=10)

    def keep(self, payload: Dict[str, Any], now: datetime) -> str:
        """Stores the ticket with a number from the outbox's range and returns that number."""
        day = now.astimezone(BRUSSELS).date().isoformat()
        language = payload["language"]
        with closing(self.connect()) as db, db:
            db.execute("begin immediate")
            row = db.execute("select last from numbers where day = ? and language = ?", (day, language)).fetchone()
            number = FIRST_NUMBER if row is None else row[0] + 1
            if number > LAST_NUMBER:
                number = FIRST_NUMBER
            db.execute("insert or replace into numbers (day, language, last) values (?, ?, ?)",
                       (day, language, number))
            payload = {**payload, "number": f"{language.upper()}-{number:03d}"}
            db.execute("insert or replace into pending (client_ref, payload, kept_at) values (?, ?, ?)",
                       (payload["client_ref"], json.dumps(payload), now.isoformat()))
        return payload["number"]

    def pending(self) -> List[Dict[str, Any]]:
        with closing(self.connect()) as db:
            rows = db.execute("select payload from pending order by kept_at").fetchall()
        return [json.loads(row[0]) for row in rows]

    def forget(self, client_ref: str) -> None:
        with closing(self.connect()) as db, db:
            db.execute("delete from pending where client_ref = ?", (client_ref,))

    def count_attempt(self, client_ref: str) -> None:
        with closing(self.connect()) as db, db:
            db.execute("update pending set attempts = attempts + 1 where client_ref = ?", (client_ref,))

    async def deliver(self) -> int:
        """Sends what is waiting, oldest first; stops at the first failure. Returns how many were sent."""
        sent = 0
        for payload in self.pending():
            try:
                await self.send(payload)
            except DeskUnavailable as error:
                self.count_attempt(payload["client_ref"])
                log.warning("Outbox: %d ticket(s) still waiting for the desk (%s)", len(self.pending()), error)
                return sent
            except TicketRefused as error:
                # Kept for the IT team to look at (docs/operations.md); the others go on.
                self.count_attempt(payload["client_ref"])
                log.error("Outbox: the desk refused ticket %s: %s", payload["number"], error)
                continue
            self.forget(payload["client_ref"])
            sent += 1
        return sent

    @staticmethod
    async def send(payload: Dict[str, Any]) -> Dict[str, Any]:
        try:
            return await create_ticket(payload)
        except TicketRefused as error:
            if error.status != 409:
                raise
        # Another action server gave the same number today: the desk gives the ticket one of its own.
        ticket = await create_ticket({k: v for k, v in payload.items() if k != "number"})
        log.error("Outbox: ticket %s arrived as %s (number already taken)", payload["number"], ticket["number"])
        return ticket

    async def deliver_forever(self) -> None:
        interval = get_settings().outbox_retry_seconds
        while True:
            try:
                if await self.deliver():
                    log.info("Outbox: delivered waiting tickets to the desk")
            except Exception:  # noqa: BLE001 - the loop must survive anything and try again later
                log.exception("Outbox delivery failed")
            await asyncio.sleep(interval)


def get_outbox() -> Outbox:
    return Outbox(get_settings().outbox_file)
