"""Answers practical questions about the centre from knowledge/centre.yml.

A question gets the facts it asks for (the address, the hours, the price…), found by the words that
the file's `facts` lists for each, in either language since visitors mix them; a question about a day
("vous êtes ouverts le samedi ?") first gets a plain yes or no. A question that asks for no fact in
particular ("infos pratiques", the menu's button) gets the general presentation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_answer import SearchUnavailable, answer_question, ask_search, question_text, send_reply
from actions.language import conversation_language
from actions.settings import get_settings
from common.clock import brussels_day, utc_now
from common.vocabulary import LANGUAGES
from knowledge.lexical import words
from knowledge.opening_hours import WEEKDAYS, Interval, parse_hours

# How visitors name the centre: a practical word ("où", "gratis", "kost") in a message that names it
# is about the centre; without a name, it may be about anything ("computerles gratis").
CENTRE_NAMES = (
    "cité des métiers",
    "cite",
    "beroepenpunt",
    "chez vous",
    "vous voir",
    "vous êtes",
    "êtes-vous",
    "bij jullie",
    "zijn jullie",
    "jullie",
    "bij u",
    "uw kantoor",
    "votre bureau",
    "centre",
)
CENTRE_TOPIC = "centre_practical_info"
# A practical question this short is about the centre even without its name ("c payant ?", "waar is het").
SHORT_MESSAGE_WORDS = 4
HOURS = "hours"
# The general presentation; `hours` is written from the file's `hours`.
GENERAL = ("intro", "address", HOURS, "services")
# Texts each language part of the file must have, besides one per fact (the tests check it).
TEXTS = (
    "intro",
    "address",
    "hours_note",
    "open_on_day",
    "closed_on_day",
    "services",
    "source",
    "desk_location",
    "alternatives",
)
# Shorter listed words must be written whole: "ou" must not find "ouvert", nor "rdv" "rdvs".
PREFIX_FROM = 5

# How the hours are written. Here rather than in centre.yml: it is grammar, not facts staff change.
WORDING: dict[str, dict[str, Any]] = {
    "fr": {
        "days": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        "line": "Horaires : {groups}.",
        "between_groups": " ; ",
        "group": "{days}, {times}",
        "one_day": "le {0}",
        "two_days": "le {0} et le {1}",
        "day_range": "du {0} au {1}",
        "range": "de {start} à {end}",
        "between_ranges": " et ",
        "hour": "{h} h",
        "hour_minutes": "{h} h {m:02d}",
    },
    "nl": {
        "days": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        "line": "Openingsuren: {groups}.",
        "between_groups": "; ",
        "group": "{days}, {times}",
        "one_day": "op {0}",
        "two_days": "op {0} en {1}",
        "day_range": "van {0} tot {1}",
        "range": "van {start} tot {end} uur",
        "between_ranges": " en ",
        "hour": "{h}",
        "hour_minutes": "{h}.{m:02d}",
    },
}
# Days named relative to today, with how many days later they are.
RELATIVE_DAYS = {
    "aujourd": 0,
    "auj": 0,
    "ajd": 0,
    "vandaag": 0,
    "demain": 1,
    "apres demain": 2,
    "morgen": 1,
    "overmorgen": 2,
}
# "'s morgens" is "in the morning"; "les métiers de demain" names no day.
NOT_DAYS = ("s morgens", "de demain", "van morgen")


def load_centre_info(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return with_opening_hours(yaml.safe_load(handle))


def with_opening_hours(info: Mapping[str, Any]) -> dict[str, Any]:
    """The file's content plus each language's `opening_hours` sentence, written from `hours`: the
    handoff shows it when nobody can see the visitor now, so both answers always agree."""
    completed = dict(info)
    for lang in LANGUAGES:
        if lang in info:
            completed[lang] = {**info[lang], "opening_hours": hours_text(info, lang)}
    return completed


# ----------------------------------------------------------------------------- the hours


def clock_time(minutes: int, lang: str) -> str:
    hours, mins = divmod(minutes, 60)
    wording = WORDING[lang]
    return (wording["hour_minutes"] if mins else wording["hour"]).format(h=hours, m=mins)


def times_text(ranges: Sequence[Interval], lang: str) -> str:
    """ "de 9 h à 12 h 30 et de 13 h 30 à 17 h" / "van 9 tot 12.30 uur en van 13.30 tot 17 uur"."""
    wording = WORDING[lang]
    return wording["between_ranges"].join(
        wording["range"].format(start=clock_time(start, lang), end=clock_time(end, lang)) for start, end in ranges
    )


def days_text(days: Sequence[str], lang: str) -> str:
    wording = WORDING[lang]
    names = [wording["days"][WEEKDAYS.index(day)] for day in days]
    if len(names) == 1:
        return wording["one_day"].format(names[0])
    if len(names) == 2:
        return wording["two_days"].format(*names)
    return wording["day_range"].format(names[0], names[-1])


def day_groups(hours: Mapping[str, Sequence[Interval]]) -> list[tuple[list[str], tuple[Interval, ...]]]:
    """Open days in week order, consecutive days with the same hours together; closed days left out."""
    groups: list[tuple[list[str], tuple[Interval, ...]]] = []
    for index, day in enumerate(WEEKDAYS):
        ranges = tuple(hours.get(day) or ())
        if not ranges:
            continue
        if groups and groups[-1][1] == ranges and groups[-1][0][-1] == WEEKDAYS[index - 1]:
            groups[-1][0].append(day)
        else:
            groups.append(([day], ranges))
    return groups


def opening_hours_text(hours: Mapping[str, Any] | None, lang: str) -> str:
    """The week's hours in one sentence ("Horaires : du lundi au vendredi, de 9 h à 17 h."), from the
    file's `hours`; empty when no day is open."""
    wording = WORDING[lang]
    groups = day_groups(parse_hours(dict(hours or {})))
    if not groups:
        return ""
    return wording["line"].format(
        groups=wording["between_groups"].join(
            wording["group"].format(days=days_text(days, lang), times=times_text(ranges, lang))
            for days, ranges in groups
        )
    )


