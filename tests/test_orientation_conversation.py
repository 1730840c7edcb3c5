"""The questionnaire and the career plan through the real Rasa server and action server."""

import pytest

from actions.orientation.turn import ALL_ANSWERED, SKIPPED
from tests.domain_responses import texts_by_language

pytestmark = pytest.mark.servers

TEXTS = texts_by_language()


def question_asked(replies):
    """The first line of the last message: "Question 3 sur 11", "Vraag 2 van 11"."""
    return replies[-1]["text"].splitlines()[0]


def payloads(reply):
    return [b["payload"] for b in reply.get("buttons") or []]


def start(assistant, sender, greeting="bonjour", request="je veux faire le test d'orientation"):
    assistant.send(sender, greeting)
    return assistant.send(sender, request)


def test_a_whole_questionnaire_in_french_then_the_plan(assistant, sender):
    replies = start(assistant, sender)
    assert "jamais votre nom" in replies[0]["text"]
    assert question_asked(replies) == "Question 1 sur 11"
    assert payloads(replies[-1])[:2] == ["jobseeker_registered", "jobseeker_unregistered"]
    turns = 1
    for answer in [
        "je suis au chômage depuis 6 mois",
        "j'ai 19 ans",
        "j'ai arrêté en 4e secondaire",
        "training",
        "devenir électricien",
    ]:
        replies = assistant.send(sender, answer)
        turns += 1
    assert question_asked(replies) == "Question 6 sur 11"
    assert payloads(replies[-1])[-2:] == ["+", "skip"] and payloads(replies[-1])[0] == "+realistic_hands"
    # The widget sends the activities picked in one message; a typed answer is read back.
    replies = assistant.send(sender, "+realistic_hands +conventional_organise")
    assert question_asked(replies) == "Question 7 sur 11" and len(replies) == 1
    replies = assistant.send(sender, "travailler dehors avec des machines, mais pas diriger")
    assert replies[0]["text"] == "Compris : Travailler dehors, avec des outils ou des machines."
    turns += 2
    assert question_asked(replies) == "Question 8 sur 11"
    for answer in ["français couramment et un peu de néerlandais", "temps plein", "plutôt à Bruxelles", "fr"]:
        replies = assistant.send(sender, answer)
        turns += 1
    summary = replies[-1]
    assert summary["text"].startswith("Merci ! Voici ce que j'ai noté")
    assert "- Diplôme : Secondaire inférieur" in summary["text"] and "« devenir électricien »" in summary["text"]
    assert payloads(summary) == ["/show_plan", "/change_answer", "/restart_orientation"]
    assert turns == 12  # the request, 9 questions, 2 interest groups

    plan = assistant.send(sender, "oui")
    text = "\n".join(r["text"] for r in plan)
    assert text.startswith("Votre plan personnel")
    assert "Parce que vous m'avez dit : chercheur d'emploi pas encore inscrit" in text
    assert "Garantie pour la jeunesse" in text and "https://" in text
    assert payloads(plan[-1]) == ["/request_counsellor", "/print_plan", "/ask_question", "/restart_orientation"]
    # Each part of the plan also comes as a card for the widget and the kiosk.
    assert [reply.get("plan", {}).get("part") for reply in plan][:2] == ["summary", "step"]
    printed = assistant.send(sender, "/print_plan")
    assert len(printed) == 2 and printed[0]["text"].startswith("Votre plan personnel")
    assert printed[0]["plan"]["link"].startswith("/plan?lang=fr&situation=jobseeker_unregistered")
    assert payloads(printed[1])[0] == "/request_counsellor"  # then what to do next

    slots = assistant.tracker(sender)["slots"]
    assert (slots["situation"], slots["age_band"], slots["education"], slots["need_area"]) == (
        "jobseeker_unregistered",
        "from_18_to_25",
        "lower_secondary",
        "training",
    )
    assert slots["languages"] == {"fr": "fluent", "nl": "basic"}
    assert slots["interest_group"] == ALL_ANSWERED and len(slots["interests"]) == 12
    chosen = {item for item, answer in slots["interests"].items() if answer == "like"}
    assert chosen == {"realistic_hands", "conventional_organise", "realistic_outdoors"}
    assert slots["counsellor_language"] == "fr" and slots["language"] == "fr"


def test_dutch_skipping_correcting_and_a_question_in_between(assistant, sender):
    replies = start(assistant, sender, "hallo", "ik weet niet welk beroep bij mij past")
    assert question_asked(replies) == "Vraag 1 van 11"
    assistant.send(sender, "ik ben ingeschreven bij VDAB")
    replies = assistant.send(sender, "sla over")
    assert question_asked(replies) == "Vraag 3 van 11"
    assert assistant.slot(sender, "age_band") == SKIPPED

    replies = assistant.send(sender, "wat is de examencommissie eigenlijk?")
    assert "Bron:" in replies[0]["text"]
    assert question_asked(replies) == "Vraag 3 van 11"

    replies = assistant.send(sender, "nee, eigenlijk ben ik 34 jaar")
    assert replies[0]["text"].startswith("Dat is aangepast. Leeftijd: 26 tot 45 jaar.")
    assert question_asked(replies) == "Vraag 3 van 11"
    assistant.send(sender, "ik heb een bachelor verpleegkunde")
    slots = assistant.tracker(sender)["slots"]
    assert (slots["age_band"], slots["education"]) == ("from_26_to_45", "higher")
    assert [p["topic"] for p in slots["shown_passages"]]


