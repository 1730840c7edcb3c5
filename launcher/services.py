"""The web service, the action server and the Rasa server as child processes.

Each server runs in its own process group so that stopping it also stops
anything it spawned; `start` returns once the server answers on its health URL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from common.defaults import PROJECT_ROOT
from launcher.endpoints import write_endpoints
from launcher.settings import LauncherSettings

RASA = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
# Rasa's command line with Passerelle's time limit on action calls (bot/server.py).
RASA_SERVER = [str(PROJECT_ROOT / ".venv-rasa" / "bin" / "python"), "-m", "bot.server"]
APP_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
SERVER_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


class ServiceFailed(RuntimeError):
    """A server exited or did not answer in time."""


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    address: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log: IO[Any] | int | None = None

    def start(self, timeout: float, log: IO[Any] | int | None = None) -> Service:
        self.spawn(log)
        self.wait_until_ready(timeout)
        return self

    def spawn(self, log: IO[Any] | int | None = None) -> None:
        """Starts the process without waiting for it to answer; a restart writes to the same log."""
        self.log = log
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env={**os.environ, **SERVER_ENV, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
            start_new_session=True,
        )

    def answers(self) -> bool:
        try:
            return httpx.get(self.health_url, timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def kill_leftovers(self) -> None:
        """After the server itself exited: whatever it spawned goes too, before it is started again."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def wait_until_ready(self, timeout: float) -> None:
        assert self.process is not None, "start() runs the process first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServiceFailed(f"{self.name} exited with code {self.process.returncode}")
            if self.answers():
                return
            time.sleep(0.5)
        self.stop()
        raise ServiceFailed(f"{self.name} did not answer {self.health_url} within {timeout:.0f} s")

    def stop(self, grace: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait()


def desk_env(settings: LauncherSettings) -> dict[str, str]:
    """What every server needs to reach the desk service."""
    return {
        "PASSERELLE_DESK_URL": f"http://127.0.0.1:{settings.desk_port}",
        "PASSERELLE_SERVICE_TOKEN": settings.service_token,
    }


# What uvicorn gives open requests when it stops; the desk's queue streams end then (the pages reconnect).
GRACEFUL_SHUTDOWN_SECONDS = 3


def uvicorn_service(
    name: str, app: str, host: str, port: int, env: dict[str, str], behind_proxy: bool = False
) -> Service:
    """A FastAPI app served by uvicorn (one worker), ready when its /api/health answers.

    Behind nginx on this machine it takes the client's address from X-Forwarded-For (the desk's login limits)."""
    proxy = ["--proxy-headers", "--forwarded-allow-ips=127.0.0.1"] if behind_proxy else []
    return Service(
        name=name,
        command=[
            str(APP_PYTHON),
            "-m",
            "uvicorn",
            app,
            "--host",
            host,
            "--port",
            str(port),
            "--log-level",
            "warning",
            # The desk's open queue pages hold a stream (server-sent events): stopping does not wait for them.
            "--timeout-graceful-shutdown",
            str(GRACEFUL_SHUTDOWN_SECONDS),
            *proxy,
        ],
        health_url=f"http://127.0.0.1:{port}/api/health",
        address=f"http://{host}:{port}",
        env=env,
    )


def desk_service(
    settings: LauncherSettings,
    extra_env: dict[str, str] | None = None,
    name: str = "desk service",
    behind_proxy: bool = False,
) -> Service:
    return uvicorn_service(
        name,
        "desk.main:app",
        settings.desk_host,
        settings.desk_port,
        {**desk_env(settings), "PASSERELLE_DEV_MODE": str(settings.dev_mode).lower(), **(extra_env or {})},
        behind_proxy,
    )


def web_service(settings: LauncherSettings, port: int | None = None, public_rasa_url: str = "") -> Service:
    # The widget and the kiosk talk to Rasa from the visitor's browser: directly, or through nginx.
    return uvicorn_service(
        "web service",
        "web_service.main:app",
        settings.web_host,
        port or settings.web_port,
        {"PASSERELLE_PUBLIC_RASA_URL": public_rasa_url or f"http://{settings.rasa_host}:{settings.rasa_port}"},
    )


def action_server(
    settings: LauncherSettings,
    port: int | None = None,
    web_port: int | None = None,
    rasa_port: int | None = None,
    name: str = "action server",
    extra_env: dict[str, str] | None = None,
) -> Service:
    port = port or settings.actions_port
    return Service(
        name=name,
        command=[str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/health",
        address=f"http://127.0.0.1:{port}",
        env={
            "SANIC_HOST": "127.0.0.1",
            "PASSERELLE_SEARCH_URL": f"http://127.0.0.1:{web_port or settings.web_port}",
            # Its own Rasa server's HTTP API (the outbox's new numbers).
            "PASSERELLE_RASA_URL": f"http://127.0.0.1:{rasa_port or settings.rasa_port}",
            "PASSERELLE_RASA_TOKEN": settings.rasa_token,
            **desk_env(settings),
            **(extra_env or {}),
        },
    )


def rasa_server(
    settings: LauncherSettings,
    extra_env: dict[str, str] | None = None,
    endpoints: str = "endpoints.yml",
    extra_args: Sequence[str] = (),
    port: int | None = None,
    name: str = "Rasa server",
) -> Service:
    host, port = settings.rasa_host, port or settings.rasa_port
    return Service(
        name=name,
        command=[
            *RASA_SERVER,
            "run",
            # The HTTP API only with its token: nothing in the visitors' path needs it.
            # One argument: a generated token may start with "-".
            *(["--enable-api", f"--auth-token={settings.rasa_token}"] if settings.rasa_token else []),
            "--interface",
            host,
            "--port",
            str(port),
            "--model",
            str(settings.model),
            "--endpoints",
            endpoints,
            "--credentials",
            "credentials.yml",
            "--cors",
            *settings.cors_origins.split(),
            *extra_args,
        ],
        health_url=f"http://127.0.0.1:{port}/",
        address=f"http://{host}:{port}",
        env={**desk_env(settings), "PASSERELLE_CORS_ORIGINS": settings.cors_origins, **(extra_env or {})},
    )


def stop_all(services: Sequence[Service]) -> None:
    for service in reversed(services):
        service.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def endpoints_for(actions_port: int, directory: Path) -> str:
    """A copy of endpoints.yml pointed at an action server on another port (tests, benchmarks)."""
    return write_endpoints(directory / "endpoints.yml", f"http://127.0.0.1:{actions_port}")
