"""Counsellors' login, sessions, disabled accounts, the CSRF guard, and /api/me."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from common.clock import utc_now
from desk.main import create_app
from desk.models import Counsellor, CounsellorSession
from desk.sessions import SESSION_MAX_AGE


def session_token(cookie: str) -> str:
    """The token inside the signed cookie (base64 JSON, then a timestamp and a signature)."""
    payload = cookie.split(".")[0]
    return json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))["session_token"]


def test_login_sets_a_strict_http_only_session_cookie_and_logout_ends_it(client, make_counsellor):
    login, password = make_counsellor("lea", ["fr"], ["education"])
    response = client.post("/login", data={"login": login, "password": password}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert client.get("/api/me").json()["login"] == "lea"

    response = client.post("/logout", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert client.get("/api/me").status_code == 401


def test_a_cookie_copied_before_logout_opens_nothing_after_it(client, app, make_counsellor, logged_in, make_client):
    logged_in(client, *make_counsellor("lea"))
    cookie = client.cookies["desk_session"]
    thief = make_client()
    thief.cookies.set("desk_session", cookie)
    assert thief.get("/api/me").status_code == 200  # a copy works while the session lasts

    assert client.post("/logout", follow_redirects=False).status_code == 303
    assert thief.get("/api/me").status_code == 401
    assert thief.get("/api/tickets").status_code == 401
    page = thief.get("/login", follow_redirects=False)
    assert page.status_code == 200 and 'action="/login"' in page.text  # the form, not a redirect to the queue
    assert thief.get("/", follow_redirects=False).headers["location"] == "/login"
    with app.state.database.session() as session:
        assert session.scalar(sa.select(CounsellorSession.revoked_at)) is not None


def test_the_database_keeps_a_hash_of_the_session_token_only(client, app, make_counsellor, logged_in):
    logged_in(client, *make_counsellor("lea"))
    token = session_token(client.cookies["desk_session"])
    with app.state.database.session() as session:
        row = session.scalar(sa.select(CounsellorSession))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.token_hash, str(row.counsellor_id)}


def test_a_session_ends_after_its_maximum_age(client, app, make_counsellor, logged_in):
    logged_in(client, *make_counsellor("lea"))

    def opened(seconds_ago: int) -> None:
        with app.state.database.session() as session:
            session.execute(sa.update(CounsellorSession).values(created_at=utc_now() - timedelta(seconds=seconds_ago)))
            session.commit()

    opened(SESSION_MAX_AGE - 60)
    assert client.get("/api/me").status_code == 200
    opened(SESSION_MAX_AGE + 1)
    assert client.get("/api/me").status_code == 401


def test_two_logins_are_two_sessions_and_logout_ends_one(client, make_counsellor, logged_in, make_client):
    login, password = make_counsellor("lea")
    desk, phone = logged_in(client, login, password), logged_in(make_client(), login, password)
    desk.post("/logout")
    assert (desk.get("/api/me").status_code, phone.get("/api/me").status_code) == (401, 200)


def test_the_cookie_is_secure_when_configured(desk_settings, make_counsellor):
    with TestClient(
        create_app(desk_settings.model_copy(update={"cookie_secure": True})), base_url="https://testserver"
    ) as secure:
        login, password = make_counsellor("tom")
        cookie = (
            secure.post("/login", data={"login": login, "password": password}, follow_redirects=False)
            .headers["set-cookie"]
            .lower()
        )
    assert "; secure" in cookie


@pytest.mark.parametrize(
    "form",
    [
        {"login": "lea", "password": "wrong password"},
        {"login": "nobody", "password": "whatever1"},
        {"login": "lea"},
        {},
    ],
)
def test_wrong_credentials_go_back_to_the_form(client, make_counsellor, form):
    make_counsellor("lea")
    response = client.post("/login", data=form, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?error=1")
    assert "set-cookie" not in response.headers
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/tickets/12", "/tickets/12"),
        ("/stats?days=7", "/stats?days=7"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_login_goes_on_to_a_local_next_page_only(client, make_counsellor, target, expected):
    login, password = make_counsellor("lea")
    response = client.post(
        "/login", data={"login": login, "password": password, "next": target}, follow_redirects=False
    )
    assert response.headers["location"] == expected
    client.post("/logout")
    failed = urlsplit(
        client.post(
            "/login", data={"login": login, "password": "nope", "next": target}, follow_redirects=False
        ).headers["location"]
    )
    assert failed.path == "/login"
    assert parse_qs(failed.query) == {"error": ["1"]} | ({"next": [expected]} if expected != "/" else {})


def test_a_disabled_account_cannot_log_in_and_its_session_stops(client, app, make_counsellor, logged_in, make_client):
    login, password = make_counsellor("eva")
    browser = logged_in(make_client(), login, password)
    assert browser.get("/api/me").status_code == 200
    with app.state.database.session() as session:
        session.query(Counsellor).filter_by(login=login).update({"disabled": True})
        session.commit()
    assert browser.get("/api/me").status_code == 401
    assert browser.get("/api/tickets").status_code == 401
    refused = client.post("/login", data={"login": login, "password": password}, follow_redirects=False)
    assert refused.headers["location"] == "/login?error=1"


def test_a_forged_cookie_is_not_a_session(client, make_counsellor):
    make_counsellor("eva")
    client.cookies.set("desk_session", "eyJjb3Vuc2VsbG9yX2lkIjogMX0=.forged.signature")
    assert client.get("/api/me").status_code == 401


def test_cross_site_state_changes_are_refused(client, make_counsellor, logged_in, make_ticket):
    login, password = make_counsellor("noor", ["fr"], ["training"])
    ticket = make_ticket()
    evil = {"Origin": "https://evil.example"}
    assert (
        client.post(
            "/login", data={"login": login, "password": password}, headers=evil, follow_redirects=False
        ).status_code
        == 403
    )
    logged_in(client, login, password)
    claim = f"/api/tickets/{ticket['id']}/claim"
    assert client.post(claim, headers=evil).status_code == 403
    assert client.post(claim, headers={"Origin": "null"}).status_code == 403
    assert client.post(claim, headers={"Origin": "http://testserver.evil.example"}).status_code == 403
    assert (
        client.put(
            "/api/me", headers=evil, json={"languages": ["fr"], "areas": [], "on_duty": False, "ui_language": "fr"}
        ).status_code
        == 403
    )
    assert client.post("/logout", headers=evil, follow_redirects=False).status_code == 403
    assert client.get("/api/me", headers=evil).status_code == 200  # reading is not changing
    # From the desk's own pages (or with no Origin at all, as servers send), it goes through.
    assert client.post(claim, headers={"Origin": "http://testserver"}).status_code == 200


def test_me_reads_and_changes_the_counsellors_own_settings(client, make_counsellor, logged_in):
    logged_in(client, *make_counsellor("jan", ["nl"], ["employment"], on_duty=False))
    assert client.get("/api/me").json() == {
        "login": "jan",
        "languages": ["nl"],
        "areas": ["employment"],
        "on_duty": False,
        "ui_language": "nl",
        "is_manager": False,
    }
    change = {"languages": ["nl", "fr", "nl"], "areas": ["mobility", "training"], "on_duty": True, "ui_language": "fr"}
    updated = client.put("/api/me", json=change)
    assert updated.status_code == 200
    assert updated.json() == {
        "login": "jan",
        "languages": ["nl", "fr"],
        "areas": ["mobility", "training"],
        "on_duty": True,
        "ui_language": "fr",
        "is_manager": False,
    }
    assert client.get("/api/me").json() == updated.json()
    for wrong in (
        {**change, "languages": ["de"]},
        {**change, "areas": ["cooking"]},
        {**change, "ui_language": "en"},
        {"on_duty": True},
    ):
        assert client.put("/api/me", json=wrong).status_code == 422
    client.post("/logout")
    assert client.put("/api/me", json=change).status_code == 401
