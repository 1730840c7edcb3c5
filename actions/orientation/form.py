"""The questionnaire as a Rasa form: its validation, its questions, starting and changing answers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.desk_client import record_usage, scrubbed
from actions.language import conversation_language
from actions.orientation import recap, turn
from actions.orientation.answers import CHOICE_QUESTIONS, interest_groups, is_button_value, questionnaire
from actions.orientation.turn import CHOSEN, INTEREST_SLOT, INTERESTS, QUESTIONS, SKIPPED, UNCLEAR, Turn
from common.language_choice import requested_language
from common.vocabulary import ASKS_FOR

FORM = "orientation_form"
REQUESTED_SLOT = "requested_slot"
CHANGE_ANSWER = "change_answer"
# The questions whose typed answers are read back.
READ_BACK = (*CHOICE_QUESTIONS, "languages", INTEREST_SLOT)


def slot_events(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [SlotSet(name, value) for name, value in values.items()]


class ValidateOrientationForm(Action):
    """Reads each answer (actions/orientation/turn.py) and chooses the next question."""

    def name(self) -> str:
        return "validate_orientation_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = tracker.get_slot(REQUESTED_SLOT)
        text = tracker.slots_to_validate().get(question) if question in QUESTIONS else None
        lang = conversation_language(tracker)
        if text is None:  # activation: take up at the first question not answered
            return ask_next(dispatcher, tracker.current_slot_values(), lang)
        latest = tracker.latest_message or {}
        intent = latest.get("intent") or {}
        if intent.get("name") == CHANGE_ANSWER:
            # "Modifier" under an answer read back: that question again, then on from there.
            # An interest group's answer is changed alone: the other group's activities are kept.
            changed = next(tracker.get_latest_entity_values("question"), None)
            group = interest_groups().get(str(changed))
            if changed in QUESTIONS or group:
                cleared: dict[str, Any] = {
                    question: None,
                    UNCLEAR: None,
                    INTEREST_SLOT if group else str(changed): None,
                }
                if group:
                    interests = tracker.get_slot(INTERESTS) or {}
                    cleared[INTERESTS] = {item: value for item, value in interests.items() if item not in group}
                elif changed == INTEREST_SLOT:
                    cleared[INTERESTS] = None
                return slot_events(cleared) + ask_next(dispatcher, {**tracker.current_slot_values(), **cleared}, lang)
        outcome = turn.read(
            question,
            str(text),
            tracker.current_slot_values(),
            intent.get("name"),
            intent.get("confidence") or 0.0,
            requested_language(latest) is not None,
        )
        if outcome.leaves_form:
            return slot_events(outcome.slots) + [ActionExecutionRejected(FORM)]
        if isinstance(outcome.slots.get("goal"), str) and outcome.slots["goal"] != SKIPPED:
            # The goal is kept as written, and shown again: never with a name or a phone number in it.
            outcome.slots["goal"] = (await scrubbed([outcome.slots["goal"]], lang))[0]
        if outcome.corrected:
            changed = " ".join(recap.line(q, v, lang) + "." for q, v in outcome.corrected.items())
            dispatcher.utter_message(response="utter_orientation_corrected", answers=changed)
        if outcome.moved_on:
            dispatcher.utter_message(response="utter_orientation_moving_on")
        # The interest group asked (the question's key for its answers), or the question itself.
        asked = (turn.next_group(tracker.get_slot(INTERESTS)) if question == INTEREST_SLOT else None) or question
        read_back(dispatcher, question, asked, str(text), outcome, lang)
        slots = {**tracker.current_slot_values(), **outcome.slots}
        return slot_events(outcome.slots) + ask_next(dispatcher, slots, lang)


def read_back(dispatcher: CollectingDispatcher, question: str, asked: str, text: str, outcome: Turn, lang: str) -> None:
    """A typed answer, as understood, with a button to change it (a tapped one needs no reading back, a goal is
    kept as written)."""
    if question not in READ_BACK or outcome.corrected or is_button_value(asked, text):
        return
    if question == INTEREST_SLOT:
        kept = [(outcome.slots.get(INTERESTS) or {}).get(item) for item in interest_groups()[asked]]
        if None in kept or SKIPPED in kept:  # not understood, or skipped
            return
        picked = [item for item, value in zip(interest_groups()[asked], kept, strict=True) if value == CHOSEN]
        answer = recap.activities(picked, lang)
    elif outcome.slots.get(question) in (None, SKIPPED):
        return
    else:
        answer = recap.shown(question, outcome.slots[question], lang)
    dispatcher.utter_message(
        response="utter_orientation_understood",
        answer=answer,
        buttons=[
            {
                "title": questionnaire()["change_button"][lang],
                "payload": f'/{CHANGE_ANSWER}{{"question": "{asked}"}}',
            }
        ],
    )


def ask_next(dispatcher: CollectingDispatcher, slots: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Chooses the next question and asks it (the Rasa server then does not call its ask action:
    bot/asked_by_validation.py); none once every question has an answer."""
    question = turn.next_question(slots)
    if question is not None:
        ask(dispatcher, question, slots, lang)
    return [SlotSet(REQUESTED_SLOT, question)]


