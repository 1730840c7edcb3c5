"""Leaving a failed part alone for a while, so that visitors do not each wait for its timeout."""

from __future__ import annotations


class PauseAfterFailure:
    """Remembers until when a failed part is left alone (times from `time.monotonic()`)."""

    def __init__(self) -> None:
        self.until = 0.0

    def paused(self, now: float) -> bool:
        return now < self.until

    def failed(self, now: float, pause: float) -> None:
        self.until = now + pause
