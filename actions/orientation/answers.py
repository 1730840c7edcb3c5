"""Understands a visitor's answer to a question of the questionnaire.

Buttons send the option's value; free text is matched against the words that
`questionnaire.yml` lists for each option, part by part (the answer is cut at
punctuation and at "mais"/"maar"). Words that a negation reaches do not count for
their option ("pas trop loin, j'ai pas de voiture" is not ready to travel by car):
a negation word up to three words before or after them ("je ne suis pas inscrit",
"j'aime pas", "verhuizen wil ik niet"), or a part that is only a negation right
after them ("déménager ? certainement pas"). Words that hold their
own negation ("pas de voiture", "liever niet") are not reached. When no option's
words count, a negated option may stand for another: its `negated` names it ("pas
à temps plein" is part time). An answer may also skip the question, or correct an
earlier answer ("en fait, j'ai 26 ans").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from common.text import words

QUESTIONNAIRE = Path(__file__).with_name("questionnaire.yml")
AGE = re.compile(r"\b(\d{1,2})\s*(ans|an|jaar|j)?\b")
CLAUSE = re.compile(r"[,;/+]|\s(?:et|en|and|mais|maar)\s", re.IGNORECASE)
# Where an answer's parts end, for negations: punctuation and the words that turn to a contrast.
PART = re.compile(r"[,;.!?:()]|\s(?:mais|maar|but)\s", re.IGNORECASE)
NEGATION = re.compile(r"\b(pas|jamais|aucun|aucune|sans|niet|geen|nooit|zonder|not|never)\b")
# After the verb: "verhuizen wil ik niet", "j'aime pas", "déménager c'est pas possible".
NEGATION_AFTER = re.compile(r"\b(pas|jamais|niet|geen|nooit)\b")
NEGATION_REACH = 3
BETWEEN_PARTS = "|"
# "No problem", "not bad" say yes: their negation reaches nothing ("verhuizen is geen probleem").
NO_PROBLEM = re.compile(
    r"\b(pas de (probleme|souci)|sans (probleme|souci)|pas grave|pas mal|geen (probleem|punt|zorgen)|niet slecht)\b"
)
ONLY_NEGATION = re.compile(
    r"^(certainement |surtout |absolument |vraiment |zeker |echt |helemaal )?"
    r"(pas|non|niet|nee|neen|jamais|nooit)( du tout| question| merci| hoor| dus)?$"
)
AGE_CONTEXT = re.compile(r"\b(ans|an|jaar|age|ben|ai|leeftijd|bijna|presque|bientot|ongeveer|environ|geworden|net)\b")
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


def found_words(options: dict[str, Any], text: str) -> tuple[dict[str, int], set[str]]:
    """The options whose words the answer holds: those that count, with the length of the longest words found,
    and those a negation reaches."""
    counted: dict[str, int] = {}
    negated: set[str] = set()
    # The parts joined by a mark that words never match and negations do not cross; an option's words may.
    plain = f" {BETWEEN_PARTS} ".join(part for part in map(normalised, PART.split(text)) if part)
    unblocked = without_positive_negations(plain)
    for value, option in options.items():
        words = option.get("words", [])
        for pattern in [words] if isinstance(words, str) else words:
            for match in re.finditer(pattern, plain):
                if is_negated(unblocked, match):
                    negated.add(value)
                else:
                    counted[value] = max(counted.get(value, 0), len(match.group(0)))
    return counted, negated


def without_positive_negations(plain: str) -> str:
    """The same text, at the same positions, with "pas de problème", "pas mal"… out of the negations' way."""
    return NO_PROBLEM.sub(lambda phrase: re.sub(r"\S", "_", phrase.group(0)), plain)


def is_negated(plain: str, match: re.Match[str]) -> bool:
    if NEGATION.search(match.group(0)):
        return False  # the words hold their own negation ("pas de voiture")
    # Whole words around the match ("verhuiz" stands for "verhuizen"), within its part.
    start = plain.rfind(" ", 0, match.start()) + 1
    end = plain.find(" ", match.end())
    before = plain[:start].split(BETWEEN_PARTS)[-1].split()[-NEGATION_REACH:]
    after_parts = (plain[end:] if end >= 0 else "").split(BETWEEN_PARTS)
    after = after_parts[0].split()[:NEGATION_REACH]
    denied = len(after_parts) > 1 and bool(ONLY_NEGATION.match(after_parts[1].strip()))
    return denied or any(NEGATION.fullmatch(w) for w in before) or any(NEGATION_AFTER.fullmatch(w) for w in after)


def chosen(options: dict[str, Any], text: str, longest: bool = False) -> str | None:
    """The first option, in the file's order, whose words count, or with `longest`, the option whose words found
    are the longest ("ça me dérange pas" over "ouais"), the order breaking a tie; else what a negated one
    stands for."""
    counted, negated = found_words(options, text)
    if counted:
        order = list(options)
        if longest:
            return max(counted, key=lambda value: (counted[value], -order.index(value)))
        return min(counted, key=order.index)
    standing_for = (options[value].get("negated") for value in options if value in negated)
    return next((value for value in standing_for if value), None)


def interpret_choice(question: str, text: str) -> str | None:
    options = questionnaire()[question]["options"]
    if text.strip() in options:  # a button's payload
        return text.strip()
    value = chosen(options, text)
    if value is None and question == "age_band":
        return years_given(normalised(text))
    return value


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
    in the same part of the answer ("français couramment, un peu de néerlandais"), but those
    said not to be spoken."""
    spec = questionnaire()["languages"]
    found: dict[str, str] = {}
    for part in CLAUSE.split(text):
        plain = normalised(part)
        level = next((name for name, level in spec["levels"].items() if re.search(level["words"], plain)), "good")
        for lang, pattern in spec["names"].items():
            # A language the visitor does not speak ("néerlandais pas du tout") is left out.
            if any(not is_negated(without_positive_negations(plain), m) for m in re.finditer(pattern, plain)):
                found.setdefault(lang, level)
    return found or None


def interpret_interest(text: str) -> str | None:
    answers = questionnaire()["interests"]["answers"]
    if text.strip() in answers:
        return text.strip()
    # Replies are short and their words plain alternatives: the most words matched say the most.
    return chosen(answers, text, longest=True)


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
    """The earlier answer that `text` corrects: only when it says it corrects ("en fait", "eigenlijk"), reads as
    an answer to exactly one earlier question, and does not answer the question asked (its goal excepted, which
    any text answers). Anything less is an answer to the question asked, or not understood: a correction never
    changes an answer the visitor did not mean."""
    if not re.search(questionnaire()["correction"], normalised(text)):
        return {}
    if current in CHOICE_QUESTIONS and interpret_choice(current, text) is not None:
        return {}
    found = {}
    for question in answered:
        if question != current and question in CHOICE_QUESTIONS:
            value = interpret_choice(question, text)
            if value is not None:
                found[question] = value
    return found if len(found) == 1 else {}