def hours_text(info: Mapping[str, Any], lang: str) -> str:
    """The hours, then where to find holidays and exceptional closures."""
    return " ".join(part for part in (opening_hours_text(info.get("hours"), lang), info[lang]["hours_note"]) if part)


def day_answer(info: Mapping[str, Any], lang: str, weekday: str) -> str:
    """ "Oui, le mardi, la Cité des métiers est ouverte de 9 h à 17 h." or "Non, le samedi, … fermée."."""
    ranges = parse_hours(dict(info.get("hours") or {})).get(weekday)
    name = WORDING[lang]["days"][WEEKDAYS.index(weekday)]
    if ranges:
        return info[lang]["open_on_day"].format(day=name, times=times_text(ranges, lang))
    return info[lang]["closed_on_day"].format(day=name)


# ----------------------------------------------------------------------------- finding what is asked


def word_matches(listed: str, written: str) -> bool:
    return written == listed or (len(listed) >= PREFIX_FROM and written.startswith(listed))


def spans(phrase: Sequence[str], text_words: Sequence[str]) -> list[range]:
    """Where the phrase's words stand one after the other in the message."""
    size = len(phrase)
    if not size:
        return []
    return [
        range(start, start + size)
        for start in range(len(text_words) - size + 1)
        if all(
            word_matches(listed, written)
            for listed, written in zip(phrase, text_words[start : start + size], strict=False)
        )
    ]


def first_match(
    entries: Iterable[Any], text_words: Sequence[str], excepted: Iterable[Any] = ()
) -> tuple[int, str] | None:
    """The earliest listed entry in the message (the longer one when two start at the same word) and
    where it starts, leaving out the words of any `excepted` wording found there."""
    blocked = {position for wording in excepted for span in spans(words(str(wording)), text_words) for position in span}
    best: tuple[int, int, str] | None = None
    for entry in entries:
        phrase = words(str(entry))
        for span in spans(phrase, text_words):
            if not blocked.intersection(span):
                candidate = (span.start, -len(span), str(entry))
                best = candidate if best is None else min(best, candidate)
                break
    return None if best is None else (best[0], best[2])


def fact_words(fact: Mapping[str, Any], lang: str) -> list[Any]:
    """The fact's words in both languages, the conversation's first."""
    listed = fact.get("words") or {}
    return [
        entry for language in sorted(LANGUAGES, key=lambda code: code != lang) for entry in listed.get(language) or []
    ]


