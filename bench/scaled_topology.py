"""The scaled topology of `make run-scaled` started by the real launcher on free ports, for the tests and
`make bench-load`: its output collected, the process ids it prints, nginx's access log."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx

from launcher.services import APP_PYTHON, PROJECT_ROOT


def consecutive_free_ports(count: int, taken: set[int] | None = None) -> int:
    """The first of `count` consecutive ports nobody listens on (instance i uses base + i - 1), none of them
    in `taken` (the ports already chosen for the other servers, which do not listen yet: two choices made
    independently once gave nginx and the web service the same port)."""
    taken = taken if taken is not None else set()
    for base in range(20000 + secrets.randbelow(20000), 65000, 7):
        if taken.intersection(range(base, base + count)):
            continue
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free ports")


class Launcher:
    """`python -m launcher --instances N` in its own process group, its output collected line by line."""

    def __init__(self, directory: Path, desk_db: str, tracker_db: str, instances: int = 2) -> None:
        self.directory = directory
        self.instances = instances
        taken: set[int] = set()

        def ports(count: int) -> int:
            base = consecutive_free_ports(count, taken)
            taken.update(range(base, base + count))
            return base

        self.rasa_port, self.actions_port = ports(instances), ports(instances)
        self.web_port, self.desk_port = ports(1), ports(1)
        self.edge_port, self.edge_desk_port = ports(1), ports(1)
        self.rasa_token = secrets.token_urlsafe(16)
        self.env = {
            **os.environ,
            "PASSERELLE_RASA_PORT": str(self.rasa_port),
            "PASSERELLE_ACTIONS_PORT": str(self.actions_port),
            "PASSERELLE_WEB_PORT": str(self.web_port),
            "PASSERELLE_DESK_PORT": str(self.desk_port),
            "PASSERELLE_EDGE_PORT": str(self.edge_port),
            "PASSERELLE_EDGE_DESK_PORT": str(self.edge_desk_port),
            "PASSERELLE_SCALED_DIR": str(directory),
            "PASSERELLE_SERVICE_TOKEN": secrets.token_urlsafe(16),
            "PASSERELLE_RASA_TOKEN": self.rasa_token,
            "DATABASE_URL": desk_db,
            "PASSERELLE_TRACKER_DB_URL": tracker_db,
        }
        self.lines: list[str] = []
        self.process: subprocess.Popen[str] | None = None
        self.edge = f"http://127.0.0.1:{self.edge_port}"
        self.edge_desk = f"http://127.0.0.1:{self.edge_desk_port}"

    def start(self, timeout: float = 600) -> None:
        self.process = subprocess.Popen(
            [str(APP_PYTHON), "-m", "launcher", "--instances", str(self.instances)],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self.collect, daemon=True).start()
        self.wait_for("Press Ctrl-C to stop", timeout)

    def collect(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float, after: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if text in line:
                    return line
            assert self.process is not None and self.process.poll() is None, "".join(self.lines[-40:])
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not printed within {timeout} s:\n" + "".join(self.lines[-40:]))

    def pid(self, name: str) -> int:
        """The process id the launcher printed for a service ("Rasa server 1 … (pid 123)"), latest first."""
        for line in reversed(self.lines):
            found = re.search(rf"(?:  {re.escape(name)} .*\(pid|the {re.escape(name)} again \(pid) (\d+)\)", line)
            if found:
                return int(found.group(1))
        raise AssertionError(f"no pid printed for {name}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def access_log(self) -> list[str]:
        return (self.directory / "nginx" / "access.log").read_text().splitlines()

    def send(self, sender: str, message: str, client: httpx.Client | None = None) -> list[dict]:
        response = (client or httpx).post(
            f"{self.edge}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        assert response.status_code == 200, response.text
        return response.json()

    def tracker(self, sender: str) -> dict:
        """Straight from the Rasa servers' HTTP API, with their token (nginx does not expose it). Each server
        answers once its own saves of the conversation are done (they run after the reply): the last
        one asked answers with every turn saved."""
        for port in range(self.rasa_port, self.rasa_port + self.instances):
            response = httpx.get(
                f"http://127.0.0.1:{port}/conversations/{sender}/tracker",
                params={"token": self.rasa_token},
                timeout=30,
            )
            response.raise_for_status()
        return response.json()
