"""A request to see a counsellor anywhere in a message, and the area it names (common/counsellor_request.py)."""

import pytest

from common.counsellor_request import is_counsellor_request, named_area, spoken_of_area


@pytest.mark.parametrize(
    "text, named, spoken_of",
    [
        ("J'ai un projet de formation en soudure, est-ce que je peux voir un conseiller ?", None, "training"),
        ("je voudrais un rendez-vous avec un conseiller en formation", "training", "training"),
        ("je veux voir une personne pour l'emploi", "employment", "employment"),
        ("besoin d'un conseiller pour créer mon entreprise", "entrepreneurship", "entrepreneurship"),
        ("je peux parler à quelqu'un ?", None, None),
        ("Ik wil een opleiding volgen als lasser, kan ik daarover met een adviseur praten?", None, "training"),
        ("kan ik een adviseur voor werk spreken?", "employment", "employment"),
        ("ik heb een adviseur nodig over ondernemen", "entrepreneurship", "entrepreneurship"),
        ("ik zou graag met iemand praten over studeren in het buitenland", "mobility", "mobility"),
        ("une formation ou un emploi, je voudrais en parler avec un conseiller", None, None),
    ],
)
def test_a_request_anywhere_in_a_message_with_the_area_it_names(text, named, spoken_of):
    assert is_counsellor_request(text)
    assert (named_area(text), spoken_of_area(text)) == (named, spoken_of)


@pytest.mark.parametrize(
    "text",
    [
        "mon conseiller Actiris m'a dit de venir ici",
        "Comment contacter mon conseiller Actiris ?",
        "je dois voir mon conseiller Actiris demain, que dois-je apporter ?",
        "hoe kan ik mijn consulent van VDAB spreken?",
        "j'avais rendez-vous avec ma conseillère la semaine passée",
        "Ik had vorige week een afspraak met een consulent van VDAB, maar die is niet doorgegaan",
        "comment me préparer à un entretien pour un poste de conseiller clientèle ?",
        "je veux apprendre à parler néerlandais, quelqu'un peut m'aider ?",
        "Ik wil beter Nederlands spreken, kent iemand een cursus?",
        "Ik heb iemand nodig om op mijn kinderen te passen",
        "Ik zoek werk als medewerker, ik heb geld nodig",
        "que me conseillez-vous comme formation ?",
        "je veux aider quelqu'un, travailler dans le social",
        "je voudrais voir si je peux devenir agent de sécurité",
        "je ne veux pas parler à un conseiller, juste une info",
        "ik wil niet met een adviseur praten",
        "sans parler à un conseiller, c'est possible ?",
        "ik wil mensen helpen",
    ],
)
def test_a_counsellor_named_without_asking_for_one_now_is_no_request(text):
    assert not is_counsellor_request(text)