def asked_facts(info: Mapping[str, Any], lang: str, text: str | None) -> list[str]:
    """The facts the message asks for, in the order of the file's `facts`."""
    text_words = words(text or "")
    return [
        key
        for key, fact in (info.get("facts") or {}).items()
        if first_match(fact_words(fact, lang), text_words, fact.get("except") or ()) is not None
    ]


def asked_day(text: str | None, today: date | None = None) -> str | None:
    """The weekday the message asks about ("samedi", "zaterdag"; "demain", "vandaag"… when `today`
    is given), the first one named when there are several."""
    named = {name: day for lang in LANGUAGES for day, name in zip(WEEKDAYS, WORDING[lang]["days"], strict=False)}
    relative = RELATIVE_DAYS if today is not None else {}
    found = first_match([*named, *relative], words(text or ""), NOT_DAYS)
    if found is None:
        return None
    entry = found[1]
    if entry in named:
        return named[entry]
    assert today is not None  # the relative days are only looked for with `today`
    return WEEKDAYS[(today + timedelta(days=relative[entry])).weekday()]


def names_the_centre(text: str) -> bool:
    """Whether the message speaks of the centre itself ("la Cité des métiers", "bij jullie", "chez vous")."""
    said = f" {' '.join(words(text))} "
    return any(f" {' '.join(words(name))} " in said for name in CENTRE_NAMES)


def search_comes_first(found: Mapping[str, Any], text: str) -> bool:
    """For a practical word in a message that does not name the centre ("computerles gratis", "wat
    kost een scheiding"), whether the search API's reply wins over the centre's facts: when it names
    others who help, or answers from a sheet, or the message says more than a few words, unless the
    search too leans to the centre's own sheet."""
    if found.get("elsewhere"):
        return True
    if found.get("topics", [])[:1] == [CENTRE_TOPIC]:
        return False
    return found.get("decision") == "answer" or len(words(text)) > SHORT_MESSAGE_WORDS


def is_centre_question(info: Mapping[str, Any], text: str | None) -> bool:
    """Whether the message asks for one of the centre's practical facts (else it is a question for the
    knowledge search, even when the NLU took it for one about the centre)."""
    return bool(asked_facts(info, LANGUAGES[0], text))


# ----------------------------------------------------------------------------- the reply


def fact_text(info: Mapping[str, Any], lang: str, key: str) -> str:
    return hours_text(info, lang) if key == HOURS else info[lang][key]


def source_line(info: Mapping[str, Any], lang: str) -> str:
    return info[lang]["source"].format(date=info["last_checked"].strftime("%d/%m/%Y"))


def centre_info_text(info: Mapping[str, Any], lang: str) -> str:
    """The general presentation: who the centre is for, where it is, its hours and services."""
    return "\n".join([*(fact_text(info, lang, key) for key in GENERAL), source_line(info, lang)])


def centre_reply(info: Mapping[str, Any], lang: str, text: str | None, today: date | None = None) -> str:
    """The answer to a practical question: a yes or no for a day asked about, then each fact asked
    (a day asked about brings the week's hours), or the general presentation; then the source."""
    facts = asked_facts(info, lang, text)
    day = asked_day(text, today)
    if not facts and day is None:
        return centre_info_text(info, lang)
    if day is not None and HOURS not in facts:
        order = [*(info.get("facts") or {}), HOURS]
        facts = sorted({*facts, HOURS}, key=order.index)
    lines = [day_answer(info, lang, day)] if day is not None else []
    lines.extend(fact_text(info, lang, key) for key in facts)
    lines.append(source_line(info, lang))
    return "\n".join(lines)


class ActionCentreInfo(Action):
    def name(self) -> str:
        return "action_centre_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        info = load_centre_info(get_settings().centre_info_file)
        # The menu's button sends the intent's payload, which asks for no fact: the general presentation.
        text = question_text(tracker) or ""
        if text:
            if not is_centre_question(info, text):
                # The classifier heard "the centre" in a question about something else ("la Cité des
                # métiers peut m'aider pour mon CV ?"): the content answers it.
                return await answer_question(dispatcher, tracker)
            if not names_the_centre(text):
                try:
                    found = await ask_search(text, conversation_language(tracker))
                except SearchUnavailable:
                    found = None
                if found and search_comes_first(found, text):
                    return send_reply(dispatcher, tracker, found)
        dispatcher.utter_message(text=centre_reply(info, conversation_language(tracker), text, brussels_day(utc_now())))
        return []
