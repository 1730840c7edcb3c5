"""Fixtures of the desk tests. Every test that touches the database runs twice: on a SQLite file and on a
fresh PostgreSQL database of the local server (127.0.0.1:5432), created for the session and dropped after.

Without PostgreSQL the PostgreSQL runs are skipped, except in CI (CI=true), where they fail.
The pages' tests (test_desk_pages*.py) use the same fixtures.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

import psycopg2
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from common.defaults import PROJECT_ROOT
from common.vocabulary import AREAS, LANGUAGES
from desk.db import make_engine
from desk.main import create_app
from desk.migrate import upgrade
from desk.models import Base, Counsellor
from desk.passwords import hash_password
from desk.settings import DeskSettings

POSTGRES_SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432"
SERVICE_TOKEN = "service-token-for-tests"


class PostgresDatabases:
    """Fresh databases on the local PostgreSQL server, all dropped at the end of the session."""

    def __init__(self) -> None:
        self.admin = psycopg2.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=5)
        self.admin.autocommit = True
        self.names: list[str] = []

    def create(self) -> str:
        name = f"passerelle_desk_{secrets.token_hex(6)}"
        with self.admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        self.names.append(name)
        return f"{POSTGRES_SERVER}/{name}"

    def drop_all(self) -> None:
        with self.admin.cursor() as cursor:
            for name in self.names:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.admin.close()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    try:
        databases = PostgresDatabases()
    except psycopg2.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and unreachable on 127.0.0.1:5432: {error}")
        pytest.skip(f"PostgreSQL unreachable on 127.0.0.1:5432: {error}")
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def postgresql_url(postgres_databases: PostgresDatabases) -> str:
    url = postgres_databases.create()
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('desk')}/desk.db"
    upgrade(url)
    return url


def empty_tables(url: str) -> None:
    engine = make_engine(url, poolclass=sa.NullPool)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The session's database of that kind, migrated, and emptied after each test."""
    url = request.getfixturevalue(f"{request.param}_url")
    yield url
    empty_tables(url)


@pytest.fixture
def desk_settings(database_url: str, tmp_path) -> DeskSettings:
    # Everything that matters set here, so that the environment of the run changes nothing.
    return DeskSettings(
        database_url=database_url,
        service_token=SERVICE_TOKEN,
        session_secret="session-secret",
        dev_mode=False,
        retention_days=30,
        retention_interval_hours=6,
        tracker_db_url=f"sqlite:///{tmp_path}/tracker.db",
        overdue_minutes=20,
        minutes_per_visitor=15,
        cookie_secure=False,
        centre_info_file=PROJECT_ROOT / "knowledge" / "centre.yml",
        login_free_failures=5,
        login_free_failures_per_address=20,
        login_max_delay_seconds=900,
        login_failures_kept_hours=24,
        tickets_per_conversation_per_hour=3,
        tickets_per_address_per_hour=10,
    )


@pytest.fixture
def app(desk_settings: DeskSettings) -> FastAPI:
    return create_app(desk_settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The real app on the real database, started (migrations, retention) and stopped with the test."""
    with TestClient(app) as client:
        yield client


@pytest.fixture
def make_client(app: FastAPI, client: TestClient) -> Iterator[Callable[[], TestClient]]:
    """Other browsers on the same running app (each with its own cookies)."""
    made: list[TestClient] = []

    def make() -> TestClient:
        made.append(TestClient(app))
        return made[-1]

    yield make
    for other in made:
        other.close()


@pytest.fixture
def service_headers(desk_settings: DeskSettings) -> dict[str, str]:
    return {"Authorization": f"Bearer {desk_settings.service_token}"}


@pytest.fixture
def make_counsellor(app: FastAPI, client: TestClient) -> Callable[..., tuple[str, str]]:
    def make(
        login: str,
        languages: Sequence[str] = LANGUAGES,
        areas: Sequence[str] = AREAS,
        on_duty: bool = True,
        manager: bool = False,
    ) -> tuple[str, str]:
        password = f"pass-{secrets.token_hex(6)}"
        with app.state.database.session() as session:
            session.add(
                Counsellor(
                    login=login,
                    password_hash=hash_password(password),
                    languages=list(languages),
                    areas=list(areas),
                    on_duty=on_duty,
                    is_manager=manager,
                    ui_language=(list(languages) or ["fr"])[0],
                )
            )
            session.commit()
        return login, password

    return make


@pytest.fixture
def logged_in() -> Callable[[TestClient, str, str], TestClient]:
    def log_in(browser: TestClient, login: str, password: str) -> TestClient:
        response = browser.post("/login", data={"login": login, "password": password}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/", response.headers
        return browser

    return log_in


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


@pytest.fixture
def ticket_body() -> Callable[..., dict[str, Any]]:
    """A ticket as the action server sends it after a French questionnaire; keyword arguments replace fields."""

    def body(**overrides: Any) -> dict[str, Any]:
        now = iso(datetime.now(timezone.utc))
        return {
            "client_ref": uuid.uuid4().hex,
            "conversation_id": f"web-{uuid.uuid4().hex[:12]}",
            "language": "fr",
            "area": "training",
            "reason": "questionnaire",
            "recap": "La personne a rempli le questionnaire d'orientation. Chercheuse d'emploi, 18 à 25 ans, "
            "intéressée par une formation. Elle aimerait devenir électricienne.",
            "answers": [
                {"label": "Situation", "value": "Chercheuse d'emploi depuis six mois"},
                {"label": "Âge", "value": "18 à 25 ans"},
                {"label": "Études", "value": "Secondaire inférieur"},
            ],
            "interests": ["Travail manuel", "Technique"],
            "goal": "devenir électricienne",
            "questions": ["Combien de temps dure une formation d'électricienne ?"],
            "passages": [
                {"title": "Se former à un métier technique", "url": "https://www.bruxellesformation.brussels/"}
            ],
            "excerpt": [
                {"speaker": "visitor", "text": "je voudrais parler à un conseiller", "at": now},
                {"speaker": "assistant", "text": "Bien sûr, je préviens un conseiller.", "at": now},
            ],
            "requested_at": now,
            **overrides,
        }

    return body


@pytest.fixture
def make_ticket(
    client: TestClient, service_headers: dict[str, str], ticket_body: Callable[..., dict[str, Any]]
) -> Callable[..., dict[str, Any]]:
    """Creates a ticket through the API with the service token; returns the response's JSON."""

    def make(**overrides: Any) -> dict[str, Any]:
        response = client.post("/api/tickets", json=ticket_body(**overrides), headers=service_headers)
        assert response.status_code == 201, response.text
        return response.json()

    return make
