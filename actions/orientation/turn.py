"""One visitor message while the questionnaire asks a question: what to do with it.

An answer is kept (an option's value, the goal as written, or "skipped"); an
earlier answer may be corrected instead; a message that is not an answer but a
question, a stop, a request for a counsellor or for the other language leaves
the form to the rules in bot/orientation/rules.yml, which then come back to the
same question; anything else is asked once more with the buttons, then skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from actions.orientation.answers import corrections, interest_groups, interpret, is_button_value
from common.counsellor_request import COUNSELLOR_REQUEST
from common.vocabulary import AREA_INTENTS, CHOOSE_TOPIC_INTENT

SKIPPED = "skipped"
INTEREST_SLOT = "interest_group"
INTERESTS = "interests"
UNCLEAR = "orientation_unclear"
ALL_ANSWERED = "all_answered"  # the interest question's slot once every group has an answer
# A chosen activity; the others of its group are NOT_CHOSEN (not a dislike: the visitor only picked).
CHOSEN, NOT_CHOSEN = "like", "not_chosen"
# The form's questions in the order they are asked (the form's required slots).
QUESTIONS = (
    "situation",
    "age_band",
    "education",
    "need_area",
    "goal",
    INTEREST_SLOT,
    "languages",
    "time_available",
    "mobility",
    "counsellor_language",
)
ANSWER_SLOTS = tuple(q for q in QUESTIONS if q != INTEREST_SLOT) + (INTERESTS,)
# Messages that leave the form when they do not answer it; each has a rule.
LEAVING_INTENTS = {"stop", COUNSELLOR_REQUEST, "restart_orientation", "ask_question", "ask_centre_info", "give_contact"}
# A confident stop or call for a counsellor wins over words that happen to match an
# option ("j'arrête le questionnaire" is not "arrêté en 4e"); a button's value does not.
FIRM_INTENTS = {"stop", COUNSELLOR_REQUEST}
FIRM_CONFIDENCE = 0.8


@dataclass
class Turn:
    slots: dict[str, Any] = field(default_factory=dict)
    corrected: dict[str, str] = field(default_factory=dict)  # earlier answers changed by this message
    moved_on: bool = False  # not understood twice: skipped
    leaves_form: bool = False


def next_group(interests: dict[str, str] | None) -> str | None:
    """The first interest group with an activity not answered yet."""
    return next(
        (key for key, group in interest_groups().items() if any(item not in (interests or {}) for item in group)),
        None,
    )


def step(question: str, interests: dict[str, str] | None) -> tuple[int, int]:
    """The question's number and the number of questions, each interest group counting as one."""
    groups = list(interest_groups())
    position = QUESTIONS.index(question)
    if position > QUESTIONS.index(INTEREST_SLOT):
        position += len(groups) - 1
    elif question == INTEREST_SLOT:
        position += groups.index(next_group(interests) or groups[-1])
    return position + 1, len(QUESTIONS) + len(groups) - 1


def next_question(slots: dict[str, Any]) -> str | None:
    """The first question without an answer, as Rasa's form also finds it."""
    return next((q for q in QUESTIONS if slots.get(q) is None), None)


def answers(slots: dict[str, Any]) -> dict[str, Any]:
    """The answers given so far, as the plan reads them (skipped ones left out)."""
    found: dict[str, Any] = {q: slots.get(q) for q in ANSWER_SLOTS if slots.get(q) not in (None, SKIPPED)}
    if INTERESTS in found:
        found[INTERESTS] = {item: a for item, a in found[INTERESTS].items() if a != SKIPPED}
    return found


def is_a_question(text: str, intent: str | None) -> bool:
    return "?" in text and intent in {*AREA_INTENTS, "nlu_fallback", "ask_centre_info"}


def leaves_form(intent: str | None, language_requested: bool) -> bool:
    return intent in LEAVING_INTENTS or intent in AREA_INTENTS or (intent == "choose_language" and language_requested)


def is_firm(intent: str | None, confidence: float, question: str) -> bool:
    if intent == COUNSELLOR_REQUEST and question == "counsellor_language":
        return False  # "un conseiller qui parle néerlandais" answers that question
    return intent in FIRM_INTENTS and confidence >= FIRM_CONFIDENCE


def read(
    question: str,
    text: str,
    slots: dict[str, Any],
    intent: str | None = None,
    confidence: float = 0.0,
    language_requested: bool = False,
) -> Turn:
    """What the message `text` (classified as `intent`) does while `question` is asked."""
    text = text.strip()
    group = next_group(slots.get(INTERESTS)) if question == INTEREST_SLOT else None
    key = group or question
    leave = Turn({question: None, UNCLEAR: None}, leaves_form=True)
    # A tap on "which of these two do you mean?" (a question asked during the form got it) is never an answer.
    if (
        intent == CHOOSE_TOPIC_INTENT
        or is_a_question(text, intent)
        or (is_firm(intent, confidence, question) and not is_button_value(key, text))
    ):
        return leave
    answered = [q for q in QUESTIONS if q != question and slots.get(q) is not None]
    # A "correction" to the answer already given changes nothing: the message is read as an answer.
    corrected = {q: v for q, v in corrections(text, answered, key).items() if slots.get(q) != v}
    if corrected:
        return Turn({**corrected, question: None, UNCLEAR: None}, corrected=corrected)
    answer = interpret(key, text)
    if answer.understood:
        return keep(question, group, SKIPPED if answer.skipped else answer.value, slots)
    if leaves_form(intent, language_requested):
        return leave
    if slots.get(UNCLEAR) == key:
        turn = keep(question, group, SKIPPED, slots)
        turn.moved_on = True
        return turn
    return Turn({question: None, UNCLEAR: key})


def keep(question: str, group: str | None, value: Any, slots: dict[str, Any]) -> Turn:
    """The answer kept; the interest question stays open until its last group is answered, each activity of a
    group kept as chosen, not chosen or skipped."""
    if group:
        picked = {
            item: SKIPPED if value == SKIPPED else CHOSEN if item in value else NOT_CHOSEN
            for item in interest_groups()[group]
        }
        interests = {**(slots.get(INTERESTS) or {}), **picked}
        return Turn({INTERESTS: interests, question: None if next_group(interests) else ALL_ANSWERED, UNCLEAR: None})
    return Turn({question: value, UNCLEAR: None})
