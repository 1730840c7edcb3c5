"""Shows the answers to confirm, then the career plan built from them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.desk_client import record_usage
from actions.language import conversation_language
from actions.orientation import plan, plan_link, recap, turn
from actions.orientation.turn import INTEREST_SLOT, INTERESTS, QUESTIONS
from common.vocabulary import PLAN_CARD


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
        built = plan_for(tracker)
        # Each block as text for any client, with its card for the widget and the kiosk (bot/channels.py).
        for block, card in zip(plan.sections(built), plan.cards(built), strict=True):
            dispatcher.utter_message(text=block, **{PLAN_CARD: card})
        dispatcher.utter_message(response="utter_career_plan_next")
        return []


class ActionPrintPlan(Action):
    """The whole plan in one plain-text message, to keep: the widget and the kiosk add a way to copy, share or
    print it, and its link (on the kiosk, as a QR code to open it on one's phone)."""

    def name(self) -> str:
        return "action_print_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        built = plan_for(tracker)
        answers = turn.answers(tracker.current_slot_values())
        title = plan.phrase("title", built.lang)
        printable = plan.printable(answers, built.lang)
        card = {"part": "whole", "title": title, "link": plan_link.link(answers, built.lang), "printable": printable}
        dispatcher.utter_message(text=plan.render(built), **{PLAN_CARD: card})
        dispatcher.utter_message(response="utter_career_plan_next")
        return []
