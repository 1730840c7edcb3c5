"""Every text a visitor sees exists in French and in Dutch."""

import re

import pytest
import yaml

from actions.centre_info import TEXTS, WORDING, centre_info_text, load_centre_info
from common.defaults import PROJECT_ROOT
from tests.domain_responses import language_of, responses

LANGUAGES = {"fr", "nl"}


def test_there_are_responses():
    assert len(responses()) >= 20


@pytest.mark.parametrize("name", sorted(responses()))
def test_response_has_one_french_and_one_dutch_variation(name):
    variations = responses()[name]
    languages = sorted(language_of(v) for v in variations)
    assert languages == ["fr", "nl"], f"{name}: variations for {languages}"
    by_language = {language_of(v): v for v in variations}
    for language, variation in by_language.items():
        assert (variation.get("text") or "").strip(), f"{name} [{language}] has no text"
        for button in variation.get("buttons") or []:
            assert str(button.get("title") or "").strip(), f"{name} [{language}]: button without title"
    payloads = {lang: [b["payload"] for b in v.get("buttons") or []] for lang, v in by_language.items()}
    assert payloads["fr"] == payloads["nl"] or offering_the_other_language(
        payloads["fr"], "fr"
    ) == offering_the_other_language(payloads["nl"], "nl"), f"{name}: the languages offer different buttons"


def offering_the_other_language(payloads: list[str], language: str) -> list[str]:
    """Payloads with "switch to the other language" written the same way for both languages."""
    other = {"fr": "nl", "nl": "fr"}[language]
    switch = f'/choose_language{{"language": "{other}"}}'
    return ["switch to the other language" if p == switch else p for p in payloads]


def test_french_and_dutch_texts_differ():
    for name, variations in responses().items():
        texts = {language_of(v): v["text"] for v in variations}
        assert texts["fr"] != texts["nl"], f"{name}: the same text in both languages"


def test_centre_information_exists_in_both_languages():
    info = load_centre_info(PROJECT_ROOT / "knowledge" / "centre.yml")
    for language in LANGUAGES:
        # Each fact is answered with the text of the same name, except the hours, written from `hours`.
        for field in (*TEXTS, *(fact for fact in info["facts"] if fact != "hours")):
            assert str(info[language].get(field) or "").strip(), f"centre.yml: {language}.{field} is empty"
        for fact, listed in info["facts"].items():
            assert [str(word).strip() for word in listed["words"].get(language) or [] if str(word).strip()], (
                f"centre.yml: facts/{fact} has no {language} words"
            )
        assert "{date}" in info[language]["source"]
        assert "{times}" in info[language]["open_on_day"] and "{day}" in info[language]["closed_on_day"]
        assert str(info[language]["opening_hours"]).strip(), f"centre.yml: no opening hours in {language}"
    assert centre_info_text(info, "fr") != centre_info_text(info, "nl")


def test_the_hours_wording_exists_in_both_languages():
    assert set(WORDING) == LANGUAGES
    assert set(WORDING["fr"]) == set(WORDING["nl"])
    assert all(len(wording["days"]) == 7 for wording in WORDING.values())


def test_both_languages_fill_in_the_same_variables():
    for name, variations in responses().items():
        variables = {language_of(v): set(re.findall(r"\{(\w+)\}", v["text"])) for v in variations}
        assert variables["fr"] == variables["nl"], f"{name}: {variables}"


# Text files outside the domain: each text is a mapping with `fr` and `nl`, or a file holds one
# `fr:` and one `nl:` section with the same keys.
TEXT_FILES = [
    "actions/orientation/questionnaire.yml",
    "actions/orientation/plan_rules.yml",
    "actions/handoff/texts.yml",
    "knowledge/centre.yml",
    "privacy/placeholders.yml",
    "desk/texts.yml",
]


def variables(text: str) -> set:
    return set(re.findall(r"\{(\w+)\}", text))


def texts_without_their_other_language(node, path=""):
    if isinstance(node, dict):
        if "fr" in node or "nl" in node:
            fr, nl = node.get("fr"), node.get("nl")
            if not fr or not nl:
                yield path
            elif isinstance(fr, str) and isinstance(nl, str) and variables(fr) != variables(nl):
                yield f"{path} (not the same {{variables}})"
            elif isinstance(fr, dict) and isinstance(nl, dict):
                yield from (f"{path}/{key} (in one language only)" for key in set(fr) ^ set(nl))
                yield from (
                    f"{path}/{key} (not the same {{variables}})"
                    for key in set(fr) & set(nl)
                    if isinstance(fr[key], str)
                    and isinstance(nl[key], str)
                    and variables(fr[key]) != variables(nl[key])
                )
        for key, child in node.items():
            yield from texts_without_their_other_language(child, f"{path}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from texts_without_their_other_language(child, f"{path}/{i}")


@pytest.mark.parametrize("path", TEXT_FILES)
def test_every_text_exists_in_french_and_in_dutch(path):
    document = yaml.safe_load((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    assert list(texts_without_their_other_language(document)) == []
