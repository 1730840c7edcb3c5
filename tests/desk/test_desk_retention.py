"""Retention: after retention_days, tickets, survey comments and Rasa's conversation events are deleted."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from common.clock import brussels_day
from desk.models import CounsellorSession, LoginFailures, SurveyAnswer, Ticket, UsageCount, WaitSample
from desk.retention import purge, purge_tracker_events
from desk.sessions import SESSION_MAX_AGE

# The columns of Rasa's SQLTrackerStore `events` table.
EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("slot_name", sa.String(255)),
    sa.Column("slot_value", sa.Text),
    sa.Column("data", sa.Text),
)


def tracker_with_events(url: str, moments) -> None:
    engine = sa.create_engine(url)
    EVENTS.create(engine)
    with engine.begin() as connection:
        connection.execute(
            EVENTS.insert(),
            [
                {"sender_id": f"web-{index}", "type_name": "user", "timestamp": moment.timestamp(), "data": "{}"}
                for index, moment in enumerate(moments)
            ],
        )
    engine.dispose()


def remaining_events(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(EVENTS)).scalar_one()
    engine.dispose()
    return count


def test_purge_deletes_what_is_older_than_the_retention_period(
    client, app, desk_settings, make_ticket, make_counsellor, logged_in, service_headers
):
    now = datetime.now(timezone.utc)
    later = now + timedelta(days=31)  # when today's records are past the 30 days
    database = app.state.database
    old = make_ticket()
    logged_in(client, *make_counsellor("ana")).post(f"/api/tickets/{old['id']}/claim")
    client.post(
        "/api/survey",
        headers=service_headers,
        json={"language": "fr", "rating": 2, "comment": "trop long", "after_handoff": True},
    )
    client.post("/api/stats/events", headers=service_headers, json={"kind": "handoff", "language": "fr"})
    tracker_with_events(desk_settings.tracker_db_url, [now, now + timedelta(days=2)])

    # The same day a month later, a visitor arrives: their ticket, comment and events are recent.
    with database.session() as session:
        session.add(SurveyAnswer(day=brussels_day(later), language="nl", rating=5, comment="top", after_handoff=False))
        session.commit()
    recent = make_ticket(client_ref="recent")
    with database.session() as session:
        session.execute(sa.update(Ticket).where(Ticket.id == recent["id"]).values(created_at=later))
        session.commit()

    assert purge(database, desk_settings, now).tracker_events == 0  # nothing old yet
    purged = purge(database, desk_settings, later)
    assert (purged.tickets, purged.survey_comments, purged.tracker_events) == (1, 1, 1)
    with database.session() as session:
        assert [t.client_ref for t in session.scalars(sa.select(Ticket))] == ["recent"]
        answers = {a.rating: a.comment for a in session.scalars(sa.select(SurveyAnswer))}
        assert answers == {2: None, 5: "top"}  # the old rating stays, without its comment
        # The anonymous counts stay.
        assert session.scalar(sa.select(sa.func.count()).select_from(WaitSample)) == 1
        assert session.scalar(sa.select(UsageCount.count)) == 1
    assert remaining_events(desk_settings.tracker_db_url) == 1


def test_purge_deletes_ended_sessions_and_forgotten_login_counters(
    client, app, desk_settings, make_counsellor, logged_in, make_client
):
    login, password = make_counsellor("ana")
    logged_in(make_client(), login, password).post("/logout")
    open_one = logged_in(make_client(), login, password)
    client.post("/login", data={"login": "ana", "password": "wrong password"})
    now = datetime.now(timezone.utc)
    database = app.state.database
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CounsellorSession)) == 2
        assert session.scalar(sa.select(sa.func.count()).select_from(LoginFailures)) == 2  # account and address

    purged = purge(database, desk_settings, now)
    assert (purged.sessions, purged.login_counters) == (1, 0)  # the revoked one
    assert open_one.get("/api/me").status_code == 200
    later = now + timedelta(hours=desk_settings.login_failures_kept_hours, seconds=SESSION_MAX_AGE)
    purged = purge(database, desk_settings, later)
    assert (purged.sessions, purged.login_counters) == (1, 2)  # expired, forgotten
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CounsellorSession)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(LoginFailures)) == 0


def test_a_tracker_database_without_events_is_left_alone(tmp_path):
    cutoff = datetime.now(timezone.utc)
    missing = tmp_path / "none.db"
    assert purge_tracker_events(f"sqlite:///{missing}", cutoff) == 0
    assert not missing.exists()  # not created by the purge
    other = tmp_path / "other.db"
    engine = sa.create_engine(f"sqlite:///{other}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE something (id INTEGER)"))
    engine.dispose()
    assert purge_tracker_events(f"sqlite:///{other}", cutoff) == 0


def test_purge_reaches_a_postgresql_tracker_database(postgres_databases):
    url = postgres_databases.create()
    now = datetime.now(timezone.utc)
    assert purge_tracker_events(url, now) == 0
    tracker_with_events(url, [now - timedelta(days=40), now - timedelta(days=31), now - timedelta(days=1)])
    assert purge_tracker_events(url, now - timedelta(days=30)) == 2
    assert remaining_events(url) == 1
