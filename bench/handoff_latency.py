"""`make bench-handoff`: time from a visitor's handoff request to the ticket on the desk.

Starts the whole assistant (launcher/stack.py) with a counsellor logged in, then
for each of 40 new conversations (French and Dutch in turn) sends a greeting and
"I want to see a counsellor" through the REST channel, and polls the desk's
queue (every 10 ms, as that counsellor) until the ticket is listed. Meanwhile two
open queue pages are played as the page's script does: one listens to the desk's
server-sent events and fetches the list at each change (the page since issue 20),
one only polls every 5 s (the page before). Prints p50/p95 of the request-to-desk
time, of the time until each page lists the ticket, and, as the baseline in the
same run, of the greeting turn.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.turn_latency import percentile
from launcher.stack import Stack

CONVERSATIONS = 40
PAGE_POLL_SECONDS = 5  # desk.js POLL_MS
MESSAGES = {
    "fr": ("bonjour", "je voudrais parler à un conseiller"),
    "nl": ("hallo", "ik wil graag met een adviseur praten"),
}


def listed(desk: httpx.Client) -> set:
    return {t["conversation_id"] for t in desk.get("/api/tickets", params={"scope": "all"}).json()["tickets"]}


class OpenPage(threading.Thread):
    """A queue page: when each conversation's ticket was first listed (perf_counter), pushed or polled."""

    def __init__(self, desk: httpx.Client, pushed: bool) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=desk.base_url, cookies=desk.cookies, timeout=30)
        self.pushed = pushed
        self.seen: dict[str, float] = {}
        self.done = threading.Event()

    def look(self) -> None:
        now = time.perf_counter()
        for sender in listed(self.client):
            self.seen.setdefault(sender, now)

    def run(self) -> None:
        self.look()
        if not self.pushed:
            while not self.done.wait(PAGE_POLL_SECONDS):
                self.look()
            return
        while not self.done.is_set():
            try:
                with self.client.stream("GET", "/api/tickets/changes", timeout=None) as stream:
                    for line in stream.iter_lines():
                        if line == "event: change":
                            self.look()
                        if self.done.is_set():
                            return
            except httpx.HTTPError:
                if not self.done.is_set():
                    raise  # the desk stops only once the measure is over


def measure(stack: Stack, desk: httpx.Client) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"greeting turn": [], "request to ticket on desk": []}
    pages = {"on an open page, pushed": OpenPage(desk, True), "on an open page, 5 s polls": OpenPage(desk, False)}
    for page in pages.values():
        page.start()
    time.sleep(1)  # the stream is open
    asked: dict[str, float] = {}
    with httpx.Client(base_url=stack.rasa_url, timeout=60) as rasa:
        for index in range(CONVERSATIONS):
            language = ("fr", "nl")[index % 2]
            sender = f"bench-handoff-{index}"
            greeting, request = MESSAGES[language]
            started = time.perf_counter()
            rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": greeting}).raise_for_status()
            times["greeting turn"].append((time.perf_counter() - started) * 1000)
            started = asked[sender] = time.perf_counter()
            rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": request}).raise_for_status()
            while sender not in listed(desk):
                time.sleep(0.01)
            times["request to ticket on desk"].append((time.perf_counter() - started) * 1000)
    time.sleep(PAGE_POLL_SECONDS + 2)  # the polling page's last look
    for name, page in pages.items():
        page.done.set()
        times[name] = [(page.seen[sender] - asked[sender]) * 1000 for sender in asked if sender in page.seen]
        if len(times[name]) < len(asked):
            print(f"{name}: {len(asked) - len(times[name])} ticket(s) never listed")
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as directory, open(os.devnull, "w") as devnull:
        stack = Stack(Path(directory), f"sqlite:///{directory}/tracker.db", devnull)
        try:
            stack.start()
            desk = stack.counsellor("fr,nl", "education,training,employment,entrepreneurship,mobility")
            times = measure(stack, desk)
            desk.close()
        finally:
            stack.stop()
    print(f"\nHandoff: {CONVERSATIONS} conversations through the REST channel, desk on SQLite")
    print(f"{'':<34}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for name, values in times.items():
        print(
            f"{name:<34}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}{statistics.mean(values):>9.1f}"
        )


if __name__ == "__main__":
    main()
