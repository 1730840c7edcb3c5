"""Conversation saves that run after the reply has gone out, one conversation's saves in order.

Rasa stores the conversation before it returns a REST reply, and storing it means a round trip to the
desk's scrubber first (bot/tracker_store.py): the visitor waited for it at every turn. Here the
tracker store starts the save and returns; the reply goes out while the texts are scrubbed and written.
Nothing unscrubbed reaches the database: the save is the same, only later.

What keeps this correct is that nobody reads a conversation before its last save is done:
- on this server, the tracker store waits for the conversation's save before it reads it (`settled`);
- on the others, the lock store keeps the conversation's lock until the save is done (`release_after`),
  and the next message of the conversation waits for that lock wherever it arrives;
- when the server stops, it waits for the saves still running (`all_settled`).
A server killed outright loses the saves still running, a few milliseconds after their replies, as it
lost the turn in progress before; its locks expire after Rasa's lock lifetime, as they did.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

_running: dict[str, asyncio.Task[None]] = {}


def start(sender_id: str, save: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Runs `save` after the conversation's save still running, if any."""
    previous = _running.get(sender_id)

    async def in_turn() -> None:
        if previous is not None:
            await asyncio.wait([previous])
        await save()

    task = asyncio.get_running_loop().create_task(in_turn())
    _running[sender_id] = task
    task.add_done_callback(lambda done: _forget(sender_id, done))


def _forget(sender_id: str, task: asyncio.Task[None]) -> None:
    if _running.get(sender_id) is task:
        del _running[sender_id]
    if not task.cancelled() and task.exception() is not None:
        # The save handles the database's and the scrubber's failures itself; this is anything else.
        log.error("A conversation save failed (%s)", type(task.exception()).__name__)


async def settled(sender_id: str) -> None:
    """Returns once the conversation's saves started so far are done (whatever their outcome)."""
    task = _running.get(sender_id)
    if task is not None:
        await asyncio.wait([task])


def release_after(sender_id: str, release: Callable[[], None]) -> None:
    """Calls `release` now, or once the conversation's save is done if one is running."""
    task = _running.get(sender_id)
    if task is None:
        release()
        return

    def released(_: asyncio.Task[None]) -> None:
        try:
            release()
        except Exception as error:  # noqa: BLE001 - a callback's error would only reach the loop's log
            # The lock then expires after its lifetime (Rasa's LOCK_LIFETIME), as when a server dies.
            log.error("A conversation lock could not be released after its save (%s)", type(error).__name__)

    task.add_done_callback(released)


async def all_settled(timeout: float) -> None:
    """Waits, at most `timeout` seconds, for every save still running (the server is stopping), those that
    start meanwhile too (a turn that ran past its channel's deadline is still finishing)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while _running and (left := deadline - asyncio.get_running_loop().time()) > 0:
        await asyncio.wait(list(_running.values()), timeout=left)
    if _running:
        log.error("%d conversation save(s) still running when the server stopped", len(_running))
