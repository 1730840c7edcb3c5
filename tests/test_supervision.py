"""The launcher starts a server that stopped again, after a pause that grows while it keeps crashing."""

from __future__ import annotations

import sys

from launcher.services import Service
from launcher.supervisor import MAX_DELAY, STABLE_SECONDS, Supervisor, crashes_in_a_row, restart_delay


def test_the_pause_doubles_with_each_crash_in_a_row_up_to_half_a_minute():
    assert [restart_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, MAX_DELAY, MAX_DELAY]


def test_a_server_up_for_a_minute_counts_as_healthy_again():
    assert crashes_in_a_row(4, up_for=5) == 5
    assert crashes_in_a_row(4, up_for=STABLE_SECONDS) == 1


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_crashed_server_is_started_again_and_the_others_left_alone(tmp_path):
    crashing = Service("crashing server", [sys.executable, "-c", "raise SystemExit(3)"], "http://127.0.0.1:9/", "-")
    steady = Service("steady server", [sys.executable, "-c", "import time; time.sleep(60)"], "http://127.0.0.1:9/", "-")
    said: list[str] = []
    clock = Clock()
    for service in (crashing, steady):
        service.spawn()
    supervisor = Supervisor([crashing, steady], said.append, clock=clock)
    try:
        assert crashing.process is not None and steady.process is not None
        crashing.process.wait(10)
        steady_pid = steady.process.pid
        supervisor.check()
        assert said == ["The crashing server stopped (exit code 3); restarting it in 1 s."]
        supervisor.check()  # not yet due
        assert len(said) == 1
        clock.now = 1.0
        supervisor.check()
        assert said[-1] == f"Starting the crashing server again (pid {crashing.process.pid})…"
        crashing.process.wait(10)
        clock.now = 2.0
        supervisor.check()
        assert said[-1] == "The crashing server stopped (exit code 3); restarting it in 2 s."
        assert steady.process.pid == steady_pid and steady.process.poll() is None
    finally:
        for service in (crashing, steady):
            service.stop()
