"""A request to see a counsellor, wherever it stands in a message, and the area it names.

"J'ai un projet de formation en soudure, est-ce que je peux voir un conseiller pour en parler ?" is a
request, even though the classifier reads the longer part, a question about training; "un conseiller en
formation" names the area whose counsellor the ticket goes to. What counts, within one clause, is a wish to
meet or speak with a person, said as such: "parler à un conseiller", "voir quelqu'un", "rendez-vous avec un
conseiller", "met een adviseur praten", "kan ik een adviseur spreken", "ik heb een adviseur nodig". Not
requests: one's own counsellor elsewhere ("comment contacter mon conseiller Actiris ?", "mijn consulent van
de VDAB"), a meeting that was ("j'avais rendez-vous avec…"), a negation ("sans parler à un conseiller"),
someone else's need ("ik heb iemand nodig om op mijn kinderen te passen"), a job ("agent de sécurité").

Standard library only: the Rasa server's intent corrector (nlu/question_first.py) and the action server's
ticket (actions/handoff/ticket.py) both use it.
"""

from __future__ import annotations

import re

from common.text import words
from common.vocabulary import Area

# The intent of a request to see a counsellor.
COUNSELLOR_REQUEST = "request_counsellor"

_PERSON_FR = r"(conseiller|conseillere|conseillers|conseilleres|quelqu un|personne|humain|accompagnateur)"
_PERSON_NL = r"(adviseur|adviseurs|adviseuse|consulent|consulente|loopbaanbegeleider|iemand)"
_REQUEST = (
    # "parler à un conseiller", "discuter avec quelqu'un"
    re.compile(rf"\b(parler|discuter)( \w+){{0,2}} (a|avec|au) (un |une |des |le |la |l |vrai |vraie )*{_PERSON_FR}\b"),
    # "voir un conseiller", "rencontrer quelqu'un", "besoin d'un conseiller"
    re.compile(
        rf"\b(voir|rencontrer|consulter|contacter|besoin d)( \w+){{0,2}} (un |une |des |le |la |l |vrai |vraie )+"
        rf"{_PERSON_FR}\b|\b(voir|rencontrer|parler a) quelqu un\b"
    ),
    re.compile(rf"\b(rdv|rendez vous) (\w+ ){{0,2}}avec (un |une |des |le |la |l )+{_PERSON_FR}\b"),
    # "met een adviseur praten", "een gesprek met een consulent", "met iemand spreken"
    re.compile(rf"\bmet (een |de )?{_PERSON_NL}( \w+){{0,3}} (praten|spreken|babbelen)\b"),
    re.compile(rf"\b(afspraak|gesprek) (\w+ ){{0,2}}met (een |de )?{_PERSON_NL}\b"),
    # "kan ik een adviseur spreken", "ik wil iemand zien"
    re.compile(rf"\b(kan|mag|wil|zou) ik( \w+){{0,2}} (een |de )?{_PERSON_NL}( \w+){{0,2}} (spreken|zien|ontmoeten)\b"),
    # "ik heb een adviseur nodig" (not "iemand nodig om…", someone else's task)
    re.compile(r"\b(een |de )(adviseur|consulent|loopbaanbegeleider) nodig\b|\biemand nodig\b(?! (om|die|voor|dat))"),
)
# One's own counsellor, or another service's: "mon conseiller Actiris", "mijn consulent van de VDAB".
_SOMEONE_ELSE_S = re.compile(
    r"\b(mon|ma|mes|notre|mijn|onze|m n)( \w+)? (conseiller|conseillere|adviseur|consulent|consulente)\b"
    r"|\b(conseiller|conseillere|adviseur|consulent|consulente) (\w+ ){0,2}(actiris|vdab|cpas|ocmw|forem|onem|rva)\b"
)
# A negation, or a meeting that was, in the clause before the request.
_NOT_NOW = re.compile(r"\b(pas|jamais|sans|niet|geen|nooit|zonder|hoef|hoeft|avais|avait|ai eu|had|hadden|gehad)\b")
# Clauses: a request and what denies it stand in the same one.
_CLAUSE = re.compile(r"[,;.!?:()]|\s(?:mais|maar)\s", re.IGNORECASE)

# "un conseiller en formation", "een adviseur voor werk": the area right after the person.
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
        rf"\b{_PERSON}( \w+){{0,3}} (en|pour|d|de|du|des|voor|over|rond|van|in|met)( \w+){{0,2}} ({pattern})\b"
    )
    for area, pattern in _AREA_WORDS.items()
}


def _clauses(text: str) -> list[str]:
    return [" ".join(words(clause)) for clause in _CLAUSE.split(text)]


def is_counsellor_request(text: str) -> bool:
    """Whether the message asks, anywhere in it, to see a counsellor or a person now."""
    for clause in _clauses(text):
        if _SOMEONE_ELSE_S.search(clause):
            continue
        for pattern in _REQUEST:
            match = pattern.search(clause)
            if match and not _NOT_NOW.search(clause[: match.end()]):
                return True
    return False


def named_area(text: str) -> Area | None:
    """The area named with the counsellor asked for ("un conseiller en formation")."""
    plain = " ".join(words(text))
    return _one_area([area for area, pattern in _NAMED_AREA.items() if pattern.search(plain)])


def spoken_of_area(text: str) -> Area | None:
    """The only area the message speaks of ("un projet de formation en soudure, je peux voir un conseiller ?")."""
    plain = " ".join(words(text))
    return _one_area([area for area, pattern in _AREA_WORDS.items() if re.search(rf"\b({pattern})\b", plain)])


def _one_area(found: list[Area]) -> Area | None:
    """Going abroad makes it mobility, whatever one goes for ("studeren in het buitenland"); otherwise one area
    or none: two would send the visitor to the wrong counsellor half of the time."""
    if "mobility" in found:
        return "mobility"
    return found[0] if len(found) == 1 else None
