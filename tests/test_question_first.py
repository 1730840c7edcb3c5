"""The intent corrections of nlu/question_first.py: pure, on the real glossary."""

import pytest

from knowledge.content_check import CONTENT_DIR
from knowledge.documents import read_all
from knowledge.glossary import load_elsewhere, load_glossary
from nlu.question_first import adjusted_intent, is_question

GLOSSARY = load_glossary()
ELSEWHERE = load_elsewhere()
AREAS = {document.topic: document.area for document in read_all(CONTENT_DIR)}


def corrected(text, intent, ranking=()):
    return adjusted_intent(text, intent, list(ranking), GLOSSARY, ELSEWHERE, AREAS)


@pytest.mark.parametrize(
    "text",
    [
        "Mon fils de 16 ans ne sait pas du tout quoi faire après sa rhéto, quelles études lui conseiller ?",
        "mijn dochter van 17 twijfelt al maanden over wat ze moet gaan studeren, wie kan haar helpen kiezen",
    ],
)
def test_a_long_question_is_answered_before_the_questionnaire(text):
    assert corrected(text, "start_orientation", ["start_orientation", "ask_education"]) == "ask_education"


@pytest.mark.parametrize(
    "text",
    [
        "je veux faire le questionnaire",
        "kan ik de test doen?",
        "/start_orientation",
        # A term that describes the visitor, in a request that asks nothing.
        "je suis au chômage et je veux faire le questionnaire",
        "ik ben werkloos, ik wil de vragenlijst invullen",
        "je veux une orientation, je suis licencié",
    ],
)
def test_a_request_to_start_stays_one(text):
    assert corrected(text, "start_orientation", ["start_orientation", "ask_education"]) is None


def test_without_an_area_in_the_ranking_the_glossary_or_education_decides():
    story = "ik ben ontslagen en weet niet wat ik nu moet doen met mijn leven, wat raden jullie aan?"
    assert corrected(story, "start_orientation", ["start_orientation", "greet"]) == "ask_employment"
    assert (
        corrected(
            "mijn zoon weet echt niet wat hij na het secundair wil doen, waar begint hij?",
            "start_orientation",
            ["start_orientation"],
        )
        == "ask_education"
    )


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("C4 ?", "nlu_fallback", "ask_employment"),
        ("activa c quoi", "out_of_scope", "ask_employment"),
        ("opleidingscheques", "ask_question", "ask_training"),
        ("bonjour", "nlu_fallback", None),
        ("merci pour le C4", "thank", None),
    ],
)
def test_a_belgian_term_gives_an_unclear_message_its_area(text, intent, expected):
    assert corrected(text, intent) == expected


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("wie helpt me met mijn belastingaangifte", "thank", "out_of_scope"),
        ("aide pour remplir ma déclaration d'impôts", "start_orientation", "out_of_scope"),
        ("c vrai qu'on doit plus prouver la gestion de base pour s'installer ?", "stop", "ask_entrepreneurship"),
        ("merci pour l'info sur le C4", "thank", None),
        ("stop, je ne veux plus répondre", "stop", None),
    ],
)
def test_a_question_taken_for_small_talk_is_a_question(text, intent, expected):
    assert corrected(text, intent) == expected


def test_what_counts_as_a_question():
    assert is_question("est-ce que quelqu'un peut m'expliquer comment on choisit des études supérieures")
    assert not is_question("je voudrais faire le questionnaire ?")


@pytest.mark.parametrize(
    "text, intent",
    [
        ("J'ai un projet de formation en soudure, est-ce que je peux voir un conseiller ?", "ask_training"),
        ("Ik wil lasser worden, welke opleiding past bij mij, kan ik met een adviseur praten?", "ask_training"),
        ("je veux faire le point et voir un conseiller en formation", "start_orientation"),
    ],
)
def test_a_request_for_a_counsellor_inside_a_question_is_the_request(text, intent):
    assert corrected(text, intent, [intent]) == "request_counsellor"


def test_a_question_about_seeing_a_counsellor_at_the_centre_stays_a_question():
    assert corrected("peut-on voir un conseiller sans rendez-vous ?", "ask_centre_info") is None


@pytest.mark.parametrize(
    "text, intent",
    [
        ("vous pouvez me rappeler au 0471 23 45 67", "nlu_fallback"),
        ("mijn mail is jan.peeters@telenet.be, stuur me de info", "out_of_scope"),
        ("merci, voici mon gsm +32 475 11 22 33", "thank"),
    ],
)
def test_contact_details_given_are_recognised(text, intent):
    assert corrected(text, intent) == "give_contact"


@pytest.mark.parametrize(
    "text", ["j'ai 24 ans", "le rendez-vous du 12/05/2026", "en 2019 et 2020", "né le 12.03.1998 - 26 ans"]
)
def test_numbers_that_are_no_phone_number(text):
    assert corrected(text, "nlu_fallback") is None


@pytest.mark.parametrize(
    "text", ["Hallo, ik ben Jan, 24 jaar", "bonjour, je m'appelle Sarah et j'ai 19 ans", "hoi ik heet Lotte"]
)
def test_a_greeting_that_introduces_oneself_is_a_greeting(text):
    assert corrected(text, "nlu_fallback") == "greet"


@pytest.mark.parametrize(
    "text",
    [
        "bonjour je suis étudiant",
        "ik ben werkloos",
        "je m'appelle comment on fait ?",
        # An introduction with a question or a need goes on to the search.
        "Bonjour, je m'appelle Sarah, je cherche une formation en alternance",
        "Hallo, ik ben Jan en ik zoek een opleiding als lasser",
    ],
)
def test_a_situation_a_question_or_a_need_is_no_mere_introduction(text):
    assert corrected(text, "nlu_fallback") != "greet"


@pytest.mark.parametrize("text", ["Bonjour, moi c'est Sarah", "bonjour je suis Élodie, 22 ans", "Dag, ik ben Özlem"])
def test_introductions_with_any_name(text):
    assert corrected(text, "nlu_fallback") == "greet"
