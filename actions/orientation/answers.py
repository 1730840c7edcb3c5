"""Understands a visitor's answer to a question of the questionnaire.

Buttons send the option's value; free text is matched against the words that
`questionnaire.yml` lists for each option. An answer may also skip the question,
or correct an earlier answer ("non, en fait j'ai 26 ans").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.lexical import words

QUESTIONNAIRE = Path(__file__).with_name("questionnaire.yml")
AGE = re.compile(r"\b(\d{1,2})\s*(ans|an|jaar|j)?\b")
CLAUSE = re.compile(r"[,;/+]|\s(?:et|en|and|mais|maar)\s", re.IGNORECASE)
AGE_CONTEXT = re.compile(r"\b(ans|an|jaar|age|ben|ai|leeftijd|bijna|presque|bientot|ongeveer|environ)\b")
CHOICE_QUESTIONS = (
    "situation",
    "age_band",
    "education",
    "need_area",
    "time_available",
    "mobility",
    "counsellor_language",
)


@dataclass
class Answer:
    value: Any = None  # the option's value, or the structured answer (languages)
    skipped: bool = False

    @property
    def understood(self) -> bool:
        return self.value is not None or self.skipped


@lru_cache
def questionnaire() -> dict[str, Any]:
    return yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))


def normalised(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    return " ".join(words(text))


def is_skip(text: str) -> bool:
    return bool(re.search(questionnaire()["skip"], normalised(text)))


def age_band(years: int) -> str:
    if years < 18:
        return "under_18"
    return "from_18_to_25" if years <= 25 else "from_26_to_45" if years <= 45 else "over_45"


def interpret_choice(question: str, text: str) -> str | None:
    options = questionnaire()[question]["options"]
    if text.strip() in options:  # a button's payload
        return text.strip()
    plain = normalised(text)
    for value, option in options.items():
        if any(re.search(pattern, plain) for pattern in option.get("words", [])):
            return value
    return years_given(plain) if question == "age_band" else None


def years_given(plain: str) -> str | None:
    """The age band of an age in years ("j'ai 19 ans", "ik ben zeventien", "52")."""
    for phrase, years in questionnaire()["age_band"]["years_in_words"].items():
        plain = re.sub(rf"\b{phrase}\b", str(years), plain)
    number = AGE.search(plain)
    if number and (AGE_CONTEXT.search(plain) or plain == number.group(1)) and 10 <= int(number.group(1)) <= 99:
        return age_band(int(number.group(1)))
    return None


def interpret_languages(text: str) -> dict[str, str] | None:
    """{"fr": "fluent", "nl": "basic", …}: the languages named, each with the level said
    in the same part of the answer ("français couramment, un peu de néerlandais")."""
    spec = questionnaire()["languages"]
    found: dict[str, str] = {}
    for part in CLAUSE.split(text):
        plain = normalised(part)
        level = next((name for name, level in spec["levels"].items() if re.search(level["words"], plain)), "good")
        for lang, pattern in spec["names"].items():
            if re.search(pattern, plain):
                found.setdefault(lang, level)
    return found or None


def interpret_interest(text: str) -> str | None:
    answers = questionnaire()["interests"]["answers"]
    if text.strip() in answers:
        return text.strip()
    plain = normalised(text)
    return next((value for value, answer in answers.items() if re.search(answer["words"], plain)), None)


def is_button_value(question: str, text: str) -> bool:
    """Whether `text` is what one of the question's buttons sends."""
    spec = questionnaire()
    if question in spec["interests"]["items"]:
        values = spec["interests"]["answers"]
    elif question == "languages":
        values = [b for lang in spec["languages"]["buttons"].values() for b in lang]
    else:
        values = spec.get(question, {}).get("options", {})
    return text.strip() in values or text.strip() == "skip"


def interpret(question: str, text: str) -> Answer:
    """The answer to `question` (a choice question, "languages", "goal", or an interest item id).

    A button that is not an answer ("/request_counsellor") is never read as one.
    """
    if text.strip().startswith("/"):
        return Answer()
    if is_skip(text):
        return Answer(skipped=True)
    if question == "goal":
        return Answer(text.strip() or None)
    if question == "languages":
        return Answer(interpret_languages(text))
    if question in questionnaire()["interests"]["items"]:
        return Answer(interpret_interest(text))
    return Answer(interpret_choice(question, text))


def corrections(text: str, answered: list[str], current: str) -> dict[str, str]:
    """Earlier answers that `text` corrects, when it says so ("en fait", "eigenlijk", "non")."""
    if not re.search(questionnaire()["correction"], normalised(text)):
        return {}
    found = {}
    for question in answered:
        if question != current and question in CHOICE_QUESTIONS:
            value = interpret_choice(question, text)
            if value is not None:
                found[question] = value
    return found
