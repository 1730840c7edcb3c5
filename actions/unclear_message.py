"""What to say when a message was not understood or is outside what we cover."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

UNCLEAR_INTENTS = {"nlu_fallback", "out_of_scope"}


def unclear_turns_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages, counted back from now, were unclear.

    A message the NLU did not classify but the knowledge search answered
    (`shown_passages` set after it) was clear enough and ends the count.
    """
    count = 0
    answered = False
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == "shown_passages":
            answered = True
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if answered or intent not in UNCLEAR_INTENTS:
            break
        count += 1
    return count


def reply_to_unclear_message(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if unclear_turns_in_a_row(tracker.events) >= 2:
        dispatcher.utter_message(response="utter_offer_counsellor")
    elif tracker.latest_message.get("intent", {}).get("name") == "out_of_scope":
        dispatcher.utter_message(response="utter_out_of_scope")
    else:
        dispatcher.utter_message(response="utter_rephrase")
