"""Conversations are kept in SQL: a SQLite file by default, PostgreSQL when configured."""

import psycopg2
import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL, Servers

pytestmark = pytest.mark.servers

TRACKER_DB = "passerelle_tracker_test"


def stored_event_count(url: str, sender: str) -> int:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg2")  # the driver Rasa uses
    engine = sa.create_engine(parsed)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": sender}
            ).scalar_one()
    finally:
        engine.dispose()


def test_conversations_go_to_the_sqlite_file(servers, assistant, sender):
    assistant.send(sender, "bonjour")
    assistant.saved(sender)
    assert stored_event_count(servers.tracker_db_url, sender) > 3


@pytest.fixture
def fresh_postgres_database():
    connection = psycopg2.connect(POSTGRES_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {TRACKER_DB} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {TRACKER_DB}")
    yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{TRACKER_DB}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {TRACKER_DB} WITH (FORCE)")
    connection.close()


def test_postgresql_keeps_conversations_across_a_restart(model, tmp_path, fresh_postgres_database, sender):
    servers = Servers(tmp_path, fresh_postgres_database, "postgres")
    try:
        servers.start()
        servers.assistant.send(sender, "goeiedag")
        servers.assistant.send(sender, "waar zijn jullie?")
        before = len(servers.assistant.tracker(sender)["events"])

        assert servers.rasa is not None  # started
        servers.rasa.stop()
        servers.start_rasa()

        tracker = servers.assistant.tracker(sender)
        assert len(tracker["events"]) >= before
        assert tracker["slots"]["language"] == "nl"
        # The conversation goes on in Dutch after the restart.
        replies = servers.assistant.send(sender, "dank je")
        assert replies[0]["text"].startswith("Graag gedaan")
        servers.assistant.saved(sender)
        assert stored_event_count(fresh_postgres_database, sender) >= before
    finally:
        servers.stop()
