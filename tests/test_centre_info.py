"""Practical questions about the centre answered with the fact asked, from knowledge/centre.yml (no servers)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.centre_info import (
    ActionCentreInfo,
    asked_day,
    asked_facts,
    centre_info_text,
    centre_reply,
    is_centre_question,
    load_centre_info,
    names_the_centre,
    opening_hours_text,
    search_comes_first,
    with_opening_hours,
)
from common.defaults import PROJECT_ROOT
from tests.in_thread import run_in_thread

TUESDAY = date(2026, 11, 24)
FRIDAY = date(2026, 11, 27)
WEEK = {day: [["09:00", "17:00"]] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
# Wednesday afternoon closed, a lunch break on Thursday, Saturday morning open.
SPLIT = {
    **WEEK,
    "wednesday": [["09:00", "12:00"]],
    "thursday": [["09:00", "12:30"], ["13:30", "17:00"]],
    "saturday": [["10:00", "13:00"]],
}


@pytest.fixture(scope="module")
def info() -> dict[str, Any]:
    return load_centre_info(PROJECT_ROOT / "knowledge" / "centre.yml")


def with_hours(info: dict[str, Any], hours: dict[str, Any]) -> dict[str, Any]:
    return with_opening_hours({**info, "hours": hours})


# ----------------------------------------------------------------------------- the hours


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fr", "Horaires : du lundi au vendredi, de 9 h à 17 h."),
        ("nl", "Openingsuren: van maandag tot vrijdag, van 9 tot 17 uur."),
    ],
)
def test_a_working_week(lang, expected):
    assert opening_hours_text(WEEK, lang) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "fr",
            "Horaires : le lundi et le mardi, de 9 h à 17 h ; le mercredi, de 9 h à 12 h ; "
            "le jeudi, de 9 h à 12 h 30 et de 13 h 30 à 17 h ; le vendredi, de 9 h à 17 h ; "
            "le samedi, de 10 h à 13 h.",
        ),
        (
            "nl",
            "Openingsuren: op maandag en dinsdag, van 9 tot 17 uur; op woensdag, van 9 tot 12 uur; "
            "op donderdag, van 9 tot 12.30 uur en van 13.30 tot 17 uur; op vrijdag, van 9 tot 17 uur; "
            "op zaterdag, van 10 tot 13 uur.",
        ),
    ],
)
def test_days_with_other_hours_and_breaks(lang, expected):
    assert opening_hours_text(SPLIT, lang) == expected


def test_only_consecutive_days_with_the_same_hours_are_grouped():
    hours = {
        "monday": [["09:00", "17:00"]],
        "wednesday": [["09:00", "17:00"]],
        "thursday": [["09:00", "17:00"]],
        "friday": [["09:00", "17:00"]],
    }
    assert (
        opening_hours_text(hours, "fr")
        == "Horaires : le lundi, de 9 h à 17 h ; du mercredi au vendredi, de 9 h à 17 h."
    )


def test_yaml_s_unquoted_times_and_empty_days():
    # YAML 1.1 reads an unquoted 17:00 as 1020 (minutes); a day left empty is closed.
    assert (
        opening_hours_text({"monday": [[540, 1020]], "tuesday": []}, "nl")
        == "Openingsuren: op maandag, van 9 tot 17 uur."
    )
    assert opening_hours_text({}, "fr") == ""


def test_the_centre_s_hours_come_from_its_file_with_the_website_for_holidays(info):
    for lang in ("fr", "nl"):
        assert opening_hours_text(info["hours"], lang) in info[lang]["opening_hours"]
        assert "citedesmetiers.brussels" in info[lang]["opening_hours"]
        assert info[lang]["opening_hours"] in centre_info_text(info, lang)


# ----------------------------------------------------------------------------- days


@pytest.mark.parametrize(
    "text, expected",
    [
        ("vous êtes ouverts le samedi ?", "saturday"),
        ("zijn jullie open op zaterdag", "saturday"),
        ("ouvert le Mercredi après-midi ?", "wednesday"),
        ("c'est ouvert lundi ou mardi ?", "monday"),
        ("vous êtes ouvert demain ?", "wednesday"),
        ("zijn jullie morgen open", "wednesday"),
        ("ouvert aujourd'hui ?", "tuesday"),
        ("vandaag open?", "tuesday"),
        ("et après-demain ?", "thursday"),
        ("zijn jullie 's morgens open", None),
        ("les métiers de demain", None),
        ("c'est où ?", None),
    ],
)
def test_the_day_asked_about(text, expected):
    assert asked_day(text, TUESDAY) == expected


def test_relative_days_need_today():
    assert asked_day("ouvert demain ?") is None
    assert asked_day("ouvert samedi ?") == "saturday"


@pytest.mark.parametrize(
    "lang, text, today, first",
    [
        ("fr", "vous êtes ouverts mardi ?", TUESDAY, "Oui, le mardi, la Cité des métiers est ouverte de 9 h à 17 h."),
        ("fr", "vous êtes ouverts le samedi ?", TUESDAY, "Non, le samedi, la Cité des métiers est fermée."),
        ("fr", "c'est ouvert demain ?", FRIDAY, "Non, le samedi, la Cité des métiers est fermée."),
        ("nl", "zijn jullie open op dinsdag", TUESDAY, "Ja, op dinsdag is het Beroepenpunt open van 9 tot 17 uur."),
        ("nl", "zijn jullie morgen open?", FRIDAY, "Nee, op zaterdag is het Beroepenpunt gesloten."),
        ("nl", "en op zondag?", TUESDAY, "Nee, op zondag is het Beroepenpunt gesloten."),
    ],
)
def test_a_day_gets_a_yes_or_a_no_then_the_week_s_hours(info, lang, text, today, first):
    lines = centre_reply(info, lang, text, today).splitlines()
    assert lines[0] == first
    assert lines[1] == info[lang]["opening_hours"]
    assert lines[-1].startswith(("Source", "Bron")) and "21/11/2026" in lines[-1]


def test_a_closed_wednesday_afternoon(info):
    split = with_hours(info, SPLIT)
    assert (
        centre_reply(split, "fr", "ouvert le mercredi ?", TUESDAY).splitlines()[0]
        == "Oui, le mercredi, la Cité des métiers est ouverte de 9 h à 12 h."
    )
    assert (
        centre_reply(split, "nl", "open op donderdag?", TUESDAY).splitlines()[0]
        == "Ja, op donderdag is het Beroepenpunt open van 9 tot 12.30 uur en van 13.30 tot 17 uur."
    )
    assert "le mercredi, de 9 h à 12 h" in centre_reply(split, "fr", "vos horaires ?", TUESDAY)


# ----------------------------------------------------------------------------- facts

FACT_QUESTIONS = [
    ("address", "fr", "c'est où ?", "avenue de l'Astronomie 14"),
    ("address", "fr", "c ou", "avenue de l'Astronomie 14"),
    ("address", "fr", "vous êtes où exactement ?", "Tour Astro"),
    ("address", "nl", "wat is jullie adres", "Sterrenkundelaan 14"),
    ("address", "nl", "waar zijn jullie gevestigd", "Sterrenkundelaan 14"),
    ("access", "nl", "hoe geraak ik er met de metro?", "Kruidtuin"),
    ("access", "fr", "quel métro pour venir ?", "Botanique"),
    ("access", "nl", "metro kruidtuin", "Madou"),
    ("access", "fr", "y a un parking ?", "Madou"),
    ("hours", "fr", "horaires svp", "du lundi au vendredi, de 9 h à 17 h"),
    ("hours", "fr", "c quand que c ouvert", "de 9 h à 17 h"),
    ("hours", "nl", "tot hoe laat zijn jullie open", "van 9 tot 17 uur"),
    ("hours", "nl", "opningsuren", "van maandag tot vrijdag"),
    ("price", "fr", "c'est payant ?", "gratuit"),
    ("price", "fr", "c payant", "gratuit"),
    ("price", "fr", "ça coûte combien un entretien ?", "gratuit"),
    ("price", "nl", "kost dat iets", "gratis"),
    ("price", "nl", "moet ik betalen", "gratis"),
    ("appointment", "fr", "faut-il un rendez-vous ?", "c'est sans rendez-vous"),
    ("appointment", "fr", "faut rdv", "c'est sans rendez-vous"),
    ("appointment", "nl", "moet ik een afspraak maken?", "geen afspraak nodig"),
    ("anonymity", "fr", "c'est anonyme ?", "anonyme"),
    ("anonymity", "fr", "je dois donner mon nom ?", "votre nom"),
    ("anonymity", "nl", "moet ik mijn identiteitskaart meebrengen", "naam"),
    ("who", "fr", "c'est pour qui ?", "16 ans"),
    ("who", "fr", "faut être inscrit chez Actiris ?", "inscrit chez Actiris"),
    ("who", "nl", "ik ben 16, mag ik ook komen", "vanaf 16 jaar"),
    ("languages", "fr", "vous parlez quelles langues ?", "en néerlandais"),
    ("languages", "nl", "spreken de adviseurs Frans?", "in het Frans"),
    ("services", "fr", "il y a des ordinateurs ?", "ordinateurs"),
    ("services", "nl", "wat doen jullie?", "vijf thema's"),
]


@pytest.mark.parametrize("fact, lang, text, content", FACT_QUESTIONS)
def test_each_fact_is_answered_with_itself(info, fact, lang, text, content):
    assert asked_facts(info, lang, text) == [fact]
    reply = centre_reply(info, lang, text, TUESDAY)
    assert content in reply
    assert reply.splitlines()[-1] == info[lang]["source"].format(date="21/11/2026")
    # Only the fact asked, not the general presentation.
    assert info[lang]["intro"] not in reply


def test_several_facts_follow_the_file_s_order(info):
    reply = centre_reply(info, "nl", "is het gratis en anoniem? en waar is het Beroepenpunt?", TUESDAY)
    assert reply.splitlines()[:-1] == [info["nl"]["address"], info["nl"]["price"], info["nl"]["anonymity"]]


@pytest.mark.parametrize(
    "lang, text, facts",
    [
        ("fr", "les openingsuren svp", ["hours"]),
        ("fr", "het adres van het Beroepenpunt, c'est où ?", ["address"]),
        ("nl", "c'est gratuit? is het echt gratis", ["price"]),
        ("nl", "faut-il un rendez-vous? moet ik een afspraak hebben", ["appointment"]),
        ("nl", "les horaires van het centrum", ["hours"]),
    ],
)
def test_mixed_languages(info, lang, text, facts):
    assert asked_facts(info, lang, text) == facts


def test_the_reply_is_in_the_conversation_s_language_whatever_the_words(info):
    reply = centre_reply(info, "nl", "c'est payant ?", TUESDAY)
    assert info["nl"]["price"] in reply and info["fr"]["price"] not in reply


@pytest.mark.parametrize(
    "text, fact",
    [
        ("à qui dois-je m'adresser pour une formation ?", "address"),
        ("je cherche une formation gratuite en horeca", "price"),
        ("un job avec des horaires décalés", "hours"),
        ("c'est ouvert à tous ?", "hours"),
        ("bon weekend !", "hours"),
        ("je dois y aller, mon bus arrive", "access"),
    ],
)
def test_look_alike_wordings_do_not_ask_for_the_fact(info, text, fact):
    assert fact not in asked_facts(info, "fr", text)


@pytest.mark.parametrize("text", ["/ask_centre_info", "infos pratiques", "praktische info", "", None])
def test_the_general_presentation_when_nothing_specific_is_asked(info, text):
    for lang in ("fr", "nl"):
        assert centre_reply(info, lang, text, TUESDAY) == centre_info_text(info, lang)
        for field in ("intro", "address", "opening_hours", "services"):
            assert info[lang][field] in centre_info_text(info, lang)


# ----------------------------------------------------------------------------- is it about the centre?


@pytest.mark.parametrize(
    "text, expected",
    [
        ("je cherche une formation en horeca", False),
        ("ik zoek een opleiding in de horeca", False),
        ("comment devenir infirmier ?", False),
        ("à qui m'adresser pour créer mon entreprise ?", False),
        ("bonjour", False),
        ("c'est où ?", True),
        ("vous êtes ouverts le samedi ?", True),
        ("c payant", True),
        ("hoe geraak ik er met de metro?", True),
        ("moet ik een afspraak maken", True),
    ],
)
def test_is_centre_question(info, text, expected):
    assert is_centre_question(info, text) is expected


def test_staff_may_write_words_with_accents_and_capitals(info):
    edited = {**info, "facts": {"hours": {"words": {"fr": ["Fermé le"], "nl": ["Gesloten"]}}}}
    assert asked_facts(edited, "fr", "c'est ferme le lundi ?") == ["hours"]
    assert asked_facts(edited, "nl", "zijn jullie GESLOTEN?") == ["hours"]


# ----------------------------------------------------------------------------- the action


def run_action(text: str, language: str) -> list[dict[str, Any]]:
    latest = {"text": text, "intent": {"name": "ask_centre_info"}, "entities": []}
    state = Tracker("centre-test", {"language": language}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = run_in_thread(ActionCentreInfo().run(dispatcher, state, {}))
    assert events == []
    return dispatcher.messages


def test_the_action_answers_the_fact_asked_in_the_conversation_s_language(info):
    [message] = run_action("c'est payant ?", "nl")
    assert info["nl"]["price"] in message["text"] and info["nl"]["intro"] not in message["text"]


def test_the_action_answers_the_menu_s_button_with_the_general_presentation(info):
    [message] = run_action("/ask_centre_info", "fr")
    assert message["text"] == centre_info_text(info, "fr")


def test_the_action_answers_a_day_with_yes_or_no():
    [message] = run_action("zijn jullie open op zondag?", "nl")
    assert message["text"].startswith("Nee, op zondag is het Beroepenpunt gesloten.")


@pytest.mark.parametrize(
    "found, text, expected",
    [
        ({"decision": "none", "topics": ["x", "y"], "elsewhere": ["la commune"]}, "c payant ?", True),
        ({"decision": "answer", "topics": ["digital_skills"], "elsewhere": []}, "computerles gratis", True),
        (
            {"decision": "none", "topics": ["centre_practical_info", "x"], "elsewhere": []},
            "moet ik eerst een afspraak maken",
            False,
        ),
        ({"decision": "none", "topics": ["x", "y"], "elsewhere": []}, "c payant ?", False),
        ({"decision": "none", "topics": ["x", "y"], "elsewhere": []}, "ik wil scheiden, wat kost dat?", True),
    ],
)
def test_the_search_wins_over_a_practical_word_when_it_has_more_to_say(found, text, expected):
    assert search_comes_first(found, text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("c'est où la cité des métiers ?", True),
        ("zijn jullie open op zaterdag", True),
        ("computerles gratis", False),
        ("wat kost een scheiding", False),
    ],
)
def test_a_message_that_names_the_centre(text, expected):
    assert names_the_centre(text) is expected
