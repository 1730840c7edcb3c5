"""`make bench-latency`: turn latency through the REST channel, against a plain `rasa init` bot.

Starts the whole of Passerelle (launcher/stack.py: tracker in a fresh SQLite
file, whose texts go through the desk's scrubber before they are stored), then
a bot made by `rasa init` on the same machine, and sends each the same 200
messages (visitors' held-out messages, French and Dutch, taken evenly across
the intents, 10 per conversation) one at a time, each message to one bot then the other
(this machine's speed varies from minute to minute: measured one after the other, the plain
bot's p95 ranged from 81 to 162 ms between two runs). Prints p50/p95 per bot and the ratio.

The turns whose message is a question about an area (held-out intent ask_…) are also
reported apart. In the same run, Passerelle also goes through 10 whole questionnaires (FR and
NL in turn, 12 messages each: the request, nine answers, two interest groups),
whose turns are reported next to the ordinary ones.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from common.defaults import PROJECT_ROOT
from common.vocabulary import AREA_INTENTS
from launcher.services import RASA, SERVER_ENV, Service, free_port
from launcher.settings import LauncherSettings
from launcher.stack import Stack
from nlu.evaluation import heldout

MESSAGES = 200
PER_CONVERSATION = 10
QUESTIONNAIRES = 10
SETTLE_SECONDS = 0.1
# The two interest groups: one as the widget sends the activities picked, one typed.
INTERESTS = {
    "fr": ["+social_help +artistic_create", "travailler dehors et analyser des données"],
    "nl": ["+realistic_hands", "mensen iets uitleggen en een team leiden"],
}
QUESTIONNAIRE = {
    "fr": [
        "je veux faire le test d'orientation",
        "je suis au chômage depuis 6 mois",
        "j'ai 19 ans",
        "j'ai arrêté en 4e secondaire",
        "training",
        "devenir électricien",
        *INTERESTS["fr"],
        "français couramment et un peu d'anglais",
        "temps plein",
        "je peux me déplacer en Flandre",
        "fr",
    ],
    "nl": [
        "ik wil de vragenlijst invullen",
        "ik ben ingeschreven bij VDAB",
        "ik ben 34 jaar",
        "ik heb een bachelor verpleegkunde",
        "employment",
        "terug in de zorg werken",
        *INTERESTS["nl"],
        "Nederlands vlot en een beetje Frans",
        "deeltijds",
        "liefst in Brussel",
        "maakt niet uit",
    ],
}
PLAIN_BOT = PROJECT_ROOT / "var" / "bench" / "rasa-init"


def messages() -> list[tuple[str, str]]:
    """MESSAGES held-out messages with their intent, French and Dutch in turn, taken evenly across the
    set: it is grouped by intent, and its first 200 were small talk only, without a single question."""
    mixed = [example for pair in zip(heldout("fr"), heldout("nl"), strict=False) for example in pair]
    if len(mixed) <= MESSAGES:
        return (mixed * (MESSAGES // len(mixed) + 1))[:MESSAGES]
    return [mixed[index * len(mixed) // MESSAGES] for index in range(MESSAGES)]


def questionnaires() -> list[str]:
    return [text for number in range(QUESTIONNAIRES) for text in QUESTIONNAIRE["fr" if number % 2 else "nl"]]


def latencies(
    urls: dict[str, str], texts: list[str], label: str, per_conversation: int = PER_CONVERSATION
) -> dict[str, list[float]]:
    """Each text sent to each bot in turn, one at a time: a slow moment of the machine falls on both."""
    timings: dict[str, list[float]] = {name: [] for name in urls}
    with httpx.Client(timeout=60) as client:
        # One warm-up turn each, not counted.
        for url in urls.values():
            client.post(f"{url}/webhooks/rest/webhook", json={"sender": f"{label}-warmup", "message": "hello"})
        for index, text in enumerate(texts):
            sender = f"{label}-{index // per_conversation}"
            for name, url in urls.items():
                # What a bot does after its reply (Passerelle saves the conversation then) is not the next turn's.
                time.sleep(SETTLE_SECONDS)
                start = time.perf_counter()
                response = client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
                timings[name].append((time.perf_counter() - start) * 1000)
                response.raise_for_status()
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def plain_bot(port: int) -> Service:
    if not (PLAIN_BOT / "models").exists():
        PLAIN_BOT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(RASA), "init", "--no-prompt", "--init-dir", str(PLAIN_BOT)],
            check=True,
            env={**SERVER_ENV, "PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
        )
    return Service(
        name="plain rasa init bot",
        command=[
            str(RASA),
            "run",
            "--enable-api",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            "--model",
            str(PLAIN_BOT / "models"),
        ],
        health_url=f"http://127.0.0.1:{port}/",
        address=f"http://127.0.0.1:{port}",
    )


def main() -> None:
    examples = messages()
    texts = [text for text, _ in examples]
    results = {}
    plain = plain_bot(free_port())
    with tempfile.TemporaryDirectory() as directory, open(os.devnull, "w") as devnull:
        stack = Stack(Path(directory), f"sqlite:///{directory}/tracker.db", devnull)
        try:
            plain.start(LauncherSettings().start_timeout, subprocess.DEVNULL)
            stack.start()
            # Both bots run side by side and take each message in turn: the baseline sees the same machine.
            both = latencies({"Passerelle": stack.rasa_url, "plain rasa init bot": plain.address}, texts, "turn")
            results["Passerelle"] = both["Passerelle"]
            # The same turns, those whose message is a question about one of the five areas: the search's share.
            results["Passerelle question turns"] = [
                timing
                for timing, (_, intent) in zip(results["Passerelle"], examples, strict=False)
                if intent in AREA_INTENTS
            ]
            results |= {
                "Passerelle questionnaire": latencies(
                    {"Passerelle": stack.rasa_url}, questionnaires(), "questionnaire", len(QUESTIONNAIRE["fr"])
                )["Passerelle"],
                "plain rasa init bot": both["plain rasa init bot"],
            }
        finally:
            stack.stop()
            plain.stop()

    print("\nTurn latency through the REST channel, one message at a time")
    print(f"{'bot':<26}{'turns':>6}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for name, values in results.items():
        print(
            f"{name:<26}{len(values):>6}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}"
            f"{statistics.mean(values):>9.1f}"
        )
    ratio = percentile(results["Passerelle"], 0.95) / percentile(results["plain rasa init bot"], 0.95)
    print(f"p95 ratio Passerelle / plain bot: {ratio:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
