"""bot/pending_saves.py: a conversation's saves run in order after the reply, and its lock waits for them."""

import asyncio

from bot import pending_saves
from tests.in_thread import run_in_thread as run


def test_saves_of_one_conversation_run_in_order_and_reads_wait_for_them():
    async def scenario() -> list[str]:
        done: list[str] = []

        def save(name: str, seconds: float):
            async def run() -> None:
                await asyncio.sleep(seconds)
                done.append(name)

            return run

        # The first save is slower than the second: the second still runs after it.
        pending_saves.start("a", save("a1", 0.05))
        pending_saves.start("a", save("a2", 0.0))
        pending_saves.start("b", save("b1", 0.0))
        await pending_saves.settled("a")
        done.append("read a")
        await pending_saves.all_settled(1.0)
        return done

    done = run(scenario())
    assert done.index("a1") < done.index("a2") < done.index("read a")
    assert done.index("b1") < done.index("a1")  # another conversation does not wait


def test_the_lock_is_released_after_the_save_even_a_failed_one():
    async def scenario() -> list[str]:
        events: list[str] = []

        async def failing() -> None:
            await asyncio.sleep(0.01)
            events.append("save failed")
            raise RuntimeError("database")

        pending_saves.start("c", failing)
        pending_saves.release_after("c", lambda: events.append("released"))
        events.append("reply sent")
        await pending_saves.settled("c")
        await asyncio.sleep(0)  # the release runs as the save's done callback
        pending_saves.release_after("c", lambda: events.append("released at once"))
        return events

    assert run(scenario()) == ["reply sent", "save failed", "released", "released at once"]
