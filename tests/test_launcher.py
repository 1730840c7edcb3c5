"""`make run` starts every server, answers, and stops everything on Ctrl-C.

It is started as a script's background job is, with SIGINT ignored from the start: the launcher must still
stop on it (it handles SIGINT itself), where Python's default Ctrl-C handling would leave every server
running. A terminal's Ctrl-C goes through the same handler."""

import os
import signal
import socket

import httpx
import pytest

from bench.startup import start_make_run
from launcher.settings import LauncherSettings

pytestmark = pytest.mark.servers


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_make_run_starts_and_stops_every_server(model, tmp_path):
    settings = LauncherSettings()
    ports = (settings.rasa_port, settings.actions_port, settings.desk_port, settings.web_port)
    busy = [p for p in ports if port_is_open(p)]
    assert not busy, f"ports {busy} are taken: stop the running assistant before the tests"
    env = {
        **os.environ,
        "PASSERELLE_TRACKER_DB_URL": f"sqlite:///{tmp_path}/tracker.db",
        "DATABASE_URL": f"sqlite:///{tmp_path}/desk.db",
        "PASSERELLE_OUTBOX_FILE": f"{tmp_path}/outbox.db",
    }
    process = start_make_run(env, sigint_ignored=True)
    assert process.stdout is not None  # stdout=PIPE
    try:
        output = []
        for line in process.stdout:
            output.append(line)
            if "Press Ctrl-C to stop" in line:
                break
        printed = "".join(output)
        assert "Passerelle is ready" in printed, printed
        assert f"http://127.0.0.1:{settings.rasa_port}" in printed
        assert f"http://127.0.0.1:{settings.actions_port}" in printed
        assert f"Counsellor desk: http://127.0.0.1:{settings.desk_port}/" in printed
        web = f"http://127.0.0.1:{settings.web_port}"
        assert f"(demo page: {web}/widget/demo)" in printed and f"Kiosk: {web}/kiosk" in printed
        for page in ("/widget.js", "/widget/demo", "/kiosk"):
            assert httpx.get(web + page).status_code == 200, page
        # Development mode: a demo counsellor who can log in with the password printed.
        password = printed.split("password: ", 1)[1].split()[0]
        login = httpx.post(f"http://127.0.0.1:{settings.desk_port}/login", data={"login": "demo", "password": password})
        assert login.status_code == 303 and login.headers["location"] == "/"
        reply = httpx.post(
            f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook",
            json={"sender": "launcher-test", "message": "bonjour"},
            timeout=60,
        )
        assert reply.json()[0]["text"].startswith("Bonjour, je suis Passerelle")
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        rest, _ = process.communicate(timeout=60)
    # The launcher must have stopped every server.
    assert "Stopping" in rest, rest
    assert not any(port_is_open(port) for port in ports)
