"""The whole assistant on free ports, for the tests and the benchmarks: the desk, the web
service, an action server and a Rasa server, started and stopped together."""

from __future__ import annotations

import os
import secrets
import subprocess
import uuid
from pathlib import Path
from typing import IO, Self

import httpx

from common.defaults import PROJECT_ROOT
from launcher.services import (
    APP_PYTHON,
    SERVER_ENV,
    Service,
    action_server,
    desk_service,
    endpoints_for,
    free_port,
    rasa_server,
    web_service,
)
from launcher.settings import LauncherSettings


class Stack:
    """The desk, the web service, an action server and a Rasa server on free ports, stopped together.

    The desk keeps its tickets in a SQLite file of its own (`desk_db_url`), the
    action server its outbox next to it.
    """

    def __init__(self, directory: Path, tracker_db_url: str, log: IO) -> None:
        self.directory = directory
        self.tracker_db_url = tracker_db_url
        self.desk_db_url = f"sqlite:///{directory / 'desk.db'}"
        self.log = log
        self.actions_port = free_port()
        web_port = free_port()
        # The widget and kiosk pages come from the web service: Rasa accepts browsers from there only.
        self.settings = LauncherSettings(
            rasa_port=free_port(),
            web_port=web_port,
            desk_port=free_port(),
            service_token=secrets.token_urlsafe(16),
            rasa_token=secrets.token_urlsafe(16),
            cors_origins=f"http://127.0.0.1:{web_port} http://localhost:{web_port}",
        )
        self.desk: Service | None = None
        self.web: Service | None = None
        self.actions: Service | None = None
        self.rasa: Service | None = None
        # Extra environment of the Rasa server (a test may change its limits).
        self.rasa_env: dict[str, str] = {}
        self.rasa_url = f"http://127.0.0.1:{self.settings.rasa_port}"
        # Fixed for the stack's life, so counsellors stay logged in when the desk restarts.
        self.session_secret = secrets.token_urlsafe(16)
        self.desk_api = httpx.Client(
            base_url=f"http://127.0.0.1:{self.settings.desk_port}",
            timeout=30,
            headers={"Authorization": f"Bearer {self.settings.service_token}"},
        )

    def start(self) -> Self:
        self.start_desk()
        self.web = web_service(self.settings).start(self.settings.start_timeout, self.log)
        self.actions = action_server(self.settings, port=self.actions_port)
        self.actions.env.update(
            {"PASSERELLE_OUTBOX_FILE": str(self.directory / "outbox.db"), "PASSERELLE_OUTBOX_RETRY_SECONDS": "1"}
        )
        self.actions.start(self.settings.start_timeout, self.log)
        self.start_rasa()
        return self

    def start_desk(self, extra_env: dict[str, str] | None = None) -> None:
        self.desk = desk_service(
            self.settings,
            {
                "DATABASE_URL": self.desk_db_url,
                "PASSERELLE_TRACKER_DB_URL": self.tracker_db_url,
                "PASSERELLE_SESSION_SECRET": self.session_secret,
                **(extra_env or {}),
            },
        )
        self.desk.start(self.settings.start_timeout, self.log)

    def start_rasa(self) -> None:
        self.rasa = rasa_server(
            self.settings,
            extra_env={"PASSERELLE_TRACKER_DB_URL": self.tracker_db_url, **self.rasa_env},
            endpoints=endpoints_for(self.actions_port, self.directory),
        )
        self.rasa.start(self.settings.start_timeout, self.log)

    def stop(self) -> None:
        for service in (self.rasa, self.actions, self.web, self.desk):
            if service:
                service.stop()
        self.desk_api.close()

    def create_counsellor(self, languages: str, areas: str) -> tuple[str, str]:
        """A new counsellor account, made with the accounts command: its login and password."""
        login, password = f"c{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        subprocess.run(
            [
                str(APP_PYTHON),
                "-m",
                "desk.accounts",
                "create",
                login,
                "--languages",
                languages,
                "--areas",
                areas,
                "--password-stdin",
            ],
            input=password + "\n",
            text=True,
            check=True,
            cwd=PROJECT_ROOT,
            env={**os.environ, **SERVER_ENV, "DATABASE_URL": self.desk_db_url},
            stdout=subprocess.DEVNULL,
        )
        return login, password

    def counsellor(self, languages: str, areas: str) -> httpx.Client:
        """A new counsellor, logged in to the desk API and on duty."""
        login, password = self.create_counsellor(languages, areas)
        desk = httpx.Client(base_url=str(self.desk_api.base_url), timeout=30)
        if desk.post("/login", data={"login": login, "password": password}).status_code != 303:
            raise RuntimeError(f"counsellor {login} could not log in")
        me = {"languages": languages.split(","), "areas": areas.split(","), "on_duty": True, "ui_language": "fr"}
        desk.put("/api/me", json=me).raise_for_status()
        return desk
