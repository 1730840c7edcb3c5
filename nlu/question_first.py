"""Corrects two readings of the intent classifier that cost visitors their answer.

- A long question that sounds like a wish to be oriented ("ma fille de 16 ans ne sait pas quoi
  choisir, quelles études pour elle ?") was read as "start the questionnaire", which started it:
  the visitor asked a question and got the first of eight questions back. A question is answered
  first; the questionnaire is then offered (actions/knowledge_answer.py sees start_orientation
  ranked second).
- A message read as unclear, out of scope or as the "ask a question" button that holds a Belgian
  term of the glossary (knowledge/glossary.yml: "C4 ?", "activa c quoi") is a question about the
  term's area: the ticket of a later handoff goes to that area's counsellor.
- A question (a question mark or word) read as small talk ("thanks", "stop", "goodbye"...) or as
  the wish to start the questionnaire, that names a glossary term or a need others cover
  (knowledge/elsewhere.yml: taxes, housing...), is a question: about the term's area, or out of
  scope (answered with who can help); with the wish to start the questionnaire, a need others
  cover counts even when not asked.

- A request to see a counsellor inside a longer message read as a question, unclear, out of scope or the
  wish to start the questionnaire ("…une formation de soudeur, est-ce que je peux voir un conseiller ?") is the request
  (common/counsellor_request.py): the visitor gets a ticket, with the area the question was about.

- A phone number or an e-mail address given in a message that is otherwise unclear, small talk or an answer
  ("rappelez-moi au 0470…") is contact details volunteered (`give_contact`): the visitor is told that the
  service needs neither and is walk-in.
- A greeting that introduces oneself and says nothing else ("Hallo, ik ben Jan, 24 jaar"; "bonjour, je
  m'appelle Sarah"), read as unclear, is a greeting (the name is scrubbed before anything is stored, as any
  text is).

The decision is `adjusted_intent`, a pure function; the component applies it after the
FallbackClassifier. It needs no training and reads the glossary and the sheets' areas at start.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from common.counsellor_request import COUNSELLOR_REQUEST, is_counsellor_request
from common.vocabulary import AREA_INTENTS
from knowledge.glossary import Elsewhere, Glossary, elsewhere_for
from knowledge.lexical import words
from privacy.identifiers import find_identifiers

START = "start_orientation"
# Intents that lead to no answer of their own, which a glossary term turns into a question.
WITHOUT_AN_ANSWER = ("nlu_fallback", "out_of_scope", "ask_question")
# Intents a message may get that also asks for a counsellor ("…, je peux voir un conseiller ?"). Not a question
# about the centre: "peut-on voir un conseiller sans rendez-vous ?" asks how it works.
HOLDING_A_REQUEST = (*AREA_INTENTS, *WITHOUT_AN_ANSWER, START)
GIVE_CONTACT = "give_contact"
# What the scrubber finds as contact details (privacy/identifiers.py, standard library only).
CONTACT_KINDS = ("phone", "email")
GREETING = re.compile(r"^\W*(bonjour|bonsoir|salut|slt|hello|hallo|hoi|dag|goeiedag|goedendag|hey|hi|coucou)\b", re.I)
# One's name given ("je m'appelle Sarah", "ik heet Lotte"), or "ik ben Jan" / "je suis Karim" after a greeting;
# then the age, if said. A greeting this short and no more: "je m'appelle Sarah, je cherche une formation" asks
# something, and goes to the search.
NAME_GIVEN = re.compile(r"(?i)\b(je m ?appelle|moi c est|mon (pre)?nom (est|c est)|ik heet|mijn naam is) (\w+)")
NAME_AFTER_BEING = re.compile(r"\b(?i:ik ben|je suis) (\w+)")
AGE_SAID = re.compile(r"(?i)\b(j ai |ik ben )?\d{1,2} (ans|jaar)( oud)?\b")
INTRODUCTION_WORDS = 3
# Intents of small talk and of the conversation's course, which a question may be mistaken for.
SMALL_TALK = ("thank", "stop", "goodbye", "greet", "affirm", "deny", "bot_challenge")
# A question this long is a story with a question in it, not a request to start the questionnaire
# ("je veux faire le test ?" stays a request).
MIN_QUESTION_WORDS = 10
QUESTION_WORDS = frozenset(
    words(
        "comment quoi quel quelle quels quelles où combien pourquoi quand qui est-ce "
        "hoe wat welke welk waar wanneer waarom hoeveel wie"
    )
)


def asks(text: str) -> bool:
    """A question mark or a question word."""
    return "?" in text or bool(QUESTION_WORDS & set(words(text)))


def gives_contact(text: str) -> bool:
    """Whether the message holds a phone number or an e-mail address."""
    return any(span.kind in CONTACT_KINDS for span in find_identifiers(text))


def introduces_oneself(text: str) -> bool:
    """A greeting that gives one's name, and perhaps one's age, and says nothing else. After "ik ben" or "je
    suis", the name has its capital ("je suis étudiant" is a situation)."""
    plain = text.replace("'", " ").replace("\u2019", " ")
    greeting = GREETING.match(plain)
    name = NAME_GIVEN.search(plain)
    if name is None and greeting is not None:
        name = NAME_AFTER_BEING.search(plain)
        if name is not None and not name.group(1)[:1].isupper():
            name = None
    if name is None:
        return False
    rest = plain[greeting.end() if greeting else 0 : name.start()] + " " + plain[name.end() :]
    return "?" not in rest and len(words(AGE_SAID.sub(" ", rest))) <= INTRODUCTION_WORDS


