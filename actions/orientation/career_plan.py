"""Shows the answers to confirm, then the career plan built from them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.desk_client import record_usage
from actions.language import conversation_language
from actions.orientation import plan, recap, turn
from actions.orientation.turn import INTEREST_SLOT, INTERESTS, QUESTIONS


def plan_for(tracker: Tracker) -> plan.CareerPlan:
    return plan.build(turn.answers(tracker.current_slot_values()), conversation_language(tracker))


def first_summary(events: list[dict[str, Any]]) -> bool:
    """No summary shown since the questionnaire was (re)started: it has just been completed."""
    for event in reversed(events):
        shown = (event.get("metadata") or {}).get("utter_action") if event.get("event") == "bot" else None
        if shown == "utter_orientation_summary":
            return False
        if shown == "utter_orientation_intro":
            return True
    return True


class ActionOrientationSummary(Action):
    def name(self) -> str:
        return "action_orientation_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        questions = [INTERESTS if q == INTEREST_SLOT else q for q in QUESTIONS]
        lang = conversation_language(tracker)
        answers = recap.lines(tracker.current_slot_values(), questions, lang)
        if first_summary(tracker.events):
            record_usage("questionnaire_completed", lang)
        dispatcher.utter_message(response="utter_orientation_summary", answers=answers)
        return []


class ActionCareerPlan(Action):
    """The plan in a few messages, then what the visitor can do next."""

    def name(self) -> str:
        return "action_career_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        for block in plan.sections(plan_for(tracker)):
            dispatcher.utter_message(text=block)
        dispatcher.utter_message(response="utter_career_plan_next")
        return []


class ActionPrintPlan(Action):
    """The whole plan in one plain-text message, to copy or print."""

    def name(self) -> str:
        return "action_print_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=plan.render(plan_for(tracker)))
        return []
