"""Nothing a visitor typed is stored with their personal data: the desk scrubs again what it receives."""

from __future__ import annotations

import json

import sqlalchemy as sa

from desk.models import Ticket

PERSONAL = {
    "Dupont",
    "marie.dupont@example.be",
    "0470 12 34 56",
    "85.07.30-033.28",
    "BE68 5390 0754 7034",
    "rue Royale 12",
}


def test_scrub_endpoint_replaces_personal_data_in_the_language_asked(client, service_headers):
    texts = [
        "Je m'appelle Marie Dupont, mon e-mail est marie.dupont@example.be",
        "Bel me op 0470 12 34 56",
        "Quelle formation pour devenir boulanger ?",
    ]
    response = client.post("/api/privacy/scrub", json={"texts": texts, "language": "nl"}, headers=service_headers)
    assert response.status_code == 200
    scrubbed = response.json()["texts"]
    assert len(scrubbed) == 3
    assert "Dupont" not in scrubbed[0] and "example.be" not in scrubbed[0] and "[e-mail]" in scrubbed[0]
    assert scrubbed[1] == "Bel me op [telefoonnummer]"
    assert scrubbed[2] == texts[2]
    french = client.post("/api/privacy/scrub", json={"texts": ["Appelez le 0470 12 34 56"]}, headers=service_headers)
    assert french.json() == {"texts": ["Appelez le [téléphone]"]}


def test_scrub_endpoint_is_for_the_services(client):
    assert client.post("/api/privacy/scrub", json={"texts": ["x"]}).status_code == 401


def test_scrub_endpoint_refuses_a_text_too_long_to_scrub_quickly(client, service_headers):
    response = client.post("/api/privacy/scrub", json={"texts": ["mot " * 6000]}, headers=service_headers)
    assert response.status_code == 422


def test_everything_typed_is_stored_scrubbed(client, app, make_ticket):
    typed = "Je suis Marie Dupont, marie.dupont@example.be, 0470 12 34 56, rue Royale 12, 1000 Bruxelles"
    ticket = make_ticket(
        recap=f"La personne demande un conseiller. {typed}.",
        goal="Travailler comme comptable. Mon IBAN : BE68 5390 0754 7034",
        questions=[f"Mon numéro national est 85.07.30-033.28, est-ce grave ? {typed}"],
        answers=[{"label": "Situation", "value": f"Chercheuse d'emploi ({typed})"}],
        excerpt=[{"speaker": "visitor", "text": typed, "at": "2026-11-21T09:30:00+01:00"}],
    )
    with app.state.database.session() as session:
        stored = session.scalar(sa.select(Ticket).where(Ticket.id == ticket["id"]))
        columns = json.dumps(
            {name: getattr(stored, name) for name in ("recap", "goal", "questions", "answers", "excerpt")},
            ensure_ascii=False,
        )
    returned = json.dumps(ticket, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in columns and value not in returned, value
    assert "[e-mail]" in columns and "[téléphone]" in columns and "[IBAN]" in columns
    assert "[n° de registre national]" in columns and "[adresse]" in columns
    # The labels and the excerpt's speakers are not the visitor's words and stay; times are given in UTC.
    assert ticket["answers"][0]["label"] == "Situation" and ticket["excerpt"][0]["speaker"] == "visitor"
    assert ticket["excerpt"][0]["at"] == "2026-11-21T08:30:00Z"
