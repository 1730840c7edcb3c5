"""Anonymous statistics: usage counts, the satisfaction survey, waiting times, and what managers see."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from common.clock import brussels_day
from common.vocabulary import AREAS
from desk.models import SurveyAnswer, UsageCount, WaitSample
from tests.desk.conftest import iso


def counts(app) -> dict:
    with app.state.database.session() as session:
        return {(row.kind, row.language, row.area): row.count for row in session.scalars(sa.select(UsageCount))}


def test_usage_events_add_up_per_day_kind_language_and_area(client, app, service_headers, make_client):
    for body in (
        {"kind": "conversation", "language": "fr"},
        {"kind": "conversation", "language": "fr"},
        {"kind": "question", "language": "nl", "area": "mobility"},
        {"kind": "handoff", "language": "fr", "area": None},
    ):
        response = client.post("/api/stats/events", json=body, headers=service_headers)
        assert (response.status_code, response.content) == (204, b"")
    # Sent at the same moment, none is lost (one upsert statement each).
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda _: make_client().post(
                    "/api/stats/events",
                    headers=service_headers,
                    json={"kind": "question", "language": "nl", "area": "mobility"},
                ),
                range(16),
            )
        )
    assert counts(app) == {("conversation", "fr", ""): 2, ("question", "nl", "mobility"): 17, ("handoff", "fr", ""): 1}


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "visit", "language": "fr"},
        {"kind": "question", "language": "en"},
        {"kind": "question", "language": "fr", "area": "centre"},
        {"language": "fr"},
    ],
)
def test_unknown_events_are_refused(client, service_headers, body):
    assert client.post("/api/stats/events", json=body, headers=service_headers).status_code == 422


def test_survey_answers_are_recorded_with_a_scrubbed_comment(client, app, service_headers):
    comments = {"Très utile, merci ! Appelez-moi au 0470 12 34 56": "fr", "   ": "nl", None: "nl"}
    for comment, language in comments.items():
        response = client.post(
            "/api/survey",
            headers=service_headers,
            json={"language": language, "rating": 4, "comment": comment, "after_handoff": True},
        )
        assert response.status_code == 201, response.text
    with app.state.database.session() as session:
        stored = [answer.comment for answer in session.scalars(sa.select(SurveyAnswer).order_by(SurveyAnswer.id))]
    assert stored[1:] == [None, None]
    assert "0470" not in stored[0] and "[téléphone]" in stored[0] and stored[0].startswith("Très utile, merci !")
    for wrong in (
        {"language": "fr", "rating": 6, "after_handoff": False},
        {"language": "fr", "rating": 0, "after_handoff": False},
        {"language": "fr", "rating": 3},
    ):
        assert client.post("/api/survey", json=wrong, headers=service_headers).status_code == 422


def test_stats_are_for_managers_only(client, make_counsellor, logged_in, service_headers, make_client):
    assert client.get("/api/stats").status_code == 401
    assert client.get("/api/stats", headers=service_headers).status_code == 403
    assert logged_in(make_client(), *make_counsellor("staff")).get("/api/stats").status_code == 403
    assert logged_in(make_client(), *make_counsellor("boss", manager=True)).get("/api/stats").status_code == 200


def test_stats_aggregate_counts_waits_and_ratings_without_any_text(
    client, app, service_headers, make_counsellor, logged_in, make_ticket, make_client
):
    manager = logged_in(make_client(), *make_counsellor("boss", manager=True))
    events = (
        [{"kind": "conversation", "language": "fr"}] * 3
        + [{"kind": "conversation", "language": "nl"}] * 2
        + [{"kind": "question", "language": "fr", "area": "training"}] * 2
        + [{"kind": "question", "language": "nl"}]
        + [{"kind": "questionnaire_started", "language": "fr"}] * 2
        + [{"kind": "questionnaire_completed", "language": "fr"}]
        + [{"kind": "handoff", "language": "nl", "area": "employment"}]
    )
    for event in events:
        client.post("/api/stats/events", json=event, headers=service_headers)
    secret_comment = "Merci à Jean-Marc Dubois, très patient"
    for rating, comment in ((5, secret_comment), (4, None), (2, "trop d'attente")):
        client.post(
            "/api/survey",
            headers=service_headers,
            json={"language": "fr", "rating": rating, "comment": comment, "after_handoff": False},
        )
    # Waits: recorded at a ticket's first claim only.
    for minutes in (10, 30):
        ticket = make_ticket(
            requested_at=iso(datetime.now(timezone.utc) - timedelta(minutes=minutes, seconds=5)),
            recap="Elle s'appelle Sophie Lambert et cherche une formation.",
        )
        manager.post(f"/api/tickets/{ticket['id']}/claim")
        manager.post(f"/api/tickets/{ticket['id']}/release")
        manager.post(f"/api/tickets/{ticket['id']}/claim")
    # Older than the period asked for: left out.
    with app.state.database.session() as session:
        session.add(
            WaitSample(
                day=brussels_day(datetime.now(timezone.utc)) - timedelta(days=8), language="fr", area=None, minutes=300
            )
        )
        session.commit()

    response = manager.get("/api/stats", params={"days": 7})
    assert response.status_code == 200
    stats = response.json()
    today = brussels_day(datetime.now(timezone.utc))
    assert stats["last_day"] == today.isoformat()
    assert stats["first_day"] == (today - timedelta(days=6)).isoformat()
    assert len(stats["conversations_per_day"]) == 7
    assert stats["conversations_per_day"][-1] == {"day": today.isoformat(), "count": 5}
    assert sum(day["count"] for day in stats["conversations_per_day"]) == 5
    assert stats["conversations_by_language"] == {"fr": 3, "nl": 2}
    no_area: dict[str, int] = dict.fromkeys(AREAS, 0)
    assert stats["questions_by_area"] == {**no_area, "training": 2, "unspecified": 1}
    assert (stats["questionnaires_started"], stats["questionnaires_completed"]) == (2, 1)
    assert stats["handoffs_by_area"] == {**no_area, "employment": 1, "unspecified": 0}
    assert stats["handoffs_by_language"] == {"fr": 0, "nl": 1}
    assert stats["waiting"] == {"samples": 2, "median_minutes": 20.0, "p90_minutes": 30.0}
    assert stats["satisfaction"] == {
        "answers": 3,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1},
        "mean": 3.67,
    }
    text = json.dumps(stats)
    for typed in ("Dubois", "Merci", "attente", "Sophie", "formation", "FR-0"):
        assert typed not in text
    assert manager.get("/api/stats", params={"days": 0}).status_code == 422
    assert len(manager.get("/api/stats").json()["conversations_per_day"]) == 30