def test_an_answer_not_understood_is_asked_once_more_with_the_buttons(assistant, sender):
    start(assistant, sender)
    replies = assistant.send(sender, "euh")
    assert replies[0]["text"] in TEXTS["fr"] and "pas bien compris" in replies[0]["text"]
    assert question_asked(replies) == "Question 1 sur 11" and len(payloads(replies[-1])) == 8
    replies = assistant.send(sender, "bah")
    assert "question suivante" in replies[0]["text"]
    assert question_asked(replies) == "Question 2 sur 11"
    assert assistant.slot(sender, "situation") == SKIPPED


def test_stopping_halfway_keeps_the_answers_for_the_plan_and_resuming(assistant, sender):
    start(assistant, sender)
    assistant.send(sender, "je travaille comme aide-soignante")
    assistant.send(sender, "la quarantaine")
    replies = assistant.send(sender, "stop, j'arrête le questionnaire")
    assert "je garde vos réponses" in replies[0]["text"].lower()
    assert payloads(replies[0]) == ["/show_plan", "/start_orientation", "/request_counsellor"]
    assert not (assistant.tracker(sender).get("active_loop") or {}).get("name")

    plan = "\n".join(r["text"] for r in assistant.send(sender, "/show_plan"))
    assert "Situation : Salarié." in plan and "Âge : 26 à 45 ans." in plan

    replies = assistant.send(sender, "/start_orientation")
    assert replies[0]["text"].startswith("On reprend le questionnaire")
    assert question_asked(replies) == "Question 3 sur 11"


def test_switching_language_in_the_middle_continues_in_the_new_language(assistant, sender):
    start(assistant, sender)
    assistant.send(sender, "étudiant")
    replies = assistant.send(sender, "kunnen we in het Nederlands verdergaan?")
    assert replies[0]["text"] == "Oké, we gaan verder in het Nederlands."
    assert question_asked(replies) == "Vraag 2 van 11"
    replies = assistant.send(sender, "ik ben zeventien jaar oud")
    assert question_asked(replies) == "Vraag 3 van 11"
    assert assistant.slot(sender, "age_band") == "under_18"
    assert assistant.slot(sender, "language") == "nl"


def test_naming_a_language_for_the_counsellor_does_not_switch_the_conversation(assistant, sender):
    start(assistant, sender)
    for answer in ["skip"] * 5 + ["skip"] * 2 + ["skip", "skip", "skip"]:
        assistant.send(sender, answer)
    replies = assistant.send(sender, "en néerlandais")
    assert replies[-1]["text"].startswith("Merci ! Voici ce que j'ai noté")
    assert assistant.slot(sender, "counsellor_language") == "nl"
    assert assistant.slot(sender, "language") == "fr"


def test_changing_one_answer_after_the_summary(assistant, sender):
    start(assistant, sender)
    for answer in ["employed", "over_45"] + ["skip"] * 9:
        replies = assistant.send(sender, answer)
    assert replies[-1]["text"].startswith("Merci !")
    choices = assistant.send(sender, "non")
    assert '/change_answer{"question": "age_band"}' in payloads(choices[0])
    replies = assistant.send(sender, '/change_answer{"question": "age_band"}')
    assert question_asked(replies) == "Question 2 sur 11"
    replies = assistant.send(sender, "j'ai 30 ans")
    assert "- Âge : 26 à 45 ans" in replies[-1]["text"]


def test_a_counsellor_during_the_questionnaire_keeps_the_answers(assistant, sender):
    start(assistant, sender)
    assistant.send(sender, "je suis indépendant")
    replies = assistant.send(sender, "je voudrais parler à un conseiller")
    assert replies[0]["text"].startswith("C'est noté ! Votre numéro : FR-")
    assert assistant.slot(sender, "handoff_ticket") in replies[0]["text"]
    assert assistant.slot(sender, "situation") == "self_employed"
    assert assistant.slot(sender, "requested_slot") is None


def test_a_typed_answer_is_read_back_and_changed_with_its_button(assistant, sender):
    start(assistant, sender)
    replies = assistant.send(sender, "je bosse comme magasinier")
    assert replies[0]["text"] == "Compris : Salarié."
    assert payloads(replies[0]) == ['/change_answer{"question": "situation"}']
    assert question_asked(replies) == "Question 2 sur 11"
    replies = assistant.send(sender, '/change_answer{"question": "situation"}')
    assert question_asked(replies) == "Question 1 sur 11"
    assert assistant.slot(sender, "situation") is None
    replies = assistant.send(sender, "self_employed")  # a tap: nothing to read back
    assert question_asked(replies) == "Question 2 sur 11" and len(replies) == 1
    assert assistant.slot(sender, "situation") == "self_employed"


def test_an_off_question_remark_at_the_goal_is_the_goal_not_a_correction(assistant, sender):
    start(assistant, sender)
    for answer in ["jobseeker_registered", "from_26_to_45", "secondary", "employment"]:
        assistant.send(sender, answer)
    replies = assistant.send(sender, "plutôt à mi-temps, mon fils est encore à l'école")
    assert not any("corrigé" in reply.get("text", "") for reply in replies)
    assert question_asked(replies) == "Question 6 sur 11"
    assert (assistant.slot(sender, "situation"), assistant.slot(sender, "need_area")) == (
        "jobseeker_registered",
        "employment",
    )


def test_contact_details_during_the_questionnaire_are_explained_then_the_same_question(assistant, sender):
    start(assistant, sender)
    replies = assistant.send(sender, "rappelez-moi plutôt au 0471 23 45 67")
    assert "le service est anonyme" in replies[0]["text"]
    assert question_asked(replies) == "Question 1 sur 11"
    assert assistant.slot(sender, "situation") is None
