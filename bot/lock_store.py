"""Rasa's Redis lock store, made safe for several Rasa servers taking messages of one conversation at once.

Rasa processes a conversation's messages one at a time by giving each a ticket and serving the
tickets in order. Its `RedisLockStore` reads the conversation's lock, changes it and writes it back in
separate Redis calls, so two servers can interleave them: both issue the same ticket and process two
turns against the same stored state (one turn is lost), or one server deletes the lock while the
other's ticket waits in it (that message fails with "Could not acquire lock"). Here each change is
one Redis transaction (`WATCH`, then `MULTI`/`EXEC`, retried when another server changed the lock in
between), and releasing a ticket deletes the lock only if no other ticket is in it.

A conversation's lock is released once its save is done, which runs after the reply has gone out
(bot/pending_saves.py): the next message, on whichever server, reads the conversation as saved.

A waiting message also looks at the lock every `POLL_SECONDS` rather than every second: ten
messages sent at once to one conversation would otherwise take ten seconds and run past the
channels' turn deadline.

endpoints.yml: `lock_store: {type: bot.lock_store.OrderedRedisLockStore, url: host, port: 6379, db: 1}`
(launcher/endpoints.py writes it from `PASSERELLE_REDIS_URL`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot import pending_saves

POLL_SECONDS = 0.05
T = TypeVar("T")


class OrderedRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Applies `change` to the stored lock in one transaction; it returns the new lock (None deletes it)."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            stored = pipe.get(key)
            lock, result = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            lock.remove_expired_tickets()
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # noqa: BLE001 - Rasa expects a LockError, whatever Redis raised
            raise LockError(f"Could not issue a ticket ({type(error).__name__})") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def release(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, release)

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's `lock`, whose ticket is given back once the conversation's save is done."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            pending_saves.release_after(conversation_id, lambda: self.cleanup(conversation_id, ticket))

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        return await super()._acquire_lock(conversation_id, ticket, min(wait_time_in_seconds, POLL_SECONDS))
