"""Hostile input on every desk endpoint: a clear 4xx with a JSON `detail`, never a 500; texts that cannot be
encoded (lone surrogates) or stored (NUL) are made safe and kept; no visitor text in an answer's detail or
in the logs."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa

from desk.models import SurveyAnswer, Ticket

ODD_BODIES = {
    "lone surrogates": b'{"texts": ["\\ud800"], "language": "\\udfff", "kind": "\\udc00", "outcome": "\\ud800"}',
    "NaN": b'{"rating": NaN, "language": "fr", "texts": NaN}',
    "infinities": b"[Infinity, -Infinity]",
    "huge integer": b'{"rating": 1' + b"0" * 5000 + b"}",
    "huge exponent": b'{"rating": 1e999999, "id": -1e999999}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "nesting just under the parser's limit": b'{"texts": ' + b"[" * 950 + b"]" * 950 + b"}",
    "wrong types": b'{"texts": 3, "language": ["fr"], "kind": {}, "rating": "five", "outcome": 1, "languages": "fr",'
    b' "client_ref": 12, "requested_at": true, "answers": "none"}',
    "null": b"null",
    "a list": b"[]",
    "a string": b'"ticket"',
    "empty": b"",
    "not JSON": b"hello",
    "binary": bytes(range(256)) * 4,
    "invalid UTF-8": b'{"texts": ["\xff\xfe\xc3"]}',
    "UTF-16 with a lone surrogate": '{"texts": ["x"]}'.encode("utf-16") + b"\x00\xd8",
}
SERVICE_ENDPOINTS = [
    ("POST", "/api/tickets"),
    ("POST", "/api/privacy/scrub"),
    ("POST", "/api/stats/events"),
    ("POST", "/api/survey"),
]
COUNSELLOR_ENDPOINTS = [("PUT", "/api/me"), ("POST", "/api/tickets/{id}/close"), ("POST", "/api/tickets/{id}/claim")]
MARKER = "Zorblax Quindlewhistle"


def assert_refused_clearly(response, what: str) -> None:
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/json", what
    assert response.json()["detail"], what


@pytest.fixture
def counsellor(make_client, make_counsellor, logged_in):
    return logged_in(make_client(), *make_counsellor("noor"))


@pytest.mark.parametrize("method, path", SERVICE_ENDPOINTS)
def test_odd_bodies_on_the_services_endpoints(client, service_headers, method, path):
    for name, body in ODD_BODIES.items():
        response = client.request(
            method, path, content=body, headers={**service_headers, "Content-Type": "application/json"}
        )
        assert_refused_clearly(response, name)


@pytest.mark.parametrize("method, path", COUNSELLOR_ENDPOINTS)
def test_odd_bodies_on_the_counsellors_endpoints(counsellor, make_ticket, method, path):
    ticket = make_ticket()
    counsellor.post(f"/api/tickets/{ticket['id']}/claim")
    for name, body in ODD_BODIES.items():
        response = counsellor.request(
            method, path.format(id=ticket["id"]), content=body, headers={"Content-Type": "application/json"}
        )
        if path.endswith("/claim"):  # takes no body: whatever is sent is ignored
            assert response.status_code == 200, name
        else:
            assert_refused_clearly(response, name)


def test_bodies_of_another_content_type(client, service_headers):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        response = client.post(
            "/api/tickets", content=b"client_ref=1&recap=x", headers={**service_headers, "Content-Type": content_type}
        )
        assert_refused_clearly(response, content_type)


@pytest.mark.parametrize(
    "query",
    [
        "/api/queue/estimate?language=%ED%A0%80",
        "/api/queue/estimate?language=fr&area=%00",
        "/api/queue/estimate?language=fr&language=nl&area=" + "x" * 5000,
        "/api/queue/estimate",
    ],
)
def test_odd_query_strings_for_the_service(client, service_headers, query):
    assert_refused_clearly(client.get(query, headers=service_headers), query)


@pytest.mark.parametrize(
    "query",
    [
        "/api/tickets?status=%ED%A0%80",
        "/api/tickets?status=%00",
        "/api/tickets?scope=%ff",
        "/api/tickets/%ED%A0%80",
        "/api/tickets/99999999999999999999999",
        "/api/tickets/-1",
        "/api/tickets/1e3",
        "/api/stats?days=1" + "0" * 400,
        "/api/stats?days=%00",
    ],
)
def test_odd_query_strings_and_paths_for_counsellors(make_client, make_counsellor, logged_in, query):
    manager = logged_in(make_client(), *make_counsellor("coordination", manager=True))
    assert_refused_clearly(manager.get(query), query)


@pytest.mark.parametrize(
    "path",
    [
        "/?scope=%ED%A0%80",
        "/tickets/%ED%A0%80",
        "/tickets/99999999999999999999",
        "/stats?days=%00",
        "/login?next=%ED%A0%80&error=%00",
        "/profile?x=%ff",
    ],
)
def test_odd_page_addresses(make_client, make_counsellor, logged_in, path):
    manager = logged_in(make_client(), *make_counsellor("coordination", manager=True))
    assert manager.get(path, follow_redirects=False).status_code in (200, 303, 404), path


MULTIPART = (
    b'--b\r\nContent-Disposition: form-data; name="login"\r\n\r\n\\ud800le\\x00a\r\n'
    b'--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n\\udfff\\x00\r\n'
    b'--b\r\nContent-Disposition: form-data; name="next"\r\n\r\n/\\ud800\r\n--b--\r\n'
)


@pytest.mark.parametrize(
    "content_type, body",
    [
        # A declared charset that decodes to lone surrogates and NUL.
        ("multipart/form-data; boundary=b; charset=raw_unicode_escape", MULTIPART),
        ("application/x-www-form-urlencoded", b"login=le%00a&password=%ED%A0%80&next=%00"),
        ("application/x-www-form-urlencoded", b"login=" + b"a" * 200_000 + b"&password=x"),
        ("application/x-www-form-urlencoded", bytes(range(256)) * 4),
        ("multipart/form-data; boundary=b", bytes(range(256)) * 4),
        ("multipart/form-data", b"--b--"),
        ("application/json", b'{"login": "lea"}'),
    ],
)
def test_odd_login_forms_are_wrong_logins_or_refused(client, make_counsellor, content_type, body):
    make_counsellor("lea")
    response = client.post("/login", content=body, headers={"Content-Type": content_type}, follow_redirects=False)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login?error=1")
    else:  # a body that is no form at all
        assert_refused_clearly(response, content_type)


@pytest.mark.parametrize("body", [b"language=%ED%A0%80&next=%00", bytes(range(256)), b"", b"language=nl&next=//evil"])
def test_odd_language_switches(client, body):
    response = client.post(
        "/language", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, follow_redirects=False
    )
    if response.status_code == 303:
        assert response.headers["location"] == "/"
    else:
        assert_refused_clearly(response, body[:20])


def raw_json(value) -> bytes:
    """JSON as a hostile client writes it: lone surrogates as \\u escapes (json.dumps escapes them)."""
    return json.dumps(value).encode("ascii")


def test_lone_surrogates_and_nul_in_every_field_of_a_ticket_are_kept_safe(
    client, app, service_headers, ticket_body, counsellor
):
    odd = "\ud800\x00\udfff"
    body = ticket_body(
        client_ref=f"ref{odd}",
        conversation_id=f"web{odd}",
        recap=f"Je m'appelle Marie Dupont {odd}",
        answers=[{"label": f"Âge{odd}", "value": f"25{odd}"}],
        interests=[odd],
        goal=odd,
        questions=[odd],
        passages=[{"title": odd, "url": f"https://example.be/{odd}"}],
        excerpt=[
            {"speaker": "assistant", "text": odd, "at": "2026-11-21T10:00:00Z"},
            {"speaker": "visitor", "text": odd, "at": "2026-11-21T10:00:01Z"},
        ],
    )
    created = client.post(
        "/api/tickets", content=raw_json(body), headers={**service_headers, "Content-Type": "application/json"}
    )
    assert created.status_code == 201, created.text
    safe = "\ufffd" * 3
    ticket = counsellor.get(f"/api/tickets/{created.json()['id']}").json()
    assert (ticket["client_ref"], ticket["conversation_id"]) == (f"ref{safe}", f"web{safe}")
    assert ticket["recap"] == f"Je m'appelle [nom] {safe}"
    assert ticket["answers"] == [{"label": f"Âge{safe}", "value": f"25{safe}"}]
    assert [line["text"] for line in ticket["excerpt"]] == [safe, safe]
    # Sent again as it was, it is the same ticket.
    again = client.post(
        "/api/tickets", content=raw_json(body), headers={**service_headers, "Content-Type": "application/json"}
    )
    assert (again.status_code, again.json()["id"]) == (200, ticket["id"])
    page = counsellor.get(f"/tickets/{ticket['id']}")
    assert page.status_code == 200 and safe in page.text


def test_the_scrubber_answers_texts_with_lone_surrogates(client, service_headers):
    body = b'{"texts": ["\\ud800", "Je m\'appelle Marie Dupont \\udfff", "a\\u0000b"], "language": "fr"}'
    response = client.post(
        "/api/privacy/scrub", content=body, headers={**service_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == {"texts": ["\ufffd", "Je m'appelle [nom] \ufffd", "a\ufffdb"]}


def test_a_survey_comment_with_lone_surrogates_is_kept_safe(client, app, service_headers):
    body = b'{"language": "nl", "rating": 4, "comment": "top \\ud800\\u0000", "after_handoff": false}'
    response = client.post("/api/survey", content=body, headers={**service_headers, "Content-Type": "application/json"})
    assert response.status_code == 201
    with app.state.database.session() as session:
        assert session.scalar(sa.select(SurveyAnswer.comment)) == "top \ufffd\ufffd"


@pytest.mark.parametrize(
    "field, moment",
    [
        ("requested_at", "9999-12-31T23:59:59-14:00"),
        ("requested_at", "0001-01-01T00:00:00+14:00"),
        ("excerpt", "0001-01-01T00:00:00+14:00"),
        ("requested_at", "2026-13-45T99:00:00Z"),
    ],
)
def test_dates_beyond_the_calendar_are_refused(client, service_headers, ticket_body, field, moment):
    value = moment if field == "requested_at" else [{"speaker": "visitor", "text": "bonjour", "at": moment}]
    response = client.post("/api/tickets", json=ticket_body(**{field: value}), headers=service_headers)
    assert_refused_clearly(response, moment)
    assert response.json()["detail"][0]["loc"][:2] == ["body", field]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"recap": MARKER * 200}, "recap"),
        ({"answers": [{"label": "Situation", "value": MARKER * 200}]}, "answers"),
        ({"language": MARKER}, "language"),
        ({"questions": MARKER}, "questions"),
        ({"excerpt": [{"speaker": MARKER, "text": MARKER, "at": MARKER}]}, "excerpt"),
        ({"number": MARKER}, "number"),
    ],
)
def test_a_refused_ticket_says_which_field_without_repeating_it(
    client, service_headers, ticket_body, caplog, change, field
):
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/tickets", json=ticket_body(**change), headers=service_headers)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {error["loc"][1] for error in detail} == {field}
    assert all(error["msg"] and set(error) == {"type", "loc", "msg"} for error in detail)
    assert "Zorblax" not in response.text and "Zorblax" not in caplog.text


def test_nothing_a_visitor_wrote_reaches_the_logs(client, service_headers, ticket_body, counsellor, caplog):
    caplog.set_level(logging.DEBUG)
    # SQLAlchemy keeps its loggers at WARNING unless told: an operator turning SQL logging on sees no texts.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    created = client.post(
        "/api/tickets",
        json=ticket_body(recap=f"{MARKER} cherche une formation.", goal=MARKER, questions=[MARKER]),
        headers=service_headers,
    )
    assert created.status_code == 201
    assert counsellor.get(f"/api/tickets/{created.json()['id']}").json()["goal"] == MARKER
    client.post("/api/privacy/scrub", json={"texts": [MARKER]}, headers=service_headers)
    client.post(
        "/api/survey",
        json={"language": "fr", "rating": 2, "comment": MARKER, "after_handoff": True},
        headers=service_headers,
    )
    # A database refusal (the same outbox number twice) shows no parameters either.
    client.post("/api/tickets", json=ticket_body(number="FR-500", recap=MARKER), headers=service_headers)
    assert (
        client.post(
            "/api/tickets", json=ticket_body(number="FR-500", recap=MARKER), headers=service_headers
        ).status_code
        == 409
    )
    assert any(record.name.startswith("sqlalchemy.engine") for record in caplog.records)
    assert "Zorblax" not in caplog.text


def test_a_stored_ticket_keeps_no_surrogate(app, client, service_headers, ticket_body):
    client.post(
        "/api/tickets",
        content=raw_json(ticket_body(recap="\udc80")),
        headers={**service_headers, "Content-Type": "application/json"},
    )
    with app.state.database.session() as session:
        assert session.scalar(sa.select(Ticket.recap)) == "\ufffd"
