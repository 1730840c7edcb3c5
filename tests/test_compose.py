"""An answer composed from a sheet (knowledge/sheets.py, knowledge/compose.py): pure, on hand-made passages."""

import numpy as np

from knowledge.compose import MAX_SHOWN_WORDS, compose, names, shown_passages
from knowledge.passages import Passage
from knowledge.sheets import CONTACTS, CONTENT, COUNSELLOR, build_sheets, section_role

ORGANISATIONS = ["Actiris", "Bruxelles Formation", "VDAB Brussel", "1819 (hub.brussels)"]


def passage(number: int, section: str, text: str, topic: str = "hiring_aids", lang: str = "fr") -> Passage:
    return Passage(
        id=f"{topic}-{lang}#{number}",
        topic=topic,
        area="employment",
        lang=lang,
        title="Les aides à l'embauche",
        summary="Activa.brussels réduit le coût d'une embauche.",
        section=section,
        text=text,
        url="https://www.actiris.brussels",
        organisations=ORGANISATIONS,
        last_checked="2026-11-21",
    )


SHEET = [
    passage(0, "De quoi s'agit-il ?", "Une aide à l'embauche réduit le coût d'un nouveau travailleur."),
    passage(1, "Pour qui ?", "Activa.brussels concerne les Bruxellois inscrits chez Actiris depuis 12 mois."),
    passage(2, "Comment commencer ?", "Avec la FPI de Bruxelles Formation, l'employeur vous forme puis vous engage."),
    passage(
        3,
        "Qui contacter ?",
        "Actiris : Activa.brussels. Site : https://www.actiris.brussels\n"
        "Bruxelles Formation : FPI en français. Site : https://www.bruxellesformation.brussels\n"
        "VDAB Brussel : IBO en néerlandais. Site : https://www.vdab.be\n"
        "1819 (hub.brussels) : côté employeurs. Site : https://1819.brussels",
    ),
    passage(4, "Un conseiller peut vous aider", "Un conseiller emploi vous aide gratuitement."),
]


def test_sections_get_their_role_from_the_fixed_headings():
    assert section_role("Qui contacter ?") == section_role("Bij wie kan je terecht?") == CONTACTS
    assert section_role("Een adviseur helpt je verder") == COUNSELLOR
    assert section_role("Pour qui ?") == CONTENT


def test_a_sheet_is_rebuilt_in_order_with_its_contact_lines():
    sheet = build_sheets(SHEET)[("hiring_aids", "fr")]
    assert [s.heading for s in sheet.sections][:2] == ["De quoi s'agit-il ?", "Pour qui ?"]
    assert [c.organisation for c in sheet.contacts] == ORGANISATIONS


def test_the_section_that_fits_is_shown_with_its_heading_and_the_organisations_it_names():
    sheet = build_sheets(SHEET)[("hiring_aids", "fr")]
    cosines = np.array([0.80, 0.81, 0.86, 0.95, 0.97])  # the contact list and the counsellor score best
    composed = compose(sheet, SHEET, cosines, {"fpi": 3.0, "formation": 1.0})
    assert composed.heading == "Comment commencer ?"
    assert composed.summary.startswith("Activa.brussels")
    assert composed.organisations == ("Bruxelles Formation",)
    assert composed.contacts == (
        "Bruxelles Formation : FPI en français. Site : https://www.bruxellesformation.brussels",
    )


def test_the_question_words_choose_between_close_sections():
    sheet = build_sheets(SHEET)[("hiring_aids", "fr")]
    cosines = np.array([0.80, 0.85, 0.86, 0.0, 0.0])
    composed = compose(sheet, SHEET, cosines, {"inscrits": 2.0, "mois": 2.0})
    assert composed.heading == "Pour qui ?"
    assert composed.organisations == ("Actiris",)


def test_an_acronym_names_its_organisation_but_a_common_first_word_does_not():
    assert names("VDAB Brussel", ["via", "vdab"])
    assert not names("Bruxelles Formation", ["a", "bruxelles"])
    assert names("1819 (hub.brussels)", ["le", "1819"])


def test_a_long_section_is_cut_around_its_best_passage_keeping_the_one_before():
    long = [passage(i, "Pour qui ?", " ".join(["mot"] * 50) + f" p{i}.") for i in range(4)]
    sheet = build_sheets(long)[("hiring_aids", "fr")]
    shown = shown_passages(sheet.sections[0], long, np.array([0.1, 0.2, 0.9, 0.3]))
    assert shown == (1, 2)
    assert sum(len(long[p].text.split()) for p in shown) <= MAX_SHOWN_WORDS


def test_the_passage_before_the_best_is_shown_even_past_the_limit():
    # Two passages of 81 words: the second may start with "Ses diplômes…", pointing at the first.
    long = [passage(i, "Pour qui ?", " ".join(["mot"] * 80) + f" p{i}.") for i in range(3)]
    sheet = build_sheets(long)[("hiring_aids", "fr")]
    assert shown_passages(sheet.sections[0], long, np.array([0.1, 0.9, 0.2])) == (0, 1)
