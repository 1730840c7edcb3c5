"""`python -m desk.accounts`, run as the IT team runs it: a real process on the real database."""

from __future__ import annotations

import os
import subprocess
import sys

from common.defaults import PROJECT_ROOT


def accounts(database_url: str, *args: str, password: str = "", dev_mode: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "PASSERELLE_DEV_MODE": "true" if dev_mode else "false"}
    return subprocess.run(
        [sys.executable, "-m", "desk.accounts", *args],
        input=password,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=60,
    )


def can_log_in(client, login: str, password: str) -> bool:
    response = client.post("/login", data={"login": login, "password": password}, follow_redirects=False)
    return response.headers["location"] == "/"


def with_cookie(browser, cookie: str):
    browser.cookies.set("desk_session", cookie)
    return browser


def test_create_list_disable_enable_and_set_password(client, make_client, database_url):
    created = accounts(
        database_url,
        "create",
        "hanna",
        "--languages",
        "nl,fr",
        "--areas",
        "training,employment",
        "--manager",
        "--password-stdin",
        password="correct horse\n",
    )
    assert created.returncode == 0, created.stderr
    assert can_log_in(client, "hanna", "correct horse")
    assert client.get("/api/me").json() == {
        "login": "hanna",
        "languages": ["nl", "fr"],
        "areas": ["training", "employment"],
        "on_duty": False,
        "ui_language": "nl",
        "is_manager": True,
    }

    again = accounts(
        database_url,
        "create",
        "hanna",
        "--languages",
        "fr",
        "--areas",
        "training",
        "--password-stdin",
        password="another one\n",
    )
    assert again.returncode == 1 and "already exists" in again.stderr

    listing = accounts(database_url, "list")
    assert listing.returncode == 0 and "hanna" in listing.stdout and "training,employment" in listing.stdout

    cookie = client.cookies["desk_session"]
    assert accounts(database_url, "disable", "hanna").returncode == 0
    assert client.get("/api/me").status_code == 401  # the open session stops too
    assert not can_log_in(client, "hanna", "correct horse")
    assert accounts(database_url, "enable", "hanna").returncode == 0
    # Ended, not only suspended while the account was disabled.
    assert with_cookie(make_client(), cookie).get("/api/me").status_code == 401
    assert can_log_in(client, "hanna", "correct horse")

    cookie = client.cookies["desk_session"]
    assert (
        accounts(database_url, "set-password", "hanna", "--password-stdin", password="new secret 42\n").returncode == 0
    )
    # A new password ends the sessions opened with the old one.
    assert with_cookie(make_client(), cookie).get("/api/me").status_code == 401
    assert not can_log_in(client, "hanna", "correct horse")
    assert can_log_in(client, "hanna", "new secret 42")


def test_clear_refusals(client, database_url):
    short = accounts(
        database_url,
        "create",
        "joe",
        "--languages",
        "fr",
        "--areas",
        "training",
        "--password-stdin",
        password="short\n",
    )
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    unknown = accounts(database_url, "disable", "nobody")
    assert unknown.returncode == 1 and "no account 'nobody'" in unknown.stderr
    for login, area, refusal in (("joe", "cooking", "areas must be among"), ("joe smith", "training", "a login has")):
        wrong = accounts(
            database_url,
            "create",
            login,
            "--languages",
            "fr",
            "--areas",
            area,
            "--password-stdin",
            password="long enough\n",
        )
        assert wrong.returncode == 2 and refusal in wrong.stderr, (login, area)
    assert accounts(database_url).returncode == 2


def test_demo_account_in_dev_mode_only(client, database_url):
    refused = accounts(database_url, "demo")
    assert refused.returncode == 1 and "development mode only" in refused.stderr
    assert not can_log_in(client, "demo", "")

    made = accounts(database_url, "demo", dev_mode=True)
    assert made.returncode == 0, made.stderr
    lines = dict(line.split(": ", 1) for line in made.stdout.splitlines())
    assert lines["login"] == "demo"
    assert can_log_in(client, "demo", lines["password"])
    assert client.get("/api/me").json() == {
        "login": "demo",
        "languages": ["fr", "nl"],
        "areas": ["education", "training", "employment", "entrepreneurship", "mobility"],
        "on_duty": True,
        "ui_language": "fr",
        "is_manager": True,
    }
    # Run again: a new password, the old one stops working.
    second = dict(line.split(": ", 1) for line in accounts(database_url, "demo", dev_mode=True).stdout.splitlines())
    assert second["password"] != lines["password"]
    assert not can_log_in(client, "demo", lines["password"])


def test_a_counsellor_changes_their_own_password(client, make_client, make_counsellor, logged_in):
    login, password = make_counsellor("lea")
    logged_in(client, login, password)
    elsewhere = logged_in(make_client(), login, password)
    change = {"current_password": password, "new_password": "a brand new one"}
    assert client.post("/api/me/password", json={**change, "new_password": "short"}).status_code == 422
    assert client.post("/api/me/password", json={**change, "current_password": "not it"}).status_code == 403
    assert client.post("/api/me/password", json=change).status_code == 204
    # This browser goes on; the other session ends, as when the coordination sets a password.
    assert client.get("/api/me").status_code == 200
    assert elsewhere.get("/api/me").status_code == 401
    assert not can_log_in(make_client(), login, password)
    assert can_log_in(make_client(), login, "a brand new one")


def test_wrong_current_passwords_count_as_failed_logins(client, make_counsellor, logged_in, desk_settings):
    login, password = make_counsellor("tom")
    logged_in(client, login, password)
    wrong = {"current_password": "guess", "new_password": "a brand new one"}
    answers = [client.post("/api/me/password", json=wrong) for _ in range(desk_settings.login_free_failures + 1)]
    assert [a.status_code for a in answers[:-1]] == [403] * desk_settings.login_free_failures
    assert answers[-1].status_code == 429 and int(answers[-1].headers["Retry-After"]) >= 1
