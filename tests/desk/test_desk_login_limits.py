"""Login attempts limited per account and per client address, with a delay that doubles: checked before the
password, so a locked account does not open with the right one; counters in the database, keyed by HMACs."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from common.clock import utc_now
from desk.login_limits import counter_key, wait_seconds
from desk.main import create_app
from desk.models import LoginFailures

HTML = {"Accept": "text/html,application/xhtml+xml"}


def attempt(browser: TestClient, login: str, password: str, **headers: str):
    return browser.post("/login", data={"login": login, "password": password}, headers=headers, follow_redirects=False)


def outcome(response) -> str:
    """ "in", "wrong" (back to the form) or "refused" (429)."""
    if response.status_code == 429:
        return "refused"
    assert response.status_code == 303, response.text
    return "in" if response.headers["location"] == "/" else "wrong"


def set_counter(app, key: str, failures: int, last_failure_at: datetime) -> None:
    with app.state.database.session() as session:
        session.execute(sa.delete(LoginFailures).where(LoginFailures.key == key))
        session.add(LoginFailures(key=key, failures=failures, last_failure_at=last_failure_at))
        session.commit()


def age_counters(app, seconds: float) -> None:
    """As if every failure happened `seconds` earlier."""
    with app.state.database.session() as session:
        for row in session.scalars(sa.select(LoginFailures)):
            row.last_failure_at -= timedelta(seconds=seconds)
        session.commit()


def counters(app) -> dict[str, int]:
    with app.state.database.session() as session:
        return {row.key: row.failures for row in session.scalars(sa.select(LoginFailures))}


def test_the_delay_doubles_from_one_second_up_to_the_maximum():
    last = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
    assert [wait_seconds(failures, last, 5, 900, last) for failures in range(4, 16)] == [
        0,
        1,
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        256,
        512,
        900,
    ]
    assert wait_seconds(5_000, last, 5, 900, last) == 900
    assert wait_seconds(7, last, 5, 900, last + timedelta(seconds=3)) == 1
    assert wait_seconds(7, last, 5, 900, last + timedelta(seconds=5)) == 0


def test_200_wrong_passwords_then_the_right_one_is_refused_until_the_delay_passes(
    client, app, desk_settings, make_counsellor
):
    login, password = make_counsellor("lea")
    results = [outcome(attempt(client, login, "wrong password")) for _ in range(200)]
    assert results[:5] == ["wrong"] * 5  # the free failures
    assert results[5] == "refused" and results.count("refused") > 150
    account = counter_key(desk_settings.session_secret, "login", login)
    # Refused attempts are not counted: only the ones whose password was checked.
    assert counters(app)[account] == results.count("wrong")

    refused = attempt(client, login, password)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json() == {"detail": f"too many login attempts: try again in {refused.headers['retry-after']} s"}
    assert "set-cookie" not in refused.headers and client.get("/api/me").status_code == 401

    age_counters(app, desk_settings.login_max_delay_seconds)
    assert outcome(attempt(client, login, password)) == "in"
    # A success clears the account's counter: the free failures are back.
    assert account not in counters(app)
    client.post("/logout")
    assert [outcome(attempt(client, login, "wrong password")) for _ in range(5)] == ["wrong"] * 5


def test_an_unknown_login_is_limited_like_an_existing_one(client, make_counsellor):
    make_counsellor("lea")
    assert [outcome(attempt(client, "nobody", "guess")) for _ in range(7)] == ["wrong"] * 5 + ["refused"] * 2
    assert outcome(attempt(client, "lea", "guess")) == "wrong"  # another account: its own counter


@pytest.mark.parametrize(
    "language, failures, message",
    [
        ("fr", 15, "Trop de tentatives. Réessayez dans 15 minutes."),
        ("nl", 15, "Te veel pogingen. Probeer het over 15 minuten opnieuw."),
        ("fr", 11, "Trop de tentatives. Réessayez dans 2 minutes."),  # 64 s
        ("fr", 8, "Trop de tentatives. Réessayez dans une minute."),
        ("nl", 8, "Te veel pogingen. Probeer het over een minuut opnieuw."),
    ],
)
def test_a_browser_gets_the_login_page_with_the_time_to_wait(
    client, app, desk_settings, make_counsellor, language, failures, message
):
    login, password = make_counsellor("lea")
    set_counter(app, counter_key(desk_settings.session_secret, "login", login), failures, utc_now())
    page = attempt(client, login, password, **HTML, **{"Accept-Language": language})
    assert page.status_code == 429
    seconds = min(2 ** (failures - 5), 900)
    assert seconds - 2 <= int(page.headers["retry-after"]) <= seconds
    assert page.headers["content-type"].startswith("text/html")
    shown = re.search(r'<p class="message message-error" role="alert" id="login-error">(.*?)</p>', page.text, re.S)
    assert shown and shown.group(1).strip() == message
    assert 'action="/login"' in page.text and 'aria-describedby="login-error"' in page.text


def test_the_limit_per_address_covers_every_login_and_another_address_is_free(app, desk_settings, make_counsellor):
    settings = desk_settings.model_copy(update={"login_free_failures_per_address": 3})
    strict = create_app(settings)
    with TestClient(strict) as here, TestClient(strict, client=("192.0.2.7", 50000)) as elsewhere:
        login, password = make_counsellor("lea")
        assert [outcome(attempt(here, name, "guess")) for name in ("ana", "bob", "cleo")] == ["wrong"] * 3
        assert outcome(attempt(here, login, password)) == "refused"  # the right password of a fourth account
        assert outcome(attempt(elsewhere, login, password)) == "in"
    keys = set(counters(app))
    # Keyed by HMACs: neither the addresses nor the logins are stored.
    assert all(re.fullmatch("[0-9a-f]{64}", key) for key in keys)
    assert counter_key(settings.session_secret, "address", "testclient") in keys
    assert counter_key(settings.session_secret, "address", "192.0.2.7") in keys  # its attempt given back: 0


def test_a_success_gives_the_address_its_attempt_back(client, app, desk_settings, make_counsellor):
    login, password = make_counsellor("lea")
    for _ in range(3):
        attempt(client, login, "wrong password")
    assert outcome(attempt(client, login, password)) == "in"
    address = counter_key(desk_settings.session_secret, "address", "testclient")
    assert counters(app) == {address: 3}


def test_a_counter_is_forgotten_after_the_hours_it_is_kept(client, app, desk_settings, make_counsellor):
    login, _ = make_counsellor("lea")
    key = counter_key(desk_settings.session_secret, "login", login)
    kept = timedelta(hours=desk_settings.login_failures_kept_hours)
    # Still remembered: the delay has passed, so one attempt, and the next one waits the maximum delay.
    set_counter(app, key, 40, utc_now() - kept + timedelta(minutes=1))
    assert [outcome(attempt(client, login, "guess")) for _ in range(2)] == ["wrong", "refused"]
    # Forgotten: the free failures are back.
    set_counter(app, key, 40, utc_now() - kept - timedelta(seconds=1))
    assert [outcome(attempt(client, login, "guess")) for _ in range(6)] == ["wrong"] * 5 + ["refused"]


def test_concurrent_attempts_do_not_share_the_free_ones(app, make_client, desk_settings, make_counsellor):
    login, _ = make_counsellor("lea")
    browsers = [make_client() for _ in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda browser: outcome(attempt(browser, login, "wrong password")), browsers))
    checked = results.count("wrong")
    # Each checked password took a slot of its own; a slow run may see the 1-second delay pass once.
    assert desk_settings.login_free_failures <= checked <= desk_settings.login_free_failures + 1, results
    assert counters(app)[counter_key(desk_settings.session_secret, "login", login)] == checked
