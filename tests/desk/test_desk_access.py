"""Who may call which API endpoint: nobody (401), the service token, a counsellor, a manager (403 when the
wrong kind). The service token creates tickets and sends the assistant's data, and reads nothing a visitor
wrote."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from desk.main import create_app

EVERYONE = {"nobody", "service", "counsellor", "manager"}
SERVICE = {"service"}
COUNSELLORS = {"counsellor", "manager"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    allowed: set[str]
    success: int
    json: Any = None
    params: dict[str, str] = field(default_factory=dict)
    # Release and close need the ticket claimed by the caller first.
    claimed: bool = False


ENDPOINTS = [
    Endpoint("GET", "/api/health", EVERYONE, 200),
    Endpoint("POST", "/api/tickets", SERVICE, 201, json="ticket"),
    Endpoint("GET", "/api/tickets", COUNSELLORS, 200),
    Endpoint("GET", "/api/tickets/{ticket_id}", COUNSELLORS, 200),
    Endpoint("POST", "/api/tickets/{ticket_id}/claim", COUNSELLORS, 200),
    Endpoint("POST", "/api/tickets/{ticket_id}/release", COUNSELLORS, 200, claimed=True),
    Endpoint("POST", "/api/tickets/{ticket_id}/close", COUNSELLORS, 200, json={"outcome": "answered"}, claimed=True),
    Endpoint("GET", "/api/queue/estimate", SERVICE, 200, params={"language": "fr"}),
    Endpoint("GET", "/api/me", COUNSELLORS, 200),
    Endpoint("POST", "/api/me/password", COUNSELLORS, 204, json="password"),
    Endpoint(
        "PUT",
        "/api/me",
        COUNSELLORS,
        200,
        json={"languages": ["fr", "nl"], "areas": ["training"], "on_duty": True, "ui_language": "fr"},
    ),
    Endpoint("POST", "/api/stats/events", SERVICE, 204, json={"kind": "question", "language": "fr"}),
    Endpoint("GET", "/api/stats", {"manager"}, 200),
    Endpoint("POST", "/api/survey", SERVICE, 201, json={"language": "fr", "rating": 4, "after_handoff": False}),
    Endpoint("POST", "/api/privacy/scrub", SERVICE, 200, json={"texts": ["Bonjour, je cherche une formation."]}),
]


def test_the_matrix_lists_every_api_endpoint(desk_settings):
    paths = create_app(desk_settings).openapi()["paths"]
    routes = {
        (method.upper(), path) for path, methods in paths.items() if path.startswith("/api/") for method in methods
    }
    assert routes == {(endpoint.method, endpoint.path) for endpoint in ENDPOINTS}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_access(endpoint, client, make_client, service_headers, make_counsellor, logged_in, make_ticket, ticket_body):
    nora, coordination = make_counsellor("nora"), make_counsellor("coordination", manager=True)
    callers = {
        "nobody": (make_client(), {}),
        "service": (make_client(), service_headers),
        "counsellor": (logged_in(make_client(), *nora), {}),
        "manager": (logged_in(make_client(), *coordination), {}),
    }
    passwords = {"counsellor": nora[1], "manager": coordination[1]}
    for role, (caller, headers) in callers.items():
        ticket_id = make_ticket()["id"]
        if endpoint.claimed and role in endpoint.allowed:
            assert caller.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
        body = ticket_body() if endpoint.json == "ticket" else endpoint.json
        if endpoint.json == "password":
            body = {"current_password": passwords.get(role, "unknown"), "new_password": "a new password"}
        response = caller.request(
            endpoint.method,
            endpoint.path.format(ticket_id=ticket_id),
            json=body,
            params=endpoint.params,
            headers=headers,
        )
        expected = endpoint.success if role in endpoint.allowed else 401 if role == "nobody" else 403
        assert response.status_code == expected, (role, response.text)
        if expected >= 400:
            assert response.json()["detail"], role