def buttons(question: str, group: str | None, lang: str) -> list[dict[str, str]]:
    """One button per option (its value as payload), then "skip"; for an interest group, one per activity
    ("+activity", which the widget and the kiosk let the visitor pick several of) and the one that confirms."""
    spec = questionnaire()
    if group:
        interests = spec["interests"]
        found = [{"title": interests["items"][item][lang], "payload": f"+{item}"} for item in interest_groups()[group]]
        found.append({"title": interests["confirm_button"][lang], "payload": "+"})
    elif question == "languages":
        found = [{"title": text, "payload": text} for text in spec["languages"]["buttons"][lang]]
    elif "options" in spec[question]:
        found = [{"title": option[lang], "payload": value} for value, option in spec[question]["options"].items()]
    else:
        found = []
    return found + [{"title": spec["skip_button"][lang], "payload": "skip"}]


def question_text(question: str, group: str | None, interests: dict[str, str], lang: str) -> str:
    spec = questionnaire()
    number, total = turn.step(question, interests)
    if group:
        ask = spec["interests"]["ask"][group.removeprefix("interests_")][lang]
    else:
        ask = spec[question]["ask"][lang]
    return f"{spec['progress'][lang].format(number=number, total=total)}\n{ask}"


def ask(dispatcher: CollectingDispatcher, question: str, slots: dict[str, Any], lang: str) -> None:
    """The question's text and buttons, after why it is asked again; marked with its slot."""
    interests = slots.get(INTERESTS) or {}
    group = turn.next_group(interests) if question == INTEREST_SLOT else None
    if slots.get(UNCLEAR) == (group or question):
        dispatcher.utter_message(response="utter_orientation_not_understood")
    dispatcher.utter_message(
        text=question_text(question, group, interests, lang),
        buttons=buttons(question, group, lang),
        **{ASKS_FOR: question},
    )


class AskQuestion(Action, ABC):
    """Asks the form's question `question` when Rasa calls for it (its validation usually asked it already)."""

    @property
    @abstractmethod
    def question(self) -> str:
        """The slot this action asks for (set by each subclass below)."""

    def name(self) -> str:
        return f"action_ask_{self.question}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ask(dispatcher, self.question, tracker.current_slot_values(), conversation_language(tracker))
        return []


# One ask action per question: Rasa calls `action_ask_<slot>`.
class AskSituation(AskQuestion):
    question = "situation"


class AskAgeBand(AskQuestion):
    question = "age_band"


class AskEducation(AskQuestion):
    question = "education"


class AskNeedArea(AskQuestion):
    question = "need_area"


class AskGoal(AskQuestion):
    question = "goal"


class AskInterestGroup(AskQuestion):
    question = "interest_group"


class AskLanguages(AskQuestion):
    question = "languages"


class AskTimeAvailable(AskQuestion):
    question = "time_available"


class AskMobility(AskQuestion):
    question = "mobility"


class AskCounsellorLanguage(AskQuestion):
    question = "counsellor_language"


class ActionStartOrientation(Action):
    """Introduces the questionnaire, takes it up where it was left, or clears it to start again."""

    def name(self) -> str:
        return "action_start_orientation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        started = any(tracker.get_slot(slot) is not None for slot in (*QUESTIONS, INTERESTS))
        if intent == "restart_orientation" or not started:
            record_usage("questionnaire_started", conversation_language(tracker))
        if intent == "restart_orientation":
            dispatcher.utter_message(response="utter_orientation_intro")
            return slot_events({slot: None for slot in (*QUESTIONS, INTERESTS, UNCLEAR, REQUESTED_SLOT)})
        dispatcher.utter_message(response="utter_orientation_resume" if started else "utter_orientation_intro")
        return []


class ActionChangeAnswer(Action):
    """Clears the answer the visitor wants to change, so that the form asks it again;
    without a question named, offers the answered ones as buttons."""

    def name(self) -> str:
        return "action_change_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        question = next(tracker.get_latest_entity_values("question"), None)
        if question in QUESTIONS:
            cleared = [SlotSet(INTERESTS, None)] if question == INTEREST_SLOT else []
            return cleared + [SlotSet(question, None), SlotSet(UNCLEAR, None)]
        lang = conversation_language(tracker)
        slots = tracker.current_slot_values()
        dispatcher.utter_message(
            response="utter_orientation_which_answer",
            buttons=[
                {"title": recap.title(q, lang), "payload": f'/{CHANGE_ANSWER}{{"question": "{q}"}}'}
                for q in QUESTIONS
                if slots.get(q) is not None
            ],
        )
        return []
