"""The simulated visitors of `make bench-load` (a locustfile: bench/load.py runs locust on it, one step at a time).

One simulated user is one visitor at a phone or a kiosk. Each iteration is a new conversation (a new
uuid as the sender), in French (60 %) or in Dutch (40 %), with the widget's language in each message's
metadata as the widget sends it, and one of three scenarios, weighted as the centre sees them:

- questions (5): a greeting, then 2 or 3 visitors' questions (held-out ask_* messages of tests/nlu/);
- questionnaire (2): a greeting, the request and every answer until the summary, typed in French and
  tapped (the first button's payload) in Dutch where the question has buttons;
- handoff (1): a greeting, then a request for a counsellor, until the reply gives a ticket number.

Between two messages, and between two conversations, the visitor thinks for 0.5 to 2 s: a compressed
human pace (people take 5 to 20 s to read and type), so that each simulated visitor stands for several
real ones and the machine's limit is reached with few simulated users.

Each request is named by its scenario ("question", "questionnaire", "handoff") in locust's statistics.
A failure is an HTTP status other than 200, an empty reply list or the service-trouble reply
(bot/service_trouble.py), or a questionnaire without its summary / a handoff without a ticket number
by the end. With PASSERELLE_LOAD_BOT=plain (the `rasa init` baseline), only the HTTP status counts:
that bot stays silent on what it does not understand and has no questionnaire nor tickets.
"""

from __future__ import annotations

import os
import random
import re
import uuid
from collections.abc import Callable
from typing import Any

import yaml
from locust import FastHttpUser, between, task

from bench.turn_latency import QUESTIONNAIRE
from bot.service_trouble import variations
from common.defaults import PROJECT_ROOT
from nlu.evaluation import heldout

WEBHOOK = "/webhooks/rest/webhook"
PLAIN = os.environ.get("PASSERELLE_LOAD_BOT", "passerelle") == "plain"
FRENCH_SHARE = 0.6
GREETINGS = {"fr": ("bonjour", "bonjour !", "bonsoir"), "nl": ("hallo", "hallo!", "goedendag")}
# Wordings the handoff tests and `make bench-handoff` use: a missed request would count as a failure, and the
# benchmark is about load, not about the NLU's recall.
HANDOFF_REQUESTS = {
    "fr": ("je voudrais parler à un conseiller", "je veux voir un conseiller"),
    "nl": ("kan ik met een adviseur praten?", "ik wil graag met een adviseur praten"),
}
# A Dutch visitor who runs out of typed answers (a question asked again) skips, as the tests do.
SKIP = {"fr": "passer", "nl": "sla over"}
# More than the 22 turns of a whole questionnaire: room for a question asked again.
QUESTIONNAIRE_TURNS = 30
HANDOFF_TURNS = 4
TICKET = re.compile(r"\b(?:FR|NL)-\d{3}\b")

Replies = list[dict[str, Any]]
# Given the replies of the last turn of a scenario: why the scenario failed, or None.
FinalCheck = Callable[[Replies], str | None]


def questions_by_language() -> dict[str, list[str]]:
    """Visitors' questions never seen in training: the held-out messages of the ask_* intents."""
    return {
        language: [text for text, intent in heldout(language) if intent.startswith("ask_")] for language in ("fr", "nl")
    }


def summary_openings() -> tuple[str, ...]:
    """How the questionnaire's summary starts in each language ("Merci ! Voici ce que j'ai noté :"), from
    the domain, so that a change of wording does not turn every questionnaire into a failure."""
    domain = yaml.safe_load((PROJECT_ROOT / "bot" / "orientation" / "domain.yml").read_text(encoding="utf-8"))
    variations = domain["responses"]["utter_orientation_summary"]
    return tuple(variation["text"].split("{")[0].strip() for variation in variations)


QUESTIONS = questions_by_language()
SUMMARIES = summary_openings()
TROUBLE = tuple(variation["text"] for variation in variations().values())


def texts(replies: Replies) -> list[str]:
    return [reply.get("text") or "" for reply in replies]


def first_payload(replies: Replies) -> str | None:
    buttons = (replies[-1].get("buttons") or []) if replies else []
    return buttons[0].get("payload") if buttons else None


