"""Typing slips put right before search (knowledge/spelling.py): pure, on a small vocabulary."""

import pytest

from knowledge.spelling import Speller, one_slip_apart

SPELLER = Speller(
    {"opleiding": 5, "uitkering": 4, "motivation": 3, "werken": 9, "werk": 12, "leertijd": 1, "reconnaitre": 1},
    also_known=["belastingaangifte"],
)


@pytest.mark.parametrize(
    "written, meant",
    [
        ("opleidig", "opleiding"),  # a letter missing
        ("uitkerinng", "uitkering"),  # a letter added
        ("motivatoin", "motivation"),  # two letters swapped
    ],
)
def test_a_slip_becomes_the_known_word(written, meant):
    assert SPELLER.correction(written) == meant


@pytest.mark.parametrize(
    "word",
    [
        "leeftijd",  # one changed letter from "leertijd": another correct word
        "werkn",  # too short to be sure
        "belastingaangifte",  # correct, known from the glossary
        "opleiding",  # known
        "2026",
    ],
)
def test_what_is_left_alone(word):
    assert SPELLER.correction(word) is None


def test_the_rest_of_the_text_is_untouched():
    assert (
        SPELLER.corrected("Kan ik een opleidig volgen, met mijn uitkerinng ?")
        == "Kan ik een opleiding volgen, met mijn uitkering ?"
    )
    assert SPELLER.corrected("faire reconaitre mon diplôme équivalent") == "faire reconnaitre mon diplôme équivalent"


def test_slips():
    assert one_slip_apart("abcd", "abdc") and one_slip_apart("abc", "abcd") and one_slip_apart("abcd", "acd")
    assert not one_slip_apart("abcd", "abce") and not one_slip_apart("abcd", "abcd")
