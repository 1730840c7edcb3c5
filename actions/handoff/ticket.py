"""The handoff ticket, built from the conversation: what the counsellor reads before meeting the visitor.

Every part is optional: a visitor who asks for a person at once gets a ticket
with the reason and the language only; one who did the questionnaire and asked
questions brings the answers, the interest profile, the goal, the questions the
assistant could not answer and the passages already shown. Everything the
visitor typed goes through `scrub` before it is put in (actions/handoff/action.py:
kept as typed for the desk, which scrubs it before storing it; withheld for the outbox).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.orientation import recap
from actions.orientation.answers import PICKED, questionnaire
from actions.orientation.turn import INTERESTS, SKIPPED
from common.counsellor_request import COUNSELLOR_REQUEST, named_area, spoken_of_area
from common.vocabulary import AREAS, LANGUAGES

TEXTS = Path(__file__).with_name("texts.yml")
ANSWERED_QUESTIONS = (
    "situation",
    "age_band",
    "education",
    "need_area",
    "languages",
    "time_available",
    "mobility",
    "counsellor_language",
)
PROFILE_QUESTIONS = ("situation", "age_band", "need_area")
# Replies that mean "the assistant could not answer that message".
NO_ANSWER = {
    "utter_no_reliable_answer",
    "utter_rephrase",
    "utter_offer_counsellor",
    "utter_out_of_scope",
    "utter_search_unavailable",
}
NOT_UNDERSTOOD = {"utter_rephrase", "utter_offer_counsellor", "utter_out_of_scope"}
LOW_CONFIDENCE = {"utter_no_reliable_answer", "utter_search_unavailable"}
EXCERPT_MESSAGES = 10
EXCERPT_CHARS = 280
# What the desk takes as a pseudonymous key of the visitor's address (set by the Rasa channel).
CLIENT_KEY = re.compile(r"[0-9a-f]{16,64}")
Scrub = Callable[[str, str], str]


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    return yaml.safe_load(TEXTS.read_text(encoding="utf-8"))


def ticket_language(slots: dict[str, Any], conversation_language: str) -> str:
    """The counsellor's language the visitor chose in the questionnaire, else the conversation's."""
    chosen = slots.get("counsellor_language")
    return chosen if chosen in LANGUAGES else conversation_language


def user_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("event") == "user"]


def intent_of(event: dict[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def utter_action(event: dict[str, Any]) -> str | None:
    return (event.get("metadata") or {}).get("utter_action")


def area(slots: dict[str, Any], events: list[dict[str, Any]]) -> str | None:
    """The area named with the request ("un conseiller en formation"), else the need chosen in the
    questionnaire, else the only area the request speaks of, else the question that held it, else the area
    of the latest question asked, else None."""
    requests = [event for event in user_events(events) if intent_of(event) == COUNSELLOR_REQUEST]
    request = requests[-1] if requests else {}
    if named := named_area(request.get("text") or ""):
        return named
    if slots.get("need_area") in AREAS:
        return slots["need_area"]
    if spoken_of := spoken_of_area(request.get("text") or ""):
        return spoken_of
    # A question that held the request ("c'est quoi le CESS, je peux voir un conseiller ?") keeps the
    # classifier's reading second, with its confidence (nlu/question_first.py).
    runner_up = ((request.get("parse_data") or {}).get("intent_ranking") or [{}, {}])[1:2]
    if runner_up and runner_up[0].get("confidence", 0) >= 0.5:
        asked = str(runner_up[0].get("name", "")).removeprefix("ask_")
        if asked in AREAS:
            return asked
    for passage in reversed(slots.get("shown_passages") or []):
        if passage.get("area") in AREAS:
            return passage["area"]
    for event in reversed(user_events(events)):
        name = intent_of(event) or ""
        if name.removeprefix("ask_") in AREAS:
            return name.removeprefix("ask_")
    return None


def last_reply_before_request(events: list[dict[str, Any]]) -> str | None:
    """The response the assistant gave just before the visitor's latest message."""
    seen_request = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_request:
                return None
            seen_request = True
        elif seen_request and event.get("event") == "bot":
            return utter_action(event)
    return None


def reason(slots: dict[str, Any], events: list[dict[str, Any]]) -> str:
    before = last_reply_before_request(events)
    if before in NOT_UNDERSTOOD:
        return "not_understood"
    if before in LOW_CONFIDENCE:
        return "low_confidence"
    if any(slots.get(q) is not None for q in ANSWERED_QUESTIONS) or slots.get(INTERESTS):
        return "questionnaire"
    return "visitor_request"


