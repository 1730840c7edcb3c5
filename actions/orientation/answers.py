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
NEGATION = re.compile(r"\b(pas|jamais|aucun|aucune|sans|ni|niet|geen|nooit|zonder|not|never)\b")
# After the verb: "verhuizen wil ik niet", "j'aime pas", "déménager c'est pas possible".
NEGATION_AFTER = re.compile(r"\b(pas|jamais|non|niet|geen|nooit|nee|neen)\b")
NEGATION_REACH = 3
BETWEEN_PARTS = "|"
CLEAR, LOOSE = "clear", "loose"
# Negations that say yes ("no problem", "not bad", "why not"): they reach nothing ("verhuizen is geen probleem").
NO_PROBLEM = re.compile(
    r"\b(pas de (problemes?|soucis?)|sans (probleme|souci)s?|aucun (probleme|souci)|pas grave|pas mal|pourquoi pas"
    r"|(me |m )?derange pas|n hesite pas|(fait|font) pas peur|geen (enkel )?(probleem|bezwaar|punt|zorgen)"
    r"|niet slecht|niet erg|waarom niet)\b"
)
# A negation after the words reaches no further than these: "inscrit chez Actiris et pas de boulot".
REACH_STOPS = {"et", "en", "and", "depuis", "sinds", "avec", "met"}
# What may follow a negation that ends what the visitor says of the words ("j'aime pas du tout").
NEGATION_TAIL = re.compile(r"^(du tout|trop|vraiment|echt|graag|possible|hoor|merci|question|meer|helemaal)?$")
ONLY_NEGATION = re.compile(
    r"^(certainement |surtout |absolument |vraiment |zeker |echt |helemaal )?"
    r"(pas|non|niet|nee|neen|jamais|nooit)( du tout| question| merci| hoor| dus)?$"
)
AGE_CONTEXT = re.compile(r"\b(ans|an|jaar|age|ben|ai|leeftijd|bijna|presque|bientot|ongeveer|environ|geworden|net)\b")
# What the interest buttons send: "+activity" for each one picked, "+" for none.
PICKED = re.compile(r"\+\w*(\s+\+\w*)*")
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
    and those a clear negation reaches (one before them, or one that ends what is said of them)."""
    counted: dict[str, int] = {}
    negated: set[str] = set()
    plain = joined_parts(text)
    unblocked = without_positive_negations(plain)
    for value, option in options.items():
        words = option.get("words", [])
        for pattern in [words] if isinstance(words, str) else words:
            for match in re.finditer(pattern, plain):
                negation = negation_of(unblocked, match, pattern)
                if negation is None:
                    counted[value] = max(counted.get(value, 0), len(match.group(0)))
                elif negation == CLEAR:
                    negated.add(value)
    return counted, negated


def joined_parts(text: str) -> str:
    """The answer normalised, its parts joined by a mark that words never match and negations do not cross (an
    option's words may: "inscrit … actiris")."""
    return f" {BETWEEN_PARTS} ".join(part for part in map(normalised, PART.split(text)) if part)


def without_positive_negations(plain: str) -> str:
    """The same text, at the same positions, with "pas de problème", "pas mal"… out of the negations' way."""
    return NO_PROBLEM.sub(lambda phrase: re.sub(r"\S", "_", phrase.group(0)), plain)


def negation_of(plain: str, match: re.Match[str], pattern: str) -> str | None:
    """None when no negation reaches the words; CLEAR for a negation before them, or after them ending what is
    said of them ("déménager, certainement pas", "j'aime pas"); LOOSE for one after them that goes on ("un
    travail pas trop loin"): the words then do not count, but do not stand for their opposite either."""
    inside = NEGATION.findall(plain[match.start() : match.end()])
    if inside:
        # Words that hold their own negation, written in their pattern ("pas de voiture"), or a negation that
        # `.*` let in ("inscrit nulle part, pas chez Actiris").
        return None if all(word in pattern for word in inside) else CLEAR
    # Whole words around the match ("verhuiz" stands for "verhuizen"), within its part.
    start = plain.rfind(" ", 0, match.start()) + 1
    end = plain.find(" ", match.end())
    before = plain[:start].split(BETWEEN_PARTS)[-1].split()[-NEGATION_REACH:]
    if any(NEGATION.fullmatch(word) for word in before):
        return CLEAR
    later = (plain[end:] if end >= 0 else "").split(BETWEEN_PARTS)
    if len(later) > 1 and ONLY_NEGATION.match(later[1].strip()):
        return CLEAR
    after = later[0].split()
    after = after[: next((i for i, word in enumerate(after) if word in REACH_STOPS), len(after))]
    found = next((i for i, word in enumerate(after[:NEGATION_REACH]) if NEGATION_AFTER.fullmatch(word)), None)
    if found is None:
        return None
    return CLEAR if NEGATION_TAIL.match(" ".join(after[found + 1 :])) else LOOSE


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
    """{"fr": "fluent", "nl": "basic", …}: the languages named, each with the level said in the same part of the
    answer ("français couramment, un peu de néerlandais"). A language said not to be spoken ("néerlandais pas du
    tout", "anglais, non") is left out; one said to be spoken not so well ("pas très bien", "niet zo goed") is
    basic."""
    spec = questionnaire()["languages"]
    found: dict[str, str] = {}
    parts = [normalised(part) for part in CLAUSE.split(text)]
    for index, plain in enumerate(parts):
        level = next((name for name, level in spec["levels"].items() if re.search(level["words"], plain)), "good")
        denied = index + 1 < len(parts) and bool(ONLY_NEGATION.match(parts[index + 1]))
        unblocked = without_positive_negations(plain)
        for lang, pattern in spec["names"].items():
            negations = [negation_of(unblocked, match, pattern) for match in re.finditer(pattern, plain)]
            if not negations:
                continue
            if None in negations and not denied:
                found.setdefault(lang, level)
            elif not denied and level in ("fluent", "good") and re.search(spec["levels"][level]["words"], plain):
                found.setdefault(lang, "basic")
    return found or None


def interest_groups() -> dict[str, list[str]]:
    """The interest questions' keys ("interests_first"…), each with its activities in the order shown."""
    return {f"interests_{name}": items for name, items in questionnaire()["interests"]["groups"].items()}


def picked_by_buttons(group: list[str], text: str) -> list[str] | None:
    """The activities sent by the buttons ("+social_help +artistic_create"; "+" alone: none), in the group's
    order; None if `text` is not that, or names an activity of another group."""
    if not PICKED.fullmatch(text.strip()):
        return None
    picked = {token.lstrip("+") for token in text.split()} - {""}
    return [item for item in group if item in picked] if picked <= set(group) else None


def interpret_interests(group: list[str], text: str) -> list[str] | None:
    """The activities of `group` the buttons sent, or a typed answer picks, in the group's order: those it names
    where no negation reaches them; all for "tout", all but those named for "tout sauf…"; none for "aucune", or
    when every one named is negated ("pas vendre"). None when it names none of them."""
    if PICKED.fullmatch(text.strip()):
        return picked_by_buttons(group, text)
    spec = questionnaire()["interests"]
    plain = normalised(text)
    if re.fullmatch(spec["none"], plain):
        return []
    items = {item: spec["items"][item] for item in group}
    counted, negated = found_words(items, text)
    if re.search(spec["all"], plain):
        if re.search(spec["except"], plain):
            return [item for item in group if item not in counted]
        if not counted:
            return list(group)
    if counted:
        return [item for item in group if item in counted]
    return [] if negated else None


def is_button_value(question: str, text: str) -> bool:
    """Whether `text` is what one of the question's buttons sends."""
    spec = questionnaire()
    if question in interest_groups():
        return picked_by_buttons(interest_groups()[question], text) is not None or text.strip() == "skip"
    if question == "languages":
        values = [b for lang in spec["languages"]["buttons"].values() for b in lang]
    else:
        values = spec.get(question, {}).get("options", {})
    return text.strip() in values or text.strip() == "skip"


def interpret(question: str, text: str) -> Answer:
    """The answer to `question` (a choice question, "languages", "goal", or an interest group's key: the list
    of activities picked).

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
    if question in interest_groups():
        return Answer(interpret_interests(interest_groups()[question], text))
    return Answer(interpret_choice(question, text))


def corrections(text: str, answered: list[str], current: str) -> dict[str, str]:
    """The earlier answer that `text` corrects: only when it says it corrects ("en fait", "eigenlijk"), reads as
    an answer to exactly one earlier question, and does not answer the question asked (`current`: a question,
    or the interest group asked; the goal excepted, which any text answers). Anything less is an answer to the
    question asked, or not understood: a correction never
    changes an answer the visitor did not mean."""
    if not re.search(questionnaire()["correction"], normalised(text)):
        return {}
    if current != "goal" and interpret(current, text).understood:
        return {}
    found = {}
    for question in answered:
        if question != current and question in CHOICE_QUESTIONS:
            value = interpret_choice(question, text)
            if value is not None:
                found[question] = value
    return found if len(found) == 1 else {}
