"""The widget's and the kiosk's texts (visitor_chat/texts.yml) exist in French and Dutch alike."""

import re
import string

import pytest
import yaml

from visitor_chat.router import TEXTS_FILE

TEXTS = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


def placeholders(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_core_and_the_widget_have_texts():
    assert {"core", "widget"} <= set(TEXTS)


@pytest.mark.parametrize("section", sorted(TEXTS))
def test_french_and_dutch_have_the_same_keys_and_placeholders(section):
    assert set(TEXTS[section]) == {"fr", "nl"}, f"{section}: languages {sorted(TEXTS[section])}"
    french, dutch = TEXTS[section]["fr"], TEXTS[section]["nl"]
    assert set(french) == set(dutch), f"{section}: keys only in one language: {set(french) ^ set(dutch)}"
    for key in french:
        assert str(french[key]).strip() and str(dutch[key]).strip(), f"{section}.{key} is empty"
        assert placeholders(str(french[key])) == placeholders(str(dutch[key])), f"{section}.{key}: placeholders differ"


@pytest.mark.parametrize("section", sorted(TEXTS))
def test_ui_keys_do_not_hide_the_cores(section):
    # A UI looks its keys up in its own section first, then in the core's (PasserelleChat.texts).
    if section != "core":
        assert not set(TEXTS[section]["fr"]) & set(TEXTS["core"]["fr"])


def test_every_text_the_widget_asks_for_exists():
    script = (TEXTS_FILE.parent / "static" / "widget.js").read_text(encoding="utf-8")
    asked = set(re.findall(r'\bt\("(\w+)"\)', script)) | set(re.findall(r'\bsay\([^,]+, "(\w+)"', script))
    known = set(TEXTS["widget"]["fr"]) | set(TEXTS["core"]["fr"])
    assert asked and asked <= known, f"unknown texts: {asked - known}"