def answers(slots: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """The questionnaire's answers (skipped ones say so), labelled in the ticket's language."""
    return [
        {"label": recap.title(q, lang), "value": recap.shown(q, slots[q], lang)}
        for q in ANSWERED_QUESTIONS
        if slots.get(q) is not None
    ]


@lru_cache(maxsize=1)
def button_values() -> frozenset:
    """The payloads of the questionnaire's buttons: a tap on one is not something the visitor wrote."""
    spec = questionnaire()
    values = {"skip"}
    for question in spec.values():
        if isinstance(question, dict) and isinstance(question.get("options"), dict):
            values.update(question["options"])
    return frozenset(values)


def visitor_text(event: dict[str, Any]) -> str | None:
    """What the visitor typed; None for a button (an intent payload, a questionnaire option or interests)."""
    text = (event.get("text") or "").strip()
    if not text or text.startswith("/") or text in button_values() or PICKED.fullmatch(text):
        return None
    return text


def unanswered_questions(events: list[dict[str, Any]]) -> list[str]:
    """The visitor's messages that the assistant met with "I don't know" or "please rephrase"."""
    found: list[str] = []
    asked: str | None = None
    for event in events:
        if event.get("event") == "user":
            asked = visitor_text(event)
        elif event.get("event") == "bot" and asked and utter_action(event) in NO_ANSWER:
            found.append(asked)
            asked = None
    return found


def shortened(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def excerpt(events: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The last few messages either side wrote (buttons and empty messages left out)."""
    lines = []
    for event in events:
        if event.get("event") == "user":
            text, speaker = visitor_text(event), "visitor"
        elif event.get("event") == "bot":
            text, speaker = (event.get("text") or "").strip() or None, "assistant"
        else:
            continue
        if text:
            at = datetime.fromtimestamp(event.get("timestamp") or 0, tz=timezone.utc).isoformat()
            lines.append({"speaker": speaker, "text": shortened(text), "at": at})
    return lines[-EXCERPT_MESSAGES:]


def recap_text(why: str, slots: dict[str, Any], goal: str | None, questions: int, passages: int, lang: str) -> str:
    """Two or three sentences: why the visitor is here, who they are, what they want."""
    words = texts()
    sentences = [words["reason"][why][lang]]
    profile = [recap.shown(q, slots[q], lang) for q in PROFILE_QUESTIONS if slots.get(q) not in (None, SKIPPED)]
    if profile:
        sentences.append(words["profile"][lang].format(answers=", ".join(profile)))
    if goal:
        sentences.append(words["goal"][lang].format(goal=goal))
    elif questions or passages:
        sentences.append(words["open_questions"][lang].format(questions=questions, passages=passages))
    return " ".join(sentences)


def area_label(code: str | None, lang: str) -> str:
    if code is None:
        return texts()["area_unknown"][lang]
    return questionnaire()["need_area"]["options"][code][lang]


def client_ref(sender_id: str, events: list[dict[str, Any]]) -> str:
    """The ticket's key at the desk: the same for every try at one conversation session's handoff.

    A handoff tried again (the visitor asks again after a timeout, another action server runs it, the
    outbox delivers it after the desk answered too late) then finds the ticket already made instead of
    making a second one. It is a hash of the sender id and of when the current session started, so a
    new session (after a restart or a long pause) gets a ticket of its own.
    """
    started = next(
        (event.get("timestamp") for event in reversed(events) if event.get("event") == "session_started"), None
    )
    # "surrogatepass": a sender id comes from the client and may hold a lone surrogate.
    return hashlib.sha256(f"{sender_id}\n{started!r}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


# What the desk takes at most (desk/schemas.py): items per list, characters per text.
MAX_ITEMS, MAX_TEXT = 50, 4000


def client_key(metadata: dict[str, Any] | None) -> str | None:
    """The channel's pseudonymous key of the visitor's address, when it has the form the desk takes."""
    key = (metadata or {}).get("client_key")
    return key if isinstance(key, str) and CLIENT_KEY.fullmatch(key) else None


def build(
    sender_id: str,
    slots: dict[str, Any],
    events: list[dict[str, Any]],
    conversation_language: str,
    now: datetime,
    scrub: Scrub,
    key: str | None = None,
) -> dict[str, Any]:
    """The ticket as the desk API takes it (desk/schemas.py, TicketCreate); `key` is the visitor's client key."""
    lang = ticket_language(slots, conversation_language)
    goal = slots.get("goal") if slots.get("goal") not in (None, SKIPPED) else None
    goal = scrub(goal, conversation_language)[:MAX_TEXT] if goal else None
    # The latest ones count most.
    questions = [scrub(q, conversation_language)[:MAX_TEXT] for q in unanswered_questions(events)][-MAX_ITEMS:]
    passages = [{"title": p["title"], "url": p["url"]} for p in slots.get("shown_passages") or []][-MAX_ITEMS:]
    why = reason(slots, events)
    # The desk counts tickets per address with it; without one it counts per conversation only.
    keyed = {"client_key": key} if key else {}
    return {
        **keyed,
        "client_ref": client_ref(sender_id, events),
        "conversation_id": sender_id,
        "language": lang,
        "area": area(slots, events),
        "reason": why,
        "recap": recap_text(why, slots, goal, len(questions), len(passages), lang),
        "answers": answers(slots, lang),
        "interests": recap.interest_names(slots[INTERESTS], lang) if slots.get(INTERESTS) else [],
        "goal": goal,
        "questions": questions,
        "passages": passages,
        # The assistant's lines are its own texts (they quote the goal only once scrubbed).
        "excerpt": [
            {**line, "text": scrub(line["text"], conversation_language)} if line["speaker"] == "visitor" else line
            for line in excerpt(events)
        ],
        "requested_at": now.astimezone(timezone.utc).isoformat(),
    }
