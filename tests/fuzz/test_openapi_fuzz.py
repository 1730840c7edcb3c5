"""Schemathesis against the OpenAPI schemas of the desk and of the web service, in process (ASGI, no network).

Each operation of each schema is a test of its own: Hypothesis draws requests from schemathesis's
strategies for it, valid ones and invalid ones (its positive and negative modes), and sends them to
the real app: the desk on a migrated SQLite file and on a fresh PostgreSQL database, the web service
with the real model and index (var/knowledge-index/, `make index`). What must hold: no 5xx, whatever is
sent; invalid data is refused with a 4xx; a documented response matches its schema.

Two of schemathesis's checks are left out because they test what FastAPI writes in the schema, not the
app: `status_code_conformance` (FastAPI lists 200 and 422, not the 401, 403, 404 and 409 the desk
answers on purpose) and `positive_data_acceptance` (a valid request may still be refused: a ticket id
that does not exist, a ticket another counsellor holds).

The operations come from the apps' own `openapi()` at collection (no app is started for it), so a new
endpoint is fuzzed without touching this file. schemathesis's pytest plugin (`schema.parametrize`) is
not used: its lazy form fails on pytest 9 (it sets `request.node._nodeid`, which pytest 9 removed), and
its eager form would start the apps while pytest collects.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, CheckFunction
from schemathesis.python.asgi import get_client

from common.defaults import PROJECT_ROOT
from common.vocabulary import AREAS, LANGUAGES
from desk.main import create_app
from desk.migrate import upgrade
from desk.models import Counsellor
from desk.passwords import hash_password
from desk.settings import DeskSettings
from tests.desk.conftest import PostgresDatabases
from tests.fuzz.strategies import TRICKY_PIECES
from web_service.main import app as web_app

# Past the obvious cases, and within CI's time: about a minute per schema on these 2-core machines.
EXAMPLES_PER_OPERATION = 60
NOT_ABOUT_THE_APP = {"status_code_conformance", "positive_data_acceptance"}
# The registry's type also admits check classes; its built-in checks, all that is registered here, are functions.
CHECKS_TO_RUN = cast(
    list[CheckFunction], [check for check in CHECKS.get_all() if check.__name__ not in NOT_ABOUT_THE_APP]
)
Call = Callable[[schemathesis.Case], Any]


def desk_settings(database_url: str, tracker_db_url: str) -> DeskSettings:
    # Everything that matters set here, so that the environment of the run changes nothing.
    return DeskSettings(
        database_url=database_url,
        service_token=secrets.token_urlsafe(16),
        session_secret=secrets.token_urlsafe(16),
        dev_mode=False,
        tracker_db_url=tracker_db_url,
        centre_info_file=PROJECT_ROOT / "knowledge" / "centre.yml",
    )


def operation_labels(app: FastAPI) -> list[str]:
    """ "METHOD /path" of every operation of the app's schema, read without starting the app."""
    return [f"{method.upper()} {path}" for path, methods in app.openapi()["paths"].items() for method in methods]


# In-memory SQLite URLs: creating the app opens no file, and nothing is migrated for reading its schema.
DESK_OPERATIONS = operation_labels(create_app(desk_settings("sqlite://", "sqlite://")))
WEB_OPERATIONS = operation_labels(web_app)


def schema_of(app: FastAPI) -> schemathesis.BaseSchema:
    """The app's schema as schemathesis reads it; calls go to the app in process, started once (lifespan)."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def encodable(text: str) -> bool:
    """False for text with lone surrogates, which a query string or a form cannot carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Strings that break services, which random text seldom contains (tests/fuzz/strategies.py).
HOSTILE_STRINGS = [piece for piece in TRICKY_PIECES if encodable(piece)]