def is_summary(replies: Replies) -> bool:
    return any(text.startswith(SUMMARIES) for text in texts(replies))


def has_ticket(replies: Replies) -> bool:
    return any(TICKET.search(text) for text in texts(replies))


def problem(status: int, body: Any) -> str | None:
    """Why a turn failed, or None."""
    if status != 200:
        return f"HTTP {status}"
    if not isinstance(body, list):
        return "not a list of replies"
    if PLAIN:
        return None
    if not body:
        return "empty reply"
    if any(text in TROUBLE for text in texts(body)):
        return "service-trouble reply"
    return None


class Visitor(FastHttpUser):
    """One visitor: a new conversation per iteration. FastHttpUser (geventhttpclient) rather than HttpUser
    (requests): it takes several times less CPU per request, and locust shares the machine's two cores
    with the servers it measures."""

    wait_time = between(0.5, 2)
    sender = ""
    language = "fr"
    # Set by a failed turn: the rest of the scenario is not played (its messages would make no sense).
    failed = False

    def begin(self, scenario: str) -> bool:
        """A new conversation and its greeting; False when the greeting already failed."""
        self.sender = uuid.uuid4().hex
        self.language = "fr" if random.random() < FRENCH_SHARE else "nl"
        self.failed = False
        self.say(scenario, random.choice(GREETINGS[self.language]))
        return not self.failed

    def say(self, scenario: str, message: str, final: FinalCheck | None = None) -> Replies:
        """One turn; marks it failed in locust's statistics (and the scenario as over) when it went wrong.
        `final` checks the last turn of a scenario for the scenario's own outcome."""
        payload = {"sender": self.sender, "message": message, "metadata": {"language": self.language}}
        with self.client.post(WEBHOOK, json=payload, name=scenario, catch_response=True) as response:
            try:
                body = response.json() if response.status_code == 200 else None
            except ValueError:
                body = None
            why = problem(response.status_code or 0, body)
            if why is None and final is not None and not PLAIN:
                why = final(body or [])
            if why is None:
                response.success()
                return body or []
            response.failure(why)
            self.failed = True
            return []

    @task(5)
    def questions(self) -> None:
        if not self.begin("question"):
            return
        for text in random.sample(QUESTIONS[self.language], random.randint(2, 3)):
            self.wait()
            self.say("question", text)
            if self.failed:
                return

    @task(2)
    def questionnaire(self) -> None:
        if not self.begin("questionnaire"):
            return
        request, *typed = QUESTIONNAIRE[self.language]
        self.wait()
        replies = self.say("questionnaire", request)
        # The plain bot has no questionnaire: it gets as many messages as a whole one takes here.
        turns = len(typed) if PLAIN else QUESTIONNAIRE_TURNS
        for index in range(turns):
            if self.failed or is_summary(replies):
                return
            self.wait()
            replies = self.say("questionnaire", self.answer(index, typed, replies), self.questionnaire_check(index))

    def answer(self, index: int, typed: list[str], replies: Replies) -> str:
        """The answer to the question in `replies`: typed in French, tapped in Dutch where it has buttons."""
        payload = first_payload(replies)
        if payload and (self.language == "nl" or index >= len(typed)):
            return payload
        return typed[index] if index < len(typed) else SKIP[self.language]

    def questionnaire_check(self, index: int) -> FinalCheck | None:
        if index < QUESTIONNAIRE_TURNS - 1:
            return None
        return lambda replies: None if is_summary(replies) else f"no summary after {QUESTIONNAIRE_TURNS} answers"

    @task(1)
    def handoff(self) -> None:
        if not self.begin("handoff"):
            return
        message = random.choice(HANDOFF_REQUESTS[self.language])
        # The plain bot never gives a ticket: one request, as many messages as a handoff takes here.
        turns = 1 if PLAIN else HANDOFF_TURNS
        for turn in range(turns):
            self.wait()
            last = turn == turns - 1
            replies = self.say(
                "handoff", message, (lambda r: None if has_ticket(r) else "no ticket number") if last else None
            )
            if self.failed or has_ticket(replies):
                return
            # A question on the way (the counsellor's language or area): its first button.
            message = first_payload(replies) or message
