"""The tickets API on the real app and database: who may do what, numbers, the queue and its estimate."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import yaml
from fastapi.testclient import TestClient

from common.clock import brussels_day
from desk.main import create_app
from desk.models import Counsellor, Ticket
from desk.numbering import next_desk_number
from desk.passwords import hash_password
from knowledge.opening_hours import WEEKDAYS
from tests.desk.conftest import iso


def ago(minutes: int) -> str:
    return iso(datetime.now(timezone.utc) - timedelta(minutes=minutes))


def numbers(tickets) -> list:
    return [ticket["number"] for ticket in tickets]


def test_created_ticket_has_a_number_and_a_place_in_the_queue(client, make_ticket, make_counsellor):
    make_counsellor("amina", ["fr"], ["training"])
    ticket = make_ticket()
    assert ticket["number"] == "FR-001"
    assert ticket["day"] == brussels_day(datetime.now(timezone.utc)).isoformat()
    assert ticket["status"] == "waiting" and ticket["claimed_by"] is None
    assert (ticket["position"], ticket["on_duty"], ticket["estimated_wait_minutes"]) == (1, 1, 0)
    assert isinstance(ticket["open_now"], bool)
    assert ticket["passages"] == [
        {"title": "Se former à un métier technique", "url": "https://www.bruxellesformation.brussels/"}
    ]
    # Timestamps carry their timezone (stored in UTC).
    for field in ("requested_at", "created_at"):
        assert datetime.fromisoformat(ticket[field]).utcoffset() == timedelta(0)


def test_numbers_run_per_language_and_day(make_ticket):
    assert numbers(
        [
            make_ticket(language="fr"),
            make_ticket(language="nl"),
            make_ticket(language="fr"),
            make_ticket(language="nl"),
            make_ticket(language="nl"),
        ]
    ) == ["FR-001", "NL-001", "FR-002", "NL-002", "NL-003"]


def test_desk_numbers_start_again_each_day_and_stop_at_499(client, app, make_ticket, service_headers, ticket_body):
    make_ticket()
    make_ticket()
    today = brussels_day(datetime.now(timezone.utc))
    with app.state.database.session() as session:
        assert next_desk_number(session, today, "fr") == "FR-003"
        assert next_desk_number(session, today + timedelta(days=1), "fr") == "FR-001"
        assert next_desk_number(session, today, "nl") == "NL-001"
        session.execute(sa.update(Ticket).where(Ticket.number == "FR-002").values(number="FR-499"))
        session.commit()
    refused = client.post("/api/tickets", json=ticket_body(), headers=service_headers)
    assert refused.status_code == 409 and "outbox number" in refused.json()["detail"]
    # Dutch numbers and the outbox's range are not affected.
    assert make_ticket(language="nl")["number"] == "NL-001"
    assert make_ticket(number="FR-500")["number"] == "FR-500"


def test_outbox_numbers_are_accepted_and_the_desk_goes_on_below_them(client, make_ticket, service_headers, ticket_body):
    assert make_ticket(number="FR-500")["number"] == "FR-500"
    assert make_ticket()["number"] == "FR-001"
    # Same outbox number the same day, another ticket: refused, the outbox asks again without a number.
    taken = client.post("/api/tickets", json=ticket_body(number="FR-500"), headers=service_headers)
    assert taken.status_code == 409
    # The day of an outbox number is the day the visitor asked.
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    earlier = make_ticket(number="FR-500", requested_at=iso(yesterday))
    assert earlier["day"] == brussels_day(yesterday).isoformat()


@pytest.mark.parametrize("number", ["FR-499", "FR-001", "NL-500", "FR-1000", "fr-500", "500"])
def test_outbox_numbers_outside_their_range_or_language_are_invalid(client, service_headers, ticket_body, number):
    response = client.post("/api/tickets", json=ticket_body(number=number), headers=service_headers)
    assert response.status_code == 422


def test_the_same_client_ref_gives_the_same_ticket(client, service_headers, ticket_body, make_ticket):
    body = ticket_body()
    first = client.post("/api/tickets", json=body, headers=service_headers)
    again = client.post("/api/tickets", json={**body, "recap": "Autre texte."}, headers=service_headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["recap"] == first.json()["recap"]
    assert again.json()["number"] == "FR-001"
    assert make_ticket()["number"] == "FR-002"


def test_concurrent_creations_get_distinct_consecutive_numbers(make_client, service_headers, ticket_body):
    def create(index: int):
        response = make_client().post(
            "/api/tickets", headers=service_headers, json=ticket_body(language="nl" if index % 2 else "fr")
        )
        return response.status_code, response.json()["number"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(create, range(24)))
    assert {status for status, _ in results} == {201}
    assert sorted(number for _, number in results) == sorted(
        [f"FR-{n:03d}" for n in range(1, 13)] + [f"NL-{n:03d}" for n in range(1, 13)]
    )


def test_concurrent_resends_of_one_ticket_make_one_ticket(make_client, service_headers, ticket_body):
    body = ticket_body()
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(
            pool.map(lambda _: make_client().post("/api/tickets", json=body, headers=service_headers), range(6))
        )
    assert sorted(response.status_code for response in responses).count(201) == 1
    assert {response.json()["id"] for response in responses if response.status_code in (200, 201)} == {
        responses[0].json()["id"]
    }


@pytest.mark.parametrize(
    "change",
    [
        {"language": "de"},
        {"area": "centre"},
        {"reason": "bored"},
        {"recap": ""},
        {"requested_at": "2026-11-21T10:00"},
        {"passages": [{"title": "x", "url": "javascript:alert(1)"}]},
        {"excerpt": [{"speaker": "bot", "text": "x", "at": "2026-11-21T10:00:00Z"}]},
    ],
)
def test_invalid_tickets_are_refused(client, service_headers, ticket_body, change):
    assert client.post("/api/tickets", json=ticket_body(**change), headers=service_headers).status_code == 422


def test_unauthenticated_callers_can_read_and_change_nothing(client, make_ticket, ticket_body, make_counsellor):
    ticket = make_ticket()
    visitor = client  # no cookie, no token
    assert visitor.get(f"/api/tickets/{ticket['id']}").status_code == 401
    assert visitor.get("/api/tickets").status_code == 401
    assert visitor.get("/api/tickets", params={"scope": "all"}).status_code == 401
    assert visitor.post("/api/tickets", json=ticket_body()).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert visitor.get(f"/api/tickets/{ticket['id']}", headers=wrong).status_code == 401
    assert visitor.post("/api/tickets", json=ticket_body(), headers=wrong).status_code == 401
    for action in ("claim", "release", "close"):
        assert visitor.post(f"/api/tickets/{ticket['id']}/{action}", json={"outcome": "answered"}).status_code == 401
    assert visitor.get("/api/queue/estimate", params={"language": "fr"}).status_code == 401


def test_service_and_counsellors_have_their_own_endpoints(
    client, make_ticket, service_headers, ticket_body, make_counsellor, logged_in, make_client
):
    ticket = make_ticket()
    # The service token creates tickets and reads none: the ticket, the queue and its actions are the counsellors'.
    assert client.get(f"/api/tickets/{ticket['id']}", headers=service_headers).status_code == 403
    assert client.get("/api/tickets/999999", headers=service_headers).status_code == 403
    assert client.get("/api/tickets", headers=service_headers).status_code == 403
    assert client.post(f"/api/tickets/{ticket['id']}/claim", headers=service_headers).status_code == 403
    counsellor = logged_in(make_client(), *make_counsellor("bram", ["nl"], ["employment"]))
    assert counsellor.get(f"/api/tickets/{ticket['id']}").json()["number"] == "FR-001"
    assert counsellor.get("/api/tickets/999999").status_code == 404
    assert counsellor.post("/api/tickets", json=ticket_body()).status_code == 403
    assert counsellor.get("/api/queue/estimate", params={"language": "fr"}).status_code == 403


def test_claim_release_and_close(client, make_ticket, make_counsellor, logged_in, make_client):
    ticket = make_ticket()
    sofie = logged_in(make_client(), *make_counsellor("sofie", ["fr", "nl"], ["training"]))
    marc = logged_in(make_client(), *make_counsellor("marc", ["fr"], ["training"]))
    path = f"/api/tickets/{ticket['id']}"

    claimed = sofie.post(f"{path}/claim")
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed" and claimed.json()["claimed_by"] == "sofie"
    assert datetime.fromisoformat(claimed.json()["claimed_at"]).tzinfo is not None
    assert sofie.post(f"{path}/claim").status_code == 200  # a second click changes nothing
    assert marc.post(f"{path}/claim").status_code == 409
    assert marc.post(f"{path}/release").status_code == 403
    assert marc.post(f"{path}/close", json={"outcome": "answered"}).status_code == 403
    assert sofie.post(f"{path}/close", json={"outcome": "lunch"}).status_code == 422

    released = sofie.post(f"{path}/release")
    assert released.status_code == 200
    assert released.json()["status"] == "waiting" and released.json()["claimed_by"] is None
    assert sofie.post(f"{path}/release").status_code == 403  # nobody's now

    assert marc.post(f"{path}/claim").json()["claimed_by"] == "marc"
    closed = marc.post(f"{path}/close", json={"outcome": "appointment"})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["outcome"]) == ("closed", "appointment")
    assert closed.json()["closed_at"] is not None
    assert marc.post(f"{path}/close", json={"outcome": "answered"}).status_code == 409
    assert marc.post(f"{path}/release").status_code == 409
    assert sofie.post(f"{path}/claim").status_code == 409
    for action in ("claim", "release", "close"):
        assert marc.post(f"/api/tickets/999999/{action}", json={"outcome": "other"}).status_code == 404


def test_two_counsellors_claiming_at_once_one_gets_it(client, make_ticket, make_counsellor, logged_in, make_client):
    ticket = make_ticket()
    browsers = [logged_in(make_client(), *make_counsellor(f"c{index}", ["fr"], ["training"])) for index in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(
            pool.map(lambda browser: browser.post(f"/api/tickets/{ticket['id']}/claim").status_code, browsers)
        )
    assert sorted(statuses) == [200] + [409] * 5


def test_mine_is_my_languages_and_areas_plus_overdue_tickets(
    client, make_ticket, make_counsellor, logged_in, make_client
):
    fr_training = make_ticket(language="fr", area="training")
    fr_unknown = make_ticket(language="fr", area=None)
    fr_mobility = make_ticket(language="fr", area="mobility")
    nl_training = make_ticket(language="nl", area="training")
    nl_overdue = make_ticket(language="nl", area="mobility", requested_at=ago(25))
    sarah = logged_in(make_client(), *make_counsellor("sarah", ["fr"], ["training", "employment"]))
    off_duty = logged_in(make_client(), *make_counsellor("pieter", ["fr"], ["training"], on_duty=False))

    mine = sarah.get("/api/tickets").json()["tickets"]
    # Oldest request first: the overdue one asked 25 minutes ago.
    assert [t["id"] for t in mine] == [nl_overdue["id"], fr_training["id"], fr_unknown["id"]]
    assert [t["overdue"] for t in mine] == [True, False, False]
    assert mine[0]["waiting_minutes"] >= 25 and mine[1]["waiting_minutes"] == 0
    # Off duty, overdue tickets of other languages are not theirs to see.
    assert [t["id"] for t in off_duty.get("/api/tickets", params={"scope": "mine"}).json()["tickets"]] == [
        fr_training["id"],
        fr_unknown["id"],
    ]
    everything = sarah.get("/api/tickets", params={"scope": "all"}).json()["tickets"]
    assert {t["id"] for t in everything} == {
        t["id"] for t in (fr_training, fr_unknown, fr_mobility, nl_training, nl_overdue)
    }

    # What I claimed stays in my list, whatever its language; closed tickets only when asked for.
    assert sarah.post(f"/api/tickets/{nl_training['id']}/claim").status_code == 200
    assert nl_training["id"] in [t["id"] for t in sarah.get("/api/tickets").json()["tickets"]]
    assert [t["id"] for t in sarah.get("/api/tickets", params={"status": "claimed"}).json()["tickets"]] == [
        nl_training["id"]
    ]
    sarah.post(f"/api/tickets/{nl_training['id']}/close", json={"outcome": "referred"})
    assert nl_training["id"] not in [t["id"] for t in sarah.get("/api/tickets").json()["tickets"]]
    closed = sarah.get("/api/tickets", params={"status": "closed", "scope": "all"}).json()["tickets"]
    assert [t["id"] for t in closed] == [nl_training["id"]] and closed[0]["overdue"] is False
    assert sarah.get("/api/tickets", params={"status": "waiting,lost"}).status_code == 422
    assert sarah.get("/api/tickets", params={"scope": "theirs"}).status_code == 422


def test_wait_estimate(client, make_ticket, make_counsellor, service_headers, logged_in, make_client):
    def estimate(**params):
        response = client.get("/api/queue/estimate", params=params, headers=service_headers)
        assert response.status_code == 200, response.text
        found = response.json()
        return found["position"], found["on_duty"], found["estimated_wait_minutes"]

    assert estimate(language="fr", area="training") == (1, 0, None)  # nobody on duty: no estimate
    make_counsellor("ines", ["fr"], ["training"])
    karim = make_counsellor("karim", ["fr", "nl"], ["training", "employment"])
    make_counsellor("off", ["fr"], ["training"], on_duty=False)
    make_counsellor("nl-only", ["nl"], ["training"])
    training = [make_ticket(language="fr", area="training") for _ in range(3)]
    make_ticket(language="fr", area=None)  # to be determined: any French counsellor's
    make_ticket(language="fr", area="employment")
    make_ticket(language="nl", area="training")

    # 4 ahead (3 training, 1 to be determined) for the 2 on duty covering French and training: 2 x 15 minutes.
    assert estimate(language="fr", area="training") == (5, 2, 30)
    # Employment: the one to be determined and the employment one, for karim alone.
    assert estimate(language="fr", area="employment") == (3, 1, 30)
    # No area yet: every French ticket waiting, every French counsellor on duty (5 x 15 / 2, rounded up).
    assert estimate(language="fr") == (6, 2, 38)
    assert estimate(language="nl", area="mobility") == (1, 0, None)  # the Dutch one is about training
    assert client.get("/api/queue/estimate", params={"language": "de"}, headers=service_headers).status_code == 422

    # A new ticket's place counts the ones asked before it only.
    assert (make_ticket(language="fr", area="training")["position"], estimate(language="fr", area="training")) == (
        5,
        (6, 2, 38),
    )
    # A claimed ticket no longer waits.
    logged_in(make_client(), *karim).post(f"/api/tickets/{training[0]['id']}/claim")
    assert estimate(language="fr", area="training") == (5, 2, 30)


def test_open_now_follows_the_opening_hours(tmp_path, desk_settings, service_headers):
    every_day = {day: [["00:00", "24:00"]] for day in WEEKDAYS}
    for hours, expected in (({}, False), (every_day, True)):
        centre = tmp_path / f"centre-{expected}.yml"
        centre.write_text(yaml.safe_dump({"hours": hours}), encoding="utf-8")
        with TestClient(create_app(desk_settings.model_copy(update={"centre_info_file": centre}))) as other:
            response = other.get("/api/queue/estimate", params={"language": "nl"}, headers=service_headers)
            assert response.json()["open_now"] is expected


def test_the_list_says_what_nobody_on_duty_covers_while_open_and_managers_see_who(tmp_path, desk_settings, logged_in):
    every_day = {day: [["00:00", "24:00"]] for day in WEEKDAYS}
    for hours, is_open in (({}, False), (every_day, True)):
        centre = tmp_path / f"centre-{is_open}.yml"
        centre.write_text(yaml.safe_dump({"hours": hours}), encoding="utf-8")
        app = create_app(desk_settings.model_copy(update={"centre_info_file": centre}))
        with TestClient(app):  # its lifespan upgrades the database
            with app.state.database.session() as session:
                for login, languages, areas, manager in (
                    (
                        f"f{is_open}",
                        ["fr"],
                        ["training", "employment", "education", "entrepreneurship", "mobility"],
                        False,
                    ),
                    (f"n{is_open}", ["nl"], ["training"], False),
                    (f"m{is_open}", ["fr", "nl"], [], True),
                ):
                    session.add(
                        Counsellor(
                            login=login,
                            password_hash=hash_password("password 1"),
                            languages=languages,
                            areas=areas,
                            on_duty=not manager,
                            is_manager=manager,
                            ui_language="fr",
                        )
                    )
                session.commit()
            as_counsellor = logged_in(TestClient(app), f"n{is_open}", "password 1")
            as_manager = logged_in(TestClient(app), f"m{is_open}", "password 1")
            listed = as_counsellor.get("/api/tickets").json()
            if not is_open:
                assert listed["uncovered"] == []  # nobody is expected while the centre is closed
                continue
            assert {(gap["language"], gap["area"]) for gap in listed["uncovered"]} == {
                ("nl", "employment"),
                ("nl", "education"),
                ("nl", "entrepreneurship"),
                ("nl", "mobility"),
            }
            assert listed["on_duty"] is None  # who is on duty: for managers
            seen = as_manager.get("/api/tickets").json()["on_duty"]
            # (The first round's counsellors share the database, on duty with the same languages and areas.)
            assert [c["login"] for c in seen] == ["fFalse", "fTrue", "nFalse", "nTrue"]


# Limits per conversation and per network address ---------------------------------------------------------


def created_ago(app, ticket_id: int, minutes: float) -> None:
    with app.state.database.session() as session:
        session.execute(
            sa.update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(created_at=datetime.now(timezone.utc) - timedelta(minutes=minutes))
        )
        session.commit()


def test_a_conversation_gets_three_tickets_an_hour(client, app, service_headers, ticket_body, make_ticket):
    first, _, _ = [make_ticket(conversation_id="web-busy") for _ in range(3)]
    refused = client.post("/api/tickets", json=ticket_body(conversation_id="web-busy"), headers=service_headers)
    assert refused.status_code == 429
    assert refused.json()["limit"] == "conversation"
    assert "tickets_per_conversation_per_hour" in refused.json()["detail"]
    assert 3590 <= int(refused.headers["retry-after"]) <= 3600
    # Not refused: a resend of a ticket already made, another conversation.
    resent = client.post(
        "/api/tickets",
        json=ticket_body(conversation_id="web-busy", client_ref=first["client_ref"]),
        headers=service_headers,
    )
    assert (resent.status_code, resent.json()["id"]) == (200, first["id"])
    assert make_ticket(conversation_id="web-other")["number"] == "FR-004"
    # Once the oldest of the three is 59 minutes old, the wait is the minute left.
    created_ago(app, first["id"], 59)
    later = client.post("/api/tickets", json=ticket_body(conversation_id="web-busy"), headers=service_headers)
    assert later.status_code == 429 and 55 <= int(later.headers["retry-after"]) <= 60
    created_ago(app, first["id"], 61)
    assert make_ticket(conversation_id="web-busy")["number"] == "FR-005"
    # Past the limit again, an outbox ticket still goes in: the visitor already holds its number.
    assert (
        client.post("/api/tickets", json=ticket_body(conversation_id="web-busy"), headers=service_headers).status_code
        == 429
    )
    assert make_ticket(conversation_id="web-busy", number="FR-500")["number"] == "FR-500"


def test_an_address_gets_ten_tickets_an_hour(client, app, service_headers, ticket_body, make_ticket):
    key = "3f9a" * 8
    for _ in range(10):
        make_ticket(client_key=key)
    refused = client.post("/api/tickets", json=ticket_body(client_key=key), headers=service_headers)
    assert refused.status_code == 429
    assert refused.json()["limit"] == "address" and "tickets_per_address_per_hour" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) > 3500
    make_ticket(client_key="0" * 16)  # another address
    make_ticket(client_key=None)  # unknown or exempt (the centre's kiosks): never counted
    with app.state.database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).where(Ticket.client_key == key)) == 10
    assert "client_key" not in make_ticket(client_key="1" * 64)  # kept for the limit, shown to nobody


def test_the_limits_follow_the_settings(desk_settings, service_headers, ticket_body):
    settings = desk_settings.model_copy(
        update={"tickets_per_conversation_per_hour": 1, "tickets_per_address_per_hour": 2}
    )
    with TestClient(create_app(settings)) as other:

        def status(**fields) -> int:
            return other.post("/api/tickets", json=ticket_body(**fields), headers=service_headers).status_code

        assert [status(conversation_id="web-a"), status(conversation_id="web-a")] == [201, 429]
        assert [status(client_key="ab" * 10) for _ in range(3)] == [201, 201, 429]


@pytest.mark.parametrize("key", ["ABCDEF0123456789", "abc", "g" * 16, "a" * 65, "", "0123456789abcdef\n"])
def test_a_malformed_client_key_is_refused(client, service_headers, ticket_body, key):
    response = client.post("/api/tickets", json=ticket_body(client_key=key), headers=service_headers)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "client_key"]]


def test_the_openapi_schema_documents_the_refusals_of_a_ticket(client):
    responses = client.get("/openapi.json").json()["paths"]["/api/tickets"]["post"]["responses"]
    assert {"200", "201", "409", "422", "429"} <= set(responses)
    assert responses["429"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/LimitReached"}
    assert "Retry-After" in responses["429"]["headers"]


# Renumbering on delivery: the number the visitor holds wins ---------------------------------------------


def test_a_resend_with_the_outbox_number_takes_it(client, app, service_headers, ticket_body):
    # The desk, slow, created FR-001 after the action server gave up waiting and told the visitor FR-500.
    body = ticket_body()
    assert client.post("/api/tickets", json=body, headers=service_headers).json()["number"] == "FR-001"
    resent = client.post("/api/tickets", json={**body, "number": "FR-500"}, headers=service_headers)
    assert (resent.status_code, resent.json()["number"]) == (200, "FR-500")
    assert resent.json()["day"] == brussels_day(datetime.fromisoformat(body["requested_at"])).isoformat()
    with app.state.database.session() as session:
        assert list(session.scalars(sa.select(Ticket.number))) == ["FR-500"]
    again = client.post("/api/tickets", json={**body, "number": "FR-500"}, headers=service_headers)
    assert (again.status_code, again.json()["number"]) == (200, "FR-500")


def test_a_resend_whose_outbox_number_is_taken_keeps_the_desk_number(client, service_headers, ticket_body, make_ticket):
    make_ticket(number="FR-500")
    body = ticket_body()
    assert client.post("/api/tickets", json=body, headers=service_headers).json()["number"] == "FR-001"
    resent = client.post("/api/tickets", json={**body, "number": "FR-500"}, headers=service_headers)
    # The action server tells the visitor this number instead.
    assert (resent.status_code, resent.json()["number"]) == (200, "FR-001")


def test_a_resend_and_a_new_ticket_racing_for_one_outbox_number(make_client, service_headers, ticket_body, make_ticket):
    for round_ in range(4):
        number = f"NL-{510 + round_}"
        held = make_ticket(language="nl")
        other = ticket_body(language="nl", number=number)
        resend = {
            **ticket_body(language="nl", client_ref=held["client_ref"], conversation_id=held["conversation_id"]),
            "number": number,
        }
        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(
                lambda body: make_client().post("/api/tickets", json=body, headers=service_headers), [resend, other]
            )
        assert first.status_code == 200
        if first.json()["number"] == number:
            assert second.status_code == 409
        else:
            assert (first.json()["number"], second.status_code, second.json()["number"]) == (
                held["number"],
                201,
                number,
            )


def test_the_first_send_and_its_resend_racing_make_one_ticket_with_the_visitors_number(
    make_client, client, service_headers, ticket_body, make_counsellor, logged_in
):
    for round_ in range(4):
        body = ticket_body()
        sends = [body, {**body, "number": f"FR-{600 + round_}"}]
        with ThreadPoolExecutor(max_workers=2) as pool:
            responses = list(
                pool.map(lambda send: make_client().post("/api/tickets", json=send, headers=service_headers), sends)
            )
        assert sorted(response.status_code for response in responses) == [200, 201]
        assert {response.json()["id"] for response in responses} == {responses[0].json()["id"]}
        counsellor = logged_in(make_client(), *make_counsellor(f"c{round_}"))
        assert counsellor.get(f"/api/tickets/{responses[0].json()['id']}").json()["number"] == f"FR-{600 + round_}"
