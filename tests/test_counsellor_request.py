"""A request to see a counsellor anywhere in a message, and the area it names (common/counsellor_request.py)."""

import pytest

from common.counsellor_request import is_counsellor_request, requested_area


@pytest.mark.parametrize(
    "text, area",
    [
        ("J'ai un projet de formation en soudure, est-ce que je peux voir un conseiller pour en parler ?", "training"),
        ("je veux parler à un conseiller", None),
        ("une formation ou un emploi, je voudrais en parler avec un conseiller", None),
        ("je voudrais un rendez-vous avec un conseiller en formation", "training"),
        ("je veux voir une personne pour l'emploi", "employment"),
        ("besoin d'un conseiller pour créer mon entreprise", "entrepreneurship"),
        ("Ik wil een opleiding volgen als lasser, kan ik daarover met een adviseur praten?", "training"),
        ("kan ik een adviseur voor werk spreken?", "employment"),
        ("ik heb een adviseur nodig over ondernemen", "entrepreneurship"),
        ("ik zou graag met iemand praten over studeren in het buitenland", "mobility"),
    ],
)
def test_a_request_anywhere_in_a_message_with_the_area_it_names(text, area):
    assert is_counsellor_request(text)
    assert requested_area(text) == area


@pytest.mark.parametrize(
    "text",
    [
        "mon conseiller Actiris m'a dit de venir ici",
        "que me conseillez-vous comme formation ?",
        "je veux aider quelqu'un, travailler dans le social",
        "je ne veux pas parler à un conseiller, juste une info",
        "ik wil mensen helpen",
        "mijn consulent van de VDAB zei dat ik een opleiding moet zoeken",
    ],
)
def test_a_counsellor_named_without_asking_for_one_is_no_request(text):
    assert not is_counsellor_request(text)
