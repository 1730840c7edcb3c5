"""Handoff through the real servers: a visitor asks for a person, the ticket reaches the desk.

The desk runs with hours open every day (the real hours would make these tests
depend on the clock); the closed-centre message is in test_handoff_ticket.py.
"""
from __future__ import annotations

import re
import time
from typing import Any, Dict, List

import httpx
import pytest
import sqlalchemy as sa
import yaml

from launcher.settings import PROJECT_ROOT

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def always_open(servers, tmp_path_factory):
    """Restarts the shared desk with hours open all week, and puts it back as it was afterwards."""
    centre = yaml.safe_load((PROJECT_ROOT / "knowledge" / "centre.yml").read_text(encoding="utf-8"))
    centre["hours"] = {day: [["00:00", "24:00"]] for day in
                       ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
    path = tmp_path_factory.mktemp("centre") / "centre.yml"
    path.write_text(yaml.safe_dump(centre, allow_unicode=True), encoding="utf-8")
    servers.desk.stop()
    servers.start_desk({"PASSERELLE_CENTRE_INFO_FILE": str(path)})
    yield
    servers.desk.stop()
    servers.start_desk()


@pytest.fixture(scope="module")
def french_training_counsellor(servers, always_open):
    desk = servers.counsellor("fr", "training")
    yield desk
    desk.close()


def queue(desk: httpx.Client, scope: str = "all") -> List[Dict[str, Any]]:
    response = desk.get("/api/tickets", params={"scope": scope})
    assert response.status_code == 200, response.text
    return response.json()["tickets"]


def ticket_numbered(desk: httpx.Client, number: str) -> Dict[str, Any]:
    return next(t for t in queue(desk) if t["number"] == number)


def number_in(reply: str) -> str:
    return next(word.strip(".") for word in reply.split() if word[:3] in ("FR-", "NL-"))


def stored_texts(servers, sender: str) -> str:
    engine = sa.create_engine(servers.tracker_db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender})
            return "\n".join(row[0] for row in rows)
    finally:
        engine.dispose()


def test_a_french_visitor_in_the_questionnaire_hands_off_with_their_answers(
        servers, assistant, sender, french_training_counsellor):
    assistant.send(sender, "bonjour")
    assistant.send(sender, "/start_orientation")
    for answer in ("je suis inscrite chez Actiris", "j'ai 34 ans", "CESS", "une formation",
                   "devenir aide-soignante, je suis Fatima El Amrani, appelez-moi au 0470 12 34 56"):
        assistant.send(sender, answer)
    replies = assistant.send(sender, "je voudrais parler à un conseiller")
    reply = "\n".join(m.get("text", "") for m in replies)
    number = number_in(reply)
    printable = next(m["custom"]["ticket"] for m in replies if "custom" in m)
    assert (printable["number"], printable["language"], printable["area"]) == (number, "fr", "Formation")
    assert printable["plan"] and "aide-soignante" not in printable["plan"]
    assert number.startswith("FR-") and int(number[3:]) < 500
    assert re.search(r"Personnes avant vous : \d+\. Attente estimée : environ \d+ minutes\.", reply)
    assert "Rendez-vous à l'accueil" in reply
    assert "de 1 (pas du tout) à 5 (beaucoup)" in reply

    ticket = ticket_numbered(french_training_counsellor, number)
    assert (ticket["language"], ticket["area"], ticket["reason"]) == ("fr", "training", "questionnaire")
    assert ticket["conversation_id"] == sender
    assert {"label": "Besoin principal", "value": "Formation"} in ticket["answers"]
    assert "[téléphone]" in ticket["goal"] and "0470" not in str(ticket)
    assert "Fatima" not in str(ticket) and "El Amrani" not in str(ticket)
    assert ticket["recap"].startswith("La personne a demandé un conseiller après le questionnaire")
    # The conversation itself is stored scrubbed too.
    stored = stored_texts(servers, sender)
    assert "aide-soignante" in stored and "0470" not in stored and "Amrani" not in stored

    again = assistant.texts(sender, "un conseiller svp")
    assert f"Vous avez déjà un numéro : {number}." in again


def test_a_dutch_visitor_gets_a_dutch_ticket_that_a_french_only_counsellor_does_not_see(
        servers, assistant, sender, french_training_counsellor):
    assistant.send(sender, "hallo")
    reply = assistant.texts(sender, "kan ik met een adviseur praten?")
    number = number_in(reply)
    assert number.startswith("NL-")
    assert "Ga naar het onthaal" in reply
    # Nobody on duty speaks Dutch: the visitor hears it, with other places to go.
    assert "geen adviseur voor dit thema die deze taal spreekt" in reply and "www.vdab.be" in reply
    assert number not in [t["number"] for t in queue(french_training_counsellor, "mine")]
    ticket = ticket_numbered(french_training_counsellor, number)
    assert (ticket["language"], ticket["area"], ticket["reason"]) == ("nl", None, "visitor_request")


def test_a_ticket_made_while_the_desk_is_down_gets_a_number_and_arrives_later(
        servers, assistant, sender, french_training_counsellor):
    assistant.send(sender, "bonjour")
    servers.desk.stop()
    try:
        reply = assistant.texts(sender, "je veux voir un conseiller")
    finally:
        servers.start_desk({"PASSERELLE_CENTRE_INFO_FILE": servers.desk.env["PASSERELLE_CENTRE_INFO_FILE"]})
    number = number_in(reply)
    assert number.startswith("FR-") and int(number[3:]) >= 500
    assert "votre numéro est bien enregistré" in reply
    deadline = time.monotonic() + 30
    while number not in [t["number"] for t in queue(french_training_counsellor)]:
        assert time.monotonic() < deadline, "the outbox did not deliver the ticket"
        time.sleep(1)
    assert ticket_numbered(french_training_counsellor, number)["conversation_id"] == sender


def test_the_survey_after_a_handoff_keeps_a_rating_and_a_scrubbed_comment(
        servers, assistant, sender, french_training_counsellor):
    assistant.send(sender, "bonjour")
    assistant.send(sender, "/request_counsellor")
    ask = assistant.texts(sender, '/rate_service{"rating": "4"}')
    assert "Voulez-vous ajouter un commentaire ?" in ask
    thanks = assistant.texts(sender, "très clair, écrivez-moi à lea.dubois@example.org")
    assert "Merci pour votre avis" in thanks
    engine = sa.create_engine(servers.desk_db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT rating, comment, after_handoff FROM survey_answers")).all()
    finally:
        engine.dispose()
    assert (4, "très clair, écrivez-moi à [e-mail]", True) in [tuple(row) for row in rows]
