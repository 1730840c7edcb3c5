"""`make bench-handoff`: time from a visitor's handoff request to the ticket on the desk.

Starts the whole assistant (launcher/stack.py) with a counsellor logged in, then
for each of 40 new conversations (French and Dutch in turn) sends a greeting and
"I want to see a counsellor" through the REST channel, and polls the desk's
queue (every 10 ms, as that counsellor) until the ticket is listed. Prints
p50/p95 of the request-to-desk time and, as the baseline in the same run, of
the greeting turn. The desk page itself refreshes every 5 s, which comes on top
for a counsellor looking at it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.turn_latency import percentile
from launcher.stack import Stack

CONVERSATIONS = 40
MESSAGES = {
    "fr": ("bonjour", "je voudrais parler à un conseiller"),
    "nl": ("hallo", "ik wil graag met een adviseur praten"),
}


def listed(desk: httpx.Client) -> set:
    return {t["conversation_id"] for t in desk.get("/api/tickets", params={"scope": "all"}).json()["tickets"]}


def measure(stack: Stack, desk: httpx.Client) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"greeting turn": [], "request to ticket on desk": []}
    with httpx.Client(base_url=stack.rasa_url, timeout=60) as rasa:
        for index in range(CONVERSATIONS):
            language = ("fr", "nl")[index % 2]
            sender = f"bench-handoff-{index}"
            greeting, request = MESSAGES[language]
            started = time.perf_counter()
            rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": greeting}).raise_for_status()
            times["greeting turn"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": request}).raise_for_status()
            while sender not in listed(desk):
                time.sleep(0.01)
            times["request to ticket on desk"].append((time.perf_counter() - started) * 1000)
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
    print(f"{'':<28}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for name, values in times.items():
        print(
            f"{name:<28}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}{statistics.mean(values):>9.1f}"
        )


if __name__ == "__main__":
    main()
