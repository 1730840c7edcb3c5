"""Desk service throughput: ticket creations accepted per second, on SQLite and on PostgreSQL.

Starts the real desk service (`uvicorn desk.main:app`, one worker, as `make run` does) on a free port,
first on a fresh SQLite file, then on a fresh PostgreSQL database of the local server. On each, 8 clients
send 100 requests each at the same time: first GET /api/health (the baseline: the same server answering
without the database or the scrubber), then ticket creations as the action server sends them (French and
Dutch questionnaire summaries, which the desk scrubs again, numbers and stores). Prints requests per second
and p50/p95 latency; figures only, nothing is asserted.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import psycopg2

from bench.turn_latency import percentile
from launcher.services import desk_service, free_port
from launcher.settings import LauncherSettings

CLIENTS = 8
PER_CLIENT = 100
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
TOKEN = secrets.token_urlsafe(24)
SUMMARIES = {
    "fr": {
        "recap": "La personne a rempli le questionnaire d'orientation. Chercheuse d'emploi, 26 à 35 ans, "
        "diplômée du secondaire supérieur. Elle voudrait se reconvertir dans la comptabilité.",
        "answers": [
            ("Situation", "Chercheuse d'emploi depuis plus d'un an"),
            ("Âge", "26 à 35 ans"),
            ("Études", "Secondaire supérieur"),
            ("Besoin", "Formation"),
            ("Langues", "Français couramment, un peu de néerlandais"),
            ("Disponibilité", "Temps plein"),
        ],
        "goal": "devenir comptable",
        "question": "Est-ce qu'il existe une formation de comptable en horaire décalé à Bruxelles ?",
        "excerpt": [
            "Bonjour, je cherche une formation en comptabilité",
            "Voici ce que j'ai trouvé sur les formations en gestion et comptabilité.",
            "est-ce que je peux parler à quelqu'un ?",
            "Bien sûr, je préviens un conseiller.",
        ],
    },
    "nl": {
        "recap": "De bezoeker vulde de vragenlijst in. Werkzoekend, 18 tot 25 jaar, diploma secundair "
        "onderwijs. Wil graag in de zorg werken.",
        "answers": [
            ("Situatie", "Ingeschreven bij Actiris"),
            ("Leeftijd", "18 tot 25 jaar"),
            ("Opleiding", "Secundair onderwijs"),
            ("Vraag", "Werk"),
            ("Talen", "Nederlands vlot, Frans basis"),
            ("Beschikbaarheid", "Deeltijds"),
        ],
        "goal": "zorgkundige worden",
        "question": "Moet ik Frans kennen om in een Brussels ziekenhuis te werken?",
        "excerpt": [
            "Hallo, ik zoek werk in de zorg",
            "Dit vond ik over werken in de zorg in Brussel.",
            "kan ik met iemand praten?",
            "Natuurlijk, ik verwittig een adviseur.",
        ],
    },
}
Request = Callable[[httpx.Client, int], httpx.Response]


def ticket_body(index: int) -> dict:
    language = "fr" if index % 2 else "nl"
    summary = SUMMARIES[language]
    now = datetime.now(timezone.utc)
    return {
        "client_ref": uuid.uuid4().hex,
        "conversation_id": f"web-{uuid.uuid4().hex[:12]}",
        "language": language,
        "area": ("training", "employment", None)[index % 3],
        "reason": "questionnaire",
        "recap": summary["recap"],
        "answers": [{"label": label, "value": value} for label, value in summary["answers"]],
        "interests": ["Chiffres", "Contact humain"],
        "goal": summary["goal"],
        "questions": [summary["question"]],
        "passages": [{"title": "Se former à un métier", "url": "https://www.bruxellesformation.brussels/"}],
        "excerpt": [
            {
                "speaker": ("visitor", "assistant")[line % 2],
                "text": text,
                "at": (now - timedelta(seconds=30 * (4 - line))).isoformat(),
            }
            for line, text in enumerate(summary["excerpt"])
        ],
        "requested_at": now.isoformat(),
    }


def create_ticket(client: httpx.Client, index: int) -> httpx.Response:
    return client.post("/api/tickets", json=ticket_body(index))


def health(client: httpx.Client, _index: int) -> httpx.Response:
    return client.get("/api/health")


def fire(address: str, request: Request) -> tuple[float, list[float], list[httpx.Response]]:
    """CLIENTS clients at once, PER_CLIENT requests each, one after the other: wall time, latencies (ms)."""
    start_together = threading.Barrier(CLIENTS + 1)

    def one_client(number: int) -> list[tuple[float, httpx.Response]]:
        done = []
        with httpx.Client(base_url=address, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
            health(client, 0)  # connected before the clock starts
            start_together.wait()
            for index in range(number * PER_CLIENT, (number + 1) * PER_CLIENT):
                sent = time.perf_counter()
                response = request(client, index)
                done.append(((time.perf_counter() - sent) * 1000, response))
        return done

    with ThreadPoolExecutor(CLIENTS) as pool:
        running = [pool.submit(one_client, number) for number in range(CLIENTS)]
        start_together.wait()
        start = time.perf_counter()
        results = [item for future in running for item in future.result()]
        elapsed = time.perf_counter() - start
    return elapsed, [latency for latency, _ in results], [response for _, response in results]


def measure(label: str, database_url: str, directory: Path) -> dict[str, tuple[int, float, float, float]]:
    port = free_port()
    service = desk_service(
        LauncherSettings(desk_port=port, service_token=TOKEN, dev_mode=False),
        {
            "DATABASE_URL": database_url,
            "PASSERELLE_SESSION_SECRET": secrets.token_urlsafe(24),
            "PASSERELLE_TRACKER_DB_URL": f"sqlite:///{directory}/tracker-{label}.db",
        },
        name=f"desk service ({label})",
    )
    with (directory / f"{label}.log").open("w") as log:
        service.start(120, log)
        try:
            # Not timed: the scrubber loads its language model at the first ticket.
            with httpx.Client(
                base_url=service.address, timeout=120, headers={"Authorization": f"Bearer {TOKEN}"}
            ) as client:
                create_ticket(client, -1).raise_for_status()
            rows = {}
            for name, request, expected in (
                ("GET /api/health", health, 200),
                ("POST /api/tickets", create_ticket, 201),
            ):
                elapsed, latencies, responses = fire(service.address, request)
                accepted = sum(response.status_code == expected for response in responses)
                rows[name] = (accepted, accepted / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.95))
            numbers = {response.json()["number"] for response in responses if response.status_code == 201}
            if len(numbers) != accepted:
                print(f"  {label}: {accepted - len(numbers)} ticket number(s) given twice")
            return rows
        finally:
            service.stop()


def main() -> None:
    total = CLIENTS * PER_CLIENT
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        results["sqlite"] = measure("sqlite", f"sqlite:///{directory}/desk.db", Path(directory))
        name = f"passerelle_desk_bench_{secrets.token_hex(4)}"
        admin = psycopg2.connect(POSTGRES_ADMIN)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {name}")
            results["postgresql"] = measure(
                "postgresql", f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}", Path(directory)
            )
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.close()

    print(f"\nDesk service, one uvicorn worker: {CLIENTS} clients at once, {PER_CLIENT} requests each")
    print(f"{'database':<12}{'requests':<20}{'accepted':>10}{'per s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for database, rows in results.items():
        for name, (accepted, rate, p50, p95) in rows.items():
            print(f"{database:<12}{name:<20}{f'{accepted}/{total}':>10}{rate:>9.1f}{p50:>9.1f}{p95:>9.1f}")
    for database, rows in results.items():
        ratio = rows["POST /api/tickets"][1] / rows["GET /api/health"][1]
        print(f"{database}: ticket creations per second = {ratio:.1%} of health requests per second")


if __name__ == "__main__":
    main()
