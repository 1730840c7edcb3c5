"""Handoff through the real servers: a visitor asks for a person, the ticket reaches the desk.

The desk runs with hours open every day (the real hours would make these tests
depend on the clock); the closed-centre message is in test_handoff_ticket.py.
"""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from contextlib import closing
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import yaml

from common.clock import brussels_day, utc_now
from common.defaults import PROJECT_ROOT

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def always_open(servers, tmp_path_factory):
    """Restarts the shared desk with hours open all week, and puts it back as it was afterwards."""
    centre = yaml.safe_load((PROJECT_ROOT / "knowledge" / "centre.yml").read_text(encoding="utf-8"))
    centre["hours"] = {
        day: [["00:00", "24:00"]]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
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


def queue(desk: httpx.Client, scope: str = "all") -> list[dict[str, Any]]:
    response = desk.get("/api/tickets", params={"scope": scope})
    assert response.status_code == 200, response.text
    return response.json()["tickets"]


def ticket_numbered(desk: httpx.Client, number: str) -> dict[str, Any]:
    return next(t for t in queue(desk) if t["number"] == number)


# The Rasa side's default PASSERELLE_PAUSE_AFTER_FAILURE (bot/settings.py), with a margin.
SCRUBBER_PAUSE_SECONDS = 5.5


def number_in(reply: str) -> str:
    return next(word.strip(".") for word in reply.split() if word[:3] in ("FR-", "NL-"))


def stored_texts(servers, sender: str) -> str:
    servers.assistant.saved(sender)
    engine = sa.create_engine(servers.tracker_db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender})
            return "\n".join(row[0] for row in rows)
    finally:
        engine.dispose()


def test_a_french_visitor_in_the_questionnaire_hands_off_with_their_answers(
    servers, assistant, sender, french_training_counsellor
):
    assistant.send(sender, "bonjour")
    assistant.send(sender, "/start_orientation")
    for answer in (
        "je suis inscrite chez Actiris",
        "j'ai 34 ans",
        "CESS",
        "une formation",
        "devenir aide-soignante, je suis Fatima El Amrani, appelez-moi au 0470 12 34 56",
    ):
        assistant.send(sender, answer)
    replies = assistant.send(sender, "je voudrais parler à un conseiller")
    reply = "\n".join(m.get("text", "") for m in replies)
    number = number_in(reply)
    printable = next(m["custom"]["ticket"] for m in replies if "custom" in m)
    assert (printable["number"], printable["language"], printable["area"]) == (number, "fr", "Formation")
    assert printable["plan"] and "aide-soignante" not in printable["plan"]
    assert number.startswith("FR-") and int(number[3:]) < 500
    assert re.search(
        r"Personnes avant vous : \d+\. Attente estimée : environ \d+ min\.|Personne n'attend avant vous : ", reply
    )
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
    # (The number with its spaces: the stored events hold timestamps, whose digits may read "0470".)
    assert "aide-soignante" in stored and "0470 12 34" not in stored and "Amrani" not in stored

    again = assistant.texts(sender, "un conseiller svp")
    assert f"Vous avez déjà un numéro : {number}." in again


def test_a_dutch_visitor_gets_a_dutch_ticket_that_a_french_only_counsellor_does_not_see(
    servers, assistant, sender, french_training_counsellor
):
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


@pytest.mark.parametrize(
    "greeting, message, language, area",
    [
        (
            "bonjour",
            "J'ai un projet de formation en soudure, est-ce que je peux voir un conseiller pour en parler ?",
            "fr",
            "training",
        ),
        ("hallo", "Kan ik met een adviseur spreken? Ik zoek al lang een job als magazijnier.", "nl", "employment"),
    ],
)
def test_a_request_inside_a_longer_message_gets_a_ticket_for_the_area(
    servers, assistant, sender, french_training_counsellor, greeting, message, language, area
):
    assistant.send(sender, greeting)
    number = number_in(assistant.texts(sender, message))
    assert number.startswith(f"{language.upper()}-")
    ticket = ticket_numbered(french_training_counsellor, number)
    assert (ticket["language"], ticket["area"], ticket["reason"]) == (language, area, "visitor_request")


def test_a_ticket_made_while_the_desk_is_down_gets_a_number_and_arrives_later(
    servers, assistant, sender, french_training_counsellor
):
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