def is_question(text: str) -> bool:
    return len(words(text)) >= MIN_QUESTION_WORDS and asks(text)


def area_of_terms(text: str, glossary: Glossary, topic_areas: Mapping[str, str]) -> str | None:
    for term in glossary.find(text):
        for topic in term.topics:
            intent = f"ask_{topic_areas.get(topic)}"
            if intent in AREA_INTENTS:
                return intent
    return None


def topic_of(
    text: str, glossary: Glossary, elsewhere: Sequence[Elsewhere], topic_areas: Mapping[str, str]
) -> str | None:
    """The intent a message naming a glossary term or a need others cover is about, if it names one."""
    return area_of_terms(text, glossary, topic_areas) or (
        "out_of_scope" if elsewhere_for(elsewhere, text, "fr") else None
    )


def adjusted_intent(
    text: str,
    intent: str | None,
    ranking: Sequence[str],
    glossary: Glossary,
    elsewhere: Sequence[Elsewhere],
    topic_areas: Mapping[str, str],
) -> str | None:
    """The intent the message should have, or None to keep the classifier's. `ranking` is the
    classifier's intents, best first; `topic_areas` maps each sheet to its area."""
    if not text or text.startswith("/"):
        return None
    if intent in HOLDING_A_REQUEST and is_counsellor_request(text):
        return COUNSELLOR_REQUEST
    if intent in (*WITHOUT_AN_ANSWER, *SMALL_TALK, "inform") and gives_contact(text):
        return GIVE_CONTACT
    if intent in (*WITHOUT_AN_ANSWER, "inform") and introduces_oneself(text):
        return "greet"
    if intent == START:
        # "je suis au chômage et je veux faire le questionnaire" names a term but asks nothing: it
        # is the request it seems to be. A need others cover ("aide pour ma déclaration d'impôts")
        # is not one the questionnaire can meet, asked or not.
        if asks(text) and (area := area_of_terms(text, glossary, topic_areas)):
            return area
        if elsewhere_for(elsewhere, text, "fr"):
            return "out_of_scope"
        if is_question(text):
            return next((name for name in ranking if name in AREA_INTENTS), None) or "ask_education"
        return None
    if intent in WITHOUT_AN_ANSWER:
        return area_of_terms(text, glossary, topic_areas)
    if intent in SMALL_TALK and asks(text):
        return topic_of(text, glossary, elsewhere, topic_areas)
    return None
