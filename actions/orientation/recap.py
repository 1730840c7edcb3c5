"""The answers as the visitor reads them back: the summary to confirm, a correction."""

from __future__ import annotations

from typing import Any

from actions.orientation import plan
from actions.orientation.answers import questionnaire
from actions.orientation.turn import INTEREST_SLOT, INTERESTS, SKIPPED


def title(question: str, lang: str) -> str:
    """The question's short name; the interest groups share one."""
    return questionnaire()[INTERESTS if question == INTEREST_SLOT else question]["title"][lang]


def shown(question: str, value: Any, lang: str) -> str:
    """One answer in words: an option's label, the languages with their levels, the goal as written."""
    spec = questionnaire()
    if value == SKIPPED:
        return spec["skipped"][lang]
    if question == "goal":
        return f"« {value} »" if lang == "fr" else f"'{value}'"
    if question == "languages":
        levels = spec["languages"]["levels"]
        names = spec["languages"]["labels"][lang]
        return ", ".join(f"{names[code]} ({levels[level][lang]})" for code, level in value.items())
    if question == INTERESTS:
        if all(answer == SKIPPED for answer in value.values()):
            return spec["skipped"][lang]
        return ", ".join(interest_names(value, lang)) or spec["interests"]["none_chosen"][lang]
    return spec[question]["options"][value][lang]


def activities(picked: list[str], lang: str) -> str:
    """The activities picked in one interest group, as read back ("aucune de ces activités" for none)."""
    spec = questionnaire()["interests"]
    names = [spec["items"][item][lang] for item in picked]
    return "; ".join(names) if names else spec["none_picked"][lang]


def interest_names(interests: dict[str, str], lang: str) -> list[str]:
    """The interest types the answers point to, strongest first ("Social", "Artistique"...)."""
    types = plan.interest_types({i: a for i, a in interests.items() if a != SKIPPED})
    return [plan.rules()["interest_types"][kind][lang]["name"] for kind in types]


def line(question: str, value: Any, lang: str) -> str:
    separator = " : " if lang == "fr" else ": "
    return f"{title(question, lang)}{separator}{shown(question, value, lang)}"


def lines(slots: dict[str, Any], questions: list[str], lang: str) -> str:
    """ "- Title: answer" for each question answered or skipped, in the order asked."""
    return "\n".join(f"- {line(q, slots[q], lang)}" for q in questions if slots.get(q) is not None)
