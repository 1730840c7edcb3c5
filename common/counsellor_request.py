"""A request to see a counsellor, wherever it stands in a message, and the area it names.

"J'ai un projet de formation en soudure, est-ce que je peux voir un conseiller pour en parler ?" is a
request, even though the classifier reads the longer part, a question about training; "un conseiller en
formation" names the area whose counsellor the ticket goes to. What counts is a wish to meet someone
("parler à", "voir", "rendez-vous avec", "praten met", "afspraak met") followed closely by a person
("un conseiller", "quelqu'un", "een adviseur", "iemand"): "mon conseiller Actiris m'a dit…" or "que me
conseillez-vous ?" are not requests.

Standard library only: the Rasa server's intent corrector (nlu/question_first.py) and the action server's
ticket (actions/handoff/ticket.py) both use it.
"""

from __future__ import annotations

import re

from common.text import words
from common.vocabulary import Area

# The intent of a request to see a counsellor.
COUNSELLOR_REQUEST = "request_counsellor"

# A wish to meet or speak, then within a few words a person; in Dutch also the person, then the verb at the end
# ("kan ik een adviseur spreken?"). Plain wishes ("je veux", "ik wil") are not enough: "je veux aider quelqu'un".
_PERSON_FR = r"(conseiller|conseillere|conseillers|conseilleres|quelqu un|(une|la|vraie) personne|humain|agent)"
_PERSON_NL = r"(adviseur|adviseurs|adviseuse|consulent|consulente|loopbaanbegeleider|iemand|medewerker)"
_MEET_FR = r"(parler|voir|rencontrer|consulter|contacter|rdv|rendez vous|entretien|besoin d)"
_REQUEST = (
    re.compile(rf"\b{_MEET_FR}( \w+){{0,4}} {_PERSON_FR}\b"),
    re.compile(rf"\b(praten|spreken|zien|afspraak|gesprek)( \w+){{0,4}} {_PERSON_NL}\b"),
    re.compile(rf"\b{_PERSON_NL}( \w+){{0,3}} (spreken|zien|praten|nodig|ontmoeten)\b"),
)
# Words that make it the opposite: "je ne veux pas parler à un conseiller".
_NEGATION = re.compile(r"\b(pas|jamais|niet|geen|nooit)\b")
# "un conseiller en formation", "een adviseur voor werk": the area right after the person.
# Mobility first: "studeren in het buitenland" is about going abroad.
_AREA_WORDS: dict[Area, str] = {
    "mobility": r"mobilite|etranger|buitenland|mobiliteit",
    "education": r"etudes?|enseignement|ecole|orientation scolaire|studies?|studeren|onderwijs|school",
    "training": r"formations?|opleidings?|opleidingen",
    "employment": r"emploi|travail|boulot|job|werk|jobs|werkzoeken",
    "entrepreneurship": r"entrepreneuriat|entreprise|societe|commerce|independant|onderne\w*|zelfstandigen?|eigen zaak",
}
_PERSON = r"(conseiller|conseillere|conseillers|quelqu un|personne|adviseur|consulent|begeleider|iemand|medewerker)"
_NAMED_AREA = {
    area: re.compile(
        rf"\b{_PERSON}( \w+){{0,3}} (en|pour|d|de|du|des|voor|over|rond|van|in|met)( \w+){{0,2}}"
        rf" ({pattern})\b"
    )
    for area, pattern in _AREA_WORDS.items()
}


def _plain(text: str) -> str:
    return " ".join(words(text))


def is_counsellor_request(text: str) -> bool:
    """Whether the message asks, anywhere in it, to see a counsellor or a person."""
    plain = _plain(text)
    for pattern in _REQUEST:
        for match in pattern.finditer(plain):
            # The words of the request and the two before it ("je ne veux pas parler…").
            around = " ".join([*plain[: match.start()].split()[-2:], match.group(0)])
            if not _NEGATION.search(around):
                return True
    return False


def requested_area(text: str) -> Area | None:
    """The area of the request: the one named with the counsellor asked for ("un conseiller en formation"), else
    the only one the message speaks of ("un projet de formation en soudure, je peux voir un conseiller ?")."""
    plain = _plain(text)
    named = next((area for area, pattern in _NAMED_AREA.items() if pattern.search(plain)), None)
    if named is not None:
        return named
    spoken_of = [area for area, pattern in _AREA_WORDS.items() if re.search(rf"\b({pattern})\b", plain)]
    return spoken_of[0] if len(spoken_of) == 1 else None
