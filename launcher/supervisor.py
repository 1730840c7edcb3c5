"""Keeps the launcher's servers running: one that exits is started again, the others go on.

A server that keeps crashing is started again after a pause that doubles with each crash in a row
(1 s, 2 s, 4 s … at most 30 s), so that a broken one does not take the machine's cores from the
others; after a minute up it counts as healthy again. Each stop and each return is printed, so the
person at the terminal sees what happened. In production systemd does this (deploy/systemd/).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from launcher.services import Service

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
# Up this long after a start, a server's next crash is its first in a row again.
STABLE_SECONDS = 60.0


def restart_delay(crashes_in_a_row: int) -> float:
    return min(MAX_DELAY, FIRST_DELAY * 2 ** max(0, crashes_in_a_row - 1))


def crashes_in_a_row(previous: int, up_for: float) -> int:
    return 1 if up_for >= STABLE_SECONDS else previous + 1


@dataclass
class Watched:
    service: Service
    started_at: float
    crashes: int = 0
    restart_at: float | None = None
    answering: bool = True


class Supervisor:
    def __init__(
        self,
        services: Sequence[Service],
        say: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.say = say
        self.watched = [Watched(service, clock()) for service in services]

    def check(self) -> None:
        """One round: notes exits, restarts what is due, says which restarted server answers again."""
        now = self.clock()
        for watched in self.watched:
            service = watched.service
            assert service.process is not None, "supervised services are started"
            if watched.restart_at is not None:
                if now >= watched.restart_at:
                    service.spawn(service.log)
                    watched.started_at, watched.restart_at, watched.answering = now, None, False
                    self.say(f"Starting the {service.name} again (pid {service.process.pid})…")
                continue
            code = service.process.poll()
            if code is not None:
                service.kill_leftovers()
                watched.crashes = crashes_in_a_row(watched.crashes, now - watched.started_at)
                delay = restart_delay(watched.crashes)
                watched.restart_at = now + delay
                self.say(f"The {service.name} stopped (exit code {code}); restarting it in {delay:.0f} s.")
            elif not watched.answering and service.answers():
                watched.answering = True
                self.say(f"The {service.name} answers again at {service.address}.")

    def run_forever(self, interval: float = 1.0) -> None:
        while True:
            self.check()
            time.sleep(interval)