def next_outbox_number(servers, language: str) -> str:
    """The number the stack's outbox gives next today (its file is the action server's own)."""
    path = servers.directory / "outbox.db"
    today = brussels_day(utc_now()).isoformat()
    last = None
    if path.exists():
        with closing(sqlite3.connect(path)) as db:
            row = db.execute("select last from numbers where day = ? and language = ?", (today, language)).fetchone()
            last = row[0] if row else None
    return f"{language.upper()}-{500 if last is None else last + 1:03d}"


def handoff_with_a_taken_number(servers, assistant, sender: str, then: str | None = None) -> tuple[str, str]:
    """A French visitor asks for a counsellor while the desk is down and gets an outbox number that another
    action server's outbox gave too; `then` is the visitor's next message, before the desk is back. Returns
    the number the visitor was told and the one the outbox then told them, once the desk is back."""
    # The launcher gives the action server Rasa's address and token (PASSERELLE_RASA_URL, _TOKEN).
    assert servers.actions.env.get("PASSERELLE_RASA_TOKEN"), "the stack's action server cannot call Rasa"
    told = next_outbox_number(servers, "fr")
    # The other action server's ticket reached the desk first.
    taken = servers.desk_api.post(
        "/api/tickets",
        json={
            "client_ref": uuid.uuid4().hex,
            "conversation_id": f"other-{sender}",
            "language": "fr",
            "reason": "visitor_request",
            "recap": "La personne a demandé à parler à un conseiller.",
            "requested_at": datetime.now(timezone.utc).isoformat(),
            "number": told,
        },
    )
    assert taken.status_code == 201, taken.text
    assistant.send(sender, "bonjour")
    servers.desk.stop()
    try:
        assert number_in(assistant.texts(sender, "je veux voir un conseiller")) == told
        if then:
            assistant.send(sender, then)
    finally:
        servers.start_desk({"PASSERELLE_CENTRE_INFO_FILE": servers.desk.env["PASSERELLE_CENTRE_INFO_FILE"]})
    back = time.monotonic()
    # The outbox delivers it (the desk gives it a number of its own) and tells the conversation.
    deadline = time.monotonic() + 30
    while assistant.slot(sender, "handoff_ticket") == told:
        assert time.monotonic() < deadline, "the visitor was not told the new number"
        time.sleep(1)
    # The tracker store leaves the scrubber alone for PASSERELLE_PAUSE_AFTER_FAILURE (5 s) after its last
    # failure, which came while the desk was down: words typed before that pause ends are stored as […].
    time.sleep(max(0.0, back + SCRUBBER_PAUSE_SECONDS - time.monotonic()))
    return told, assistant.slot(sender, "handoff_ticket")


def said(assistant, sender: str) -> list[str]:
    return [e.get("text") or "" for e in assistant.tracker(sender)["events"] if e["event"] == "bot"]


def test_a_visitor_whose_outbox_number_was_taken_is_told_the_desks_number(
    servers, assistant, sender, french_training_counsellor
):
    _, number = handoff_with_a_taken_number(servers, assistant, sender)
    assert number.startswith("FR-") and int(number[3:]) < 500
    assert ticket_numbered(french_training_counsellor, number)["conversation_id"] == sender
    assert f"Votre numéro a changé : c'est maintenant {number}." in said(assistant, sender)[-1]
    assert f"Vous avez déjà un numéro : {number}." in assistant.texts(sender, "un conseiller svp")


def test_the_new_number_during_the_survey_is_no_comment_and_the_survey_goes_on(
    servers, assistant, sender, french_training_counsellor
):
    _, number = handoff_with_a_taken_number(servers, assistant, sender, '/rate_service{"rating": "4"}')
    *_, renumbered, asked_again = said(assistant, sender)
    assert f"c'est maintenant {number}." in renumbered and "Voulez-vous ajouter un commentaire ?" in asked_again
    assert assistant.slot(sender, "survey_comment") is None
    assert "Merci pour votre avis" in assistant.texts(sender, "très clair")


def test_the_new_number_during_the_questionnaire_is_no_answer_and_the_question_comes_again(
    servers, assistant, sender, french_training_counsellor
):
    _, number = handoff_with_a_taken_number(servers, assistant, sender, "/start_orientation")
    *_, renumbered, asked_again = said(assistant, sender)
    assert f"c'est maintenant {number}." in renumbered and "quelle est votre situation" in asked_again
    assert assistant.slot(sender, "situation") is None
    assert "Question 2 sur 11" in assistant.texts(sender, "je suis inscrite chez Actiris")
    assert assistant.slot(sender, "situation") == "jobseeker_registered"


def test_the_survey_after_a_handoff_keeps_a_rating_and_a_scrubbed_comment(
    servers, assistant, sender, french_training_counsellor
):
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
