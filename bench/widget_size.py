"""`.venv/bin/python -m bench.widget_size`: how much a visitor's browser downloads for the chat.

Asks the web service's own app (FastAPI TestClient, no server, no search model loaded) for each
visitor script with `Accept-Encoding: gzip`, through the real routes and GZipMiddleware, and
prints the bytes before and after compression. Baseline in the same run: the chat core alone
(/visitor-static/chat-core.js), which both scripts contain.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from web_service.main import app

SCRIPTS = {
    "widget.js (core + texts + UI + CSS)": "/widget.js",
    "kiosk.js (core + texts + UI)": "/kiosk.js",
    "chat-core.js alone (baseline)": "/visitor-static/chat-core.js",
}


def sizes(client: TestClient, path: str) -> tuple[int, int, str] | None:
    """Raw bytes, bytes on the wire and the Content-Encoding; None if the route does not exist."""
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as response:
        if response.status_code == 404:
            return None
        response.raise_for_status()
        wire = b"".join(response.iter_raw())
        encoding = response.headers.get("content-encoding", "none")
    raw = len(client.get(path, headers={"Accept-Encoding": "identity"}).content)
    return raw, len(wire), encoding


def main() -> None:
    client = TestClient(app)  # outside `with`: the search model is not loaded
    print("\nVisitor scripts as served by the web service (GZipMiddleware, minimum_size=500)")
    print(f"{'':<40}{'raw KiB':>9}{'wire KiB':>10}  encoding")
    for name, path in SCRIPTS.items():
        measured = sizes(client, path)
        if measured is None:
            print(f"{name:<40}{'(no route)':>19}")
            continue
        raw, wire, encoding = measured
        print(f"{name:<40}{raw / 1024:>9.1f}{wire / 1024:>10.1f}  {encoding}")


if __name__ == "__main__":
    main()