def string_slots(value: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every string inside `value`, nested dicts and lists included."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    slots: list[tuple[Any, Any]] = []
    for key, item in items:
        slots += [(value, key)] if isinstance(item, str) else string_slots(item)
    return slots


@st.composite
def with_hostile_strings(draw: st.DrawFn, cases: st.SearchStrategy[schemathesis.Case]) -> schemathesis.Case:
    """A generated case, one of whose strings (path, query, body) is replaced by a hostile one in a third of
    the cases. schemathesis notices the change and checks the case again against the schema before
    judging the response."""
    case = draw(cases)
    slots = [slot for part in (case.path_parameters, case.query, case.body) for slot in string_slots(part)]
    if slots and draw(st.integers(0, 2)) == 0:
        container, key = draw(st.sampled_from(slots))
        container[key] = draw(st.sampled_from(HOSTILE_STRINGS))
    return case


def requests_for(schema: schemathesis.BaseSchema, label: str) -> st.SearchStrategy[schemathesis.Case]:
    operation = schema.find_operation_by_label(label)
    assert operation is not None, f"{label} is not in the schema"
    valid = operation.as_strategy(schemathesis.GenerationMode.POSITIVE)
    has_input = any(
        len(part)
        for part in (operation.path_parameters, operation.query, operation.headers, operation.cookies, operation.body)
    )
    # An operation without parameters or body has nothing to make invalid.
    cases = st.one_of(valid, operation.as_strategy(schemathesis.GenerationMode.NEGATIVE)) if has_input else valid
    return with_hostile_strings(cases)


def fuzz(schema: schemathesis.BaseSchema, label: str, call: Call) -> None:
    @settings(max_examples=EXAMPLES_PER_OPERATION)
    @given(case=requests_for(schema, label))
    def no_server_error(case: schemathesis.Case) -> None:
        call(case)

    no_server_error()


class DeskUnderTest:
    """The desk app on its database, with a manager counsellor logged in through POST /login."""

    def __init__(self, database_url: str, directory: Path) -> None:
        upgrade(database_url)
        self.settings = desk_settings(database_url, f"sqlite:///{directory / 'tracker.db'}")
        self.app = create_app(self.settings)
        login, password = "fuzz-manager", secrets.token_urlsafe(12)
        with self.app.state.database.session() as session:
            session.add(
                Counsellor(
                    login=login,
                    password_hash=hash_password(password),
                    languages=list(LANGUAGES),
                    areas=list(AREAS),
                    on_duty=True,
                    is_manager=True,
                    ui_language="fr",
                )
            )
            session.commit()
        self.schema = schema_of(self.app)
        # schemathesis types an ASGI app with dict scopes and messages, Starlette with MutableMapping ones.
        with get_client(self.app) as client:  # type: ignore[arg-type]
            response = client.post("/login", data={"login": login, "password": password}, allow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == "/", response.headers
            self.cookies = client.cookies.get_dict()

    def call(self, case: schemathesis.Case) -> None:
        """Sends the case with both the service token and the counsellor's session.

        Each endpoint takes the one it is for (the token on the assistant's endpoints, the session on the
        counsellors'), so every operation is fuzzed past its authentication; the 401 and 403 answers
        themselves are tested in tests/desk/test_desk_auth.py.
        """
        case.call_and_validate(
            headers={"Authorization": f"Bearer {self.settings.service_token}"},
            cookies=self.cookies,
            checks=CHECKS_TO_RUN,
        )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def desk(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskUnderTest]:
    directory = tmp_path_factory.mktemp(f"desk-fuzz-{request.param}")
    if request.param == "sqlite":
        yield DeskUnderTest(f"sqlite:///{directory / 'desk.db'}", directory)
        return
    databases = PostgresDatabases()
    try:
        yield DeskUnderTest(databases.create(), directory)
    finally:
        databases.drop_all()


@pytest.fixture(scope="module")
def web_schema() -> schemathesis.BaseSchema:
    return schema_of(web_app)


@pytest.mark.parametrize("label", DESK_OPERATIONS)
def test_desk_operation_never_answers_5xx(desk: DeskUnderTest, label: str) -> None:
    fuzz(desk.schema, label, desk.call)


@pytest.mark.parametrize("label", WEB_OPERATIONS)
def test_web_service_operation_never_answers_5xx(web_schema: schemathesis.BaseSchema, label: str) -> None:
    fuzz(web_schema, label, lambda case: case.call_and_validate(checks=CHECKS_TO_RUN))
