"""The one-question satisfaction survey: a rating from 1 to 5 and an optional comment, kept without any link."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.desk_client import DeskUnavailable, submit_survey
from actions.language import conversation_language

log = logging.getLogger(__name__)
RATING_SLOT, COMMENT_SLOT = "survey_rating", "survey_comment"
NO_COMMENT = "-"
MAX_COMMENT = 500


def rating(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 5 else None


class ActionOfferSurvey(Action):
    """Asks for a rating at the end of a conversation, once."""

    def name(self) -> str:
        return "action_offer_survey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if not tracker.get_slot(RATING_SLOT):
            dispatcher.utter_message(response="utter_survey_ask")
        return []


class ValidateSurveyForm(Action):
    """The comment is whatever the visitor writes next; a button ("no comment") means none."""

    def name(self) -> str:
        return "validate_survey_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.slots_to_validate().get(COMMENT_SLOT)
        if text is None:
            return []
        text = str(text).strip()
        return [SlotSet(COMMENT_SLOT, NO_COMMENT if not text or text.startswith("/") else text[:MAX_COMMENT])]


class ActionSubmitSurvey(Action):
    def name(self) -> str:
        return "action_submit_survey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        given = rating(tracker.get_slot(RATING_SLOT))
        comment = tracker.get_slot(COMMENT_SLOT)
        # The desk scrubs the comment before it keeps it.
        comment = None if comment == NO_COMMENT else comment
        if given is not None:
            try:
                await submit_survey(lang, given, comment, after_handoff=bool(tracker.get_slot("handoff_ticket")))
            except DeskUnavailable as error:
                log.warning("Survey answer not kept: %s", error)
        dispatcher.utter_message(response="utter_survey_thanks")
        # The comment is not kept in the conversation; the rating stays so the survey is not offered again.
        return [SlotSet(COMMENT_SLOT, None)]
