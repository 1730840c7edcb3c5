"""The career plan as a link: the answers it is built from, in the address of the web service's /plan page.

The kiosk shows the link as a QR code, so that a visitor opens their plan on their own phone: nothing is
stored anywhere, and the link holds the options chosen and nothing the visitor wrote, so it identifies nobody:
not the goal, only the kind of place it names (plan.py `goal_abroad`: in Europe, outside the EU, abroad), which
chooses steps. The page builds the same steps again from the link (visitor_chat/plan_page.py); its profile
says the need instead of quoting the goal, and the reason of a step abroad names the kind of place.
The activities chosen go as one hexadecimal number (a bit per activity, in questionnaire.yml's order), which
keeps the link short enough for a QR code a phone reads at a glance.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from actions.orientation import plan
from actions.orientation.answers import CHOICE_QUESTIONS, questionnaire
from actions.orientation.turn import CHOSEN, NOT_CHOSEN
from common.vocabulary import LANGUAGES

PATH = "/plan"
# The questions whose answers are options, and are in the link; counsellor_language does not change the plan.
LINKED = tuple(q for q in CHOICE_QUESTIONS if q != "counsellor_language")


class InvalidLink(ValueError):
    """A value that no answer has: the link was cut or changed."""


def activities() -> list[str]:
    return list(questionnaire()["interests"]["items"])


def link(answers: dict[str, Any], lang: str) -> str:
    """The page's path and query for these answers (turn.answers: the skipped ones left out)."""
    query: dict[str, str] = {"lang": lang}
    query.update({q: answers[q] for q in LINKED if q in answers})
    if answers.get("languages"):
        query["languages"] = " ".join(f"{code}.{level}" for code, level in answers["languages"].items())
    if answers.get("interests"):
        bits = sum(1 << number for number, item in enumerate(activities()) if answers["interests"].get(item) == CHOSEN)
        query["interests"] = f"{bits:03x}"
    places = plan.facts(answers).get("goal_abroad")
    if places:
        query["abroad"] = " ".join(places)
    return f"{PATH}?{urlencode(query)}"


def answers_from(query: dict[str, str]) -> dict[str, Any]:
    """The answers a link holds; InvalidLink for a value that is not one of the options."""
    spec = questionnaire()
    found: dict[str, Any] = {}
    for question in LINKED:
        if question in query:
            if query[question] not in spec[question]["options"]:
                raise InvalidLink(question)
            found[question] = query[question]
    if query.get("languages"):
        languages = dict(pair.partition(".")[::2] for pair in query["languages"].split())
        if not set(languages) <= set(spec["languages"]["labels"]["fr"]) or not set(languages.values()) <= set(
            spec["languages"]["levels"]
        ):
            raise InvalidLink("languages")
        found["languages"] = languages
    if "interests" in query:
        if not re.fullmatch(r"[0-9a-f]{3}", query["interests"]) or int(query["interests"], 16) >> len(activities()):
            raise InvalidLink("interests")
        bits = int(query["interests"], 16)
        found["interests"] = {
            item: CHOSEN if bits >> number & 1 else NOT_CHOSEN for number, item in enumerate(activities())
        }
    if query.get("abroad"):
        places = query["abroad"].split()
        if not set(places) <= set(plan.rules()["places"]):
            raise InvalidLink("abroad")
        found["goal_abroad"] = places
    return found


def language_of(query: dict[str, str]) -> str:
    lang = query.get("lang", LANGUAGES[0])
    if lang not in LANGUAGES:
        raise InvalidLink("lang")
    return lang
