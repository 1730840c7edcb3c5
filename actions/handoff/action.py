"""Hands the visitor over to a walk-in counsellor: a ticket on the desk, a number for the visitor."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.centre_info import clock_time, load_centre_info
from actions.desk_client import DeskUnavailable, TicketRefused, TooManyTickets, create_ticket, record_usage
from actions.handoff import ticket
from actions.handoff.outbox import NoNumberLeft, get_outbox
from actions.language import conversation_language
from actions.orientation import plan, turn
from actions.orientation.answers import questionnaire
from actions.settings import get_settings
from common.clock import brussels_day
from common.text import WITHHELD
from knowledge.opening_hours import closing_time

log = logging.getLogger(__name__)
TICKET_SLOT = "handoff_ticket"
# The replies that tell the visitor their number (its first time, or a new one from the outbox).
NUMBER_TOLD = ("utter_handoff_ticket", "utter_handoff_renumbered")


def as_typed(text: str, lang: str) -> str:
    """For the desk, which scrubs every text a visitor typed before it stores or shows it (desk/ticket_store.py)."""
    return text


def withheld(text: str, lang: str) -> str:
    """For the outbox, a file on this host: nothing is kept unscrubbed, and the host's scrubber is the desk's,
    which did not take the ticket. The counsellor still gets the answers, the reason and the area."""
    return WITHHELD


def language_name(code: str, lang: str) -> str:
    """ "en français", "in het Nederlands": the option's label from the questionnaire, in lower case."""
    label = questionnaire()["counsellor_language"]["options"][code][lang]
    return label[0].lower() + label[1:]


def printable_plan(tracker: Tracker) -> str | None:
    """The plan's steps and interests with nothing the visitor typed (plan.printable): for a printed ticket."""
    answers = turn.answers(tracker.current_slot_values())
    if not answers:
        return None
    return plan.printable(answers, conversation_language(tracker))


def wait_estimate(queue: dict[str, Any] | None) -> dict[str, int] | None:
    """People before the visitor and the minutes to wait, when someone can see them now; else None.
    The desk's position counts the visitor's own ticket; a wait behind others is never "0 minutes"."""
    if queue is None or not queue["open_now"] or not queue["on_duty"]:
        return None
    ahead = max(0, queue["position"] - 1)
    return {"ahead": ahead, "minutes": max(1, queue["estimated_wait_minutes"]) if ahead else 0}


def tell_wait(
    dispatcher: CollectingDispatcher,
    queue: dict[str, Any] | None,
    centre: dict[str, Any],
    lang: str,
    closes: int | None = None,
) -> None:
    """How long the visitor will wait, or honestly why nobody can see them now and where else to go;
    `closes`: when today's opening hours end (minutes since midnight), for a visitor who is not there yet."""
    if queue is None:
        dispatcher.utter_message(response="utter_handoff_queue_unknown")
    elif not queue["open_now"]:
        dispatcher.utter_message(
            response="utter_handoff_closed",
            hours=centre[lang]["opening_hours"],
            alternatives=centre[lang]["alternatives"],
        )
    elif not queue["on_duty"]:
        dispatcher.utter_message(response="utter_handoff_nobody_on_duty", alternatives=centre[lang]["alternatives"])
    elif (wait := wait_estimate(queue)) and wait["ahead"]:
        dispatcher.utter_message(response="utter_handoff_wait", **wait)
    else:
        # First in the queue: nobody to wait for ("about 0 minutes" read like a fault).
        dispatcher.utter_message(response="utter_handoff_no_wait")
    if queue is not None and queue["open_now"] and closes is not None:
        dispatcher.utter_message(response="utter_handoff_open_until", time=clock_time(closes, lang))


def waiting_in_outbox(client_ref: str) -> str | None:
    """The outbox's number of this handoff if it waits there; None too when the outbox cannot be read."""
    try:
        return get_outbox().waiting_number(client_ref)
    except sqlite3.Error as error:
        log.error("Outbox unreadable (%s: %s); the desk is asked", type(error).__name__, error)
        return None


def told_today(events: list[dict[str, Any]], now: datetime) -> bool:
    """Whether the visitor's number was told today (Brussels day). Numbers start again each day and a
    conversation keeps its slots from one day to the next: yesterday's FR-027 is someone else's today. Without
    a trace of when it was told, the number is kept."""
    for event in reversed(events):
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in NUMBER_TOLD:
            told = datetime.fromtimestamp(float(event["timestamp"]), timezone.utc)
            return brussels_day(told) == brussels_day(now)
    return True


class ActionHandoff(Action):
    """Sends the ticket to the desk (or to the outbox when the desk is down) and tells the visitor."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = conversation_language(tracker)
        centre = load_centre_info(get_settings().centre_info_file)
        now = datetime.now(timezone.utc)
        if tracker.get_slot(TICKET_SLOT) and told_today(tracker.events, now):
            dispatcher.utter_message(
                response="utter_handoff_existing",
                number=tracker.get_slot(TICKET_SLOT),
                where=centre[lang]["desk_location"],
            )
            return []

        def built(scrub: ticket.Scrub) -> dict[str, Any]:
            return ticket.build(
                tracker.sender_id,
                tracker.current_slot_values(),
                tracker.events,
                lang,
                now,
                scrub,
                ticket.client_key(tracker.latest_message.get("metadata")),
            )

        payload = built(as_typed)
        queue: dict[str, Any] | None = None
        # One desk call at most: when it fails, the outbox (a local file) numbers the ticket at once. A
        # handoff already waiting in the outbox (this action was cut short after keeping it) keeps that
        # number: the outbox delivers it, and the desk shows the number the visitor is told.
        try:
            number = waiting_in_outbox(payload["client_ref"])
            if number is None:
                queue = await create_ticket(payload)
                number = queue["number"]
        except TooManyTickets as error:
            log.warning("Ticket refused by the desk's hourly limit (%s)", error.limit)
            dispatcher.utter_message(response="utter_handoff_too_many", where=centre[lang]["desk_location"])
            return []
        except (DeskUnavailable, TicketRefused) as error:
            log.error("Ticket kept in the outbox: the desk did not take it (%s)", error)
            try:
                number = get_outbox().keep(built(withheld), now)
            except (NoNumberLeft, sqlite3.Error) as failure:
                # Both messages are the outbox's own ("database is locked", "all FR outbox numbers …").
                log.error(
                    "Ticket not kept, the visitor goes to reception without a number (%s: %s)",
                    type(failure).__name__,
                    failure,
                )
                dispatcher.utter_message(response="utter_handoff_no_number", address=centre[lang]["address"])
                return []
        dispatcher.utter_message(
            response="utter_handoff_ticket",
            number=number,
            where=centre[lang]["desk_location"],
            area=ticket.area_label(payload["area"], lang),
            # Not `language`: that key of a message names the language the message is in (bot/nlg.py).
            counsellor_language=language_name(payload["language"], lang),
        )
        # For the kiosk's ticket screen and its printout; other clients may ignore it.
        dispatcher.utter_message(
            json_message={
                "ticket": {
                    "number": number,
                    "language": payload["language"],
                    "area": ticket.area_label(payload["area"], lang),
                    "where": centre[lang]["desk_location"],
                    "plan": printable_plan(tracker),
                    "wait": wait_estimate(queue),
                }
            }
        )
        tell_wait(dispatcher, queue, centre, lang, closing_time(get_settings().centre_info_file, now))
        if not tracker.get_slot("survey_rating"):
            dispatcher.utter_message(response="utter_survey_after_handoff")
        record_usage("handoff", payload["language"], payload["area"])
        return [SlotSet(TICKET_SLOT, number)]
