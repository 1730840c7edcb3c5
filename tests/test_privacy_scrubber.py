"""The personal-data scrubber (privacy/): every kind of personal data in French and Dutch, ordinary
career sentences left as they are, scrubbing twice, nested values, and `privacy.identifiers` importing
without spaCy (the Rasa server's Python 3.10 environment has none)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from common.text import map_strings, safe_text
from privacy.identifiers import find_identifiers, is_iban, is_national_number
from privacy.scrubber import Scrubber, get_scrubber, load_placeholders

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return get_scrubber()


def found(text: str) -> list:
    return [(text[span.start : span.end], span.kind) for span in find_identifiers(text)]


# Names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # The French NER: a name in no list and after no introduction.
        ("Hier, Kasereka Mumbere m'a aidé à écrire mon CV.", "Hier, [nom] m'a aidé à écrire mon CV."),
        ("C'est Ophélie Vandersmissen qui m'a envoyé ici.", "C'est [nom] qui m'a envoyé ici."),
        # Self-introductions, capitalised or not.
        (
            "Bonjour, je m'appelle Sarah Benali et je cherche une formation.",
            "Bonjour, je m'appelle [nom] et je cherche une formation.",
        ),
        ("je m'appelle youssef el idrissi, j'ai 24 ans", "je m'appelle [nom], j'ai 24 ans"),
        (
            "je m appelle karim et je voudrais devenir électricien",
            "je m appelle [nom] et je voudrais devenir électricien",
        ),
        ("Je m’appelle Marie-Claire.", "Je m’appelle [nom]."),
        ("moi c'est aïcha, je suis au chômage", "moi c'est [nom], je suis au chômage"),
        ("Moi, c’est Kevin !", "Moi, c’est [nom] !"),
        ("mon nom est dupont et mon prénom c'est marie", "mon nom est [nom] et mon prénom c'est [nom]"),
        ("Bonjour, je suis Mme Dupont.", "Bonjour, je suis Mme [nom]."),
        ("je suis m. van den bossche", "je suis m. [nom]"),
        ("elle s'appelle Fatou, elle a 19 ans", "elle s'appelle [nom], elle a 19 ans"),
        # The gazetteer in French text, with the family name that follows.
        ("Mon fils Lucas a 16 ans.", "Mon fils [nom] a 16 ans."),
        ("J'ai parlé avec Mme Janssens du CPAS d'Ixelles.", "J'ai parlé avec Mme [nom] du CPAS d'Ixelles."),
        ("Merci beaucoup Karim !", "Merci beaucoup [nom] !"),
        ("«Karim», (Sarah) et [Youssef]", "«[nom]», ([nom]) et [[nom]]"),
        ("DUPONT Marie, née à Kinshasa", "[nom], née à Kinshasa"),
        ("Je m'appelle Marie" + NBSP + "Dupont.", "Je m'appelle [nom]."),
        ("je m'appelle sarah cherche un emploi", "je m'appelle [nom] cherche un emploi"),
        # A family name that is also a metro station or a commune is still part of the name.
        ("Je suis Karim Simonis, de Forest.", "Je suis [nom], de Forest."),
    ],
)
def test_french_names(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text, "fr") == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("elle s'appelle fatou et elle cherche une crèche", "fr", "elle s'appelle [nom] et elle cherche une crèche"),
        ("mon fils, il s'appelle yanis, a 16 ans", "fr", "mon fils, il s'appelle [nom], a 16 ans"),
        ("mijn dochter, zij heet lotte, zoekt een job", "nl", "mijn dochter, zij heet [naam], zoekt een job"),
    ],
)
def test_someone_else_s_name_in_lowercase_after_a_pronoun(
    scrubber: Scrubber, text: str, language: str, expected: str
) -> None:
    assert scrubber.scrub(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("il s'appelle comment, ce cours ?", "fr"),
        ("la formation s'appelle bachelier en informatique", "fr"),
        ("hij heet eigenlijk anders", "nl"),
        ("die opleiding heet graduaat programmeren", "nl"),
    ],
)
def test_common_words_and_things_after_those_verbs_are_left(scrubber: Scrubber, text: str, language: str) -> None:
    assert scrubber.scrub(text, language) == text


def test_the_french_ner_finds_names_the_gazetteer_does_not_list(scrubber: Scrubber) -> None:
    text = "Hier, Kasereka Mumbere m'a aidé à écrire mon CV."
    assert scrubber.scrub(text, "nl") == text  # no NER for Dutch text: only the gazetteer and introductions
    assert scrubber.scrub(text, "fr") == "Hier, [nom] m'a aidé à écrire mon CV."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mijn begeleider Koen Willems zei dat ik moest komen.", "Mijn begeleider [naam] zei dat ik moest komen."),
        ("Mijn dochter Lotte zoekt een studentenjob.", "Mijn dochter [naam] zoekt een studentenjob."),
        (
            "Ik heet Jan-Willem De Smet en ik woon in Sint-Joost-ten-Node.",
            "Ik heet [naam] en ik woon in Sint-Joost-ten-Node.",
        ),
        ("ik heet mehmet, ben 31 jaar", "ik heet [naam], ben 31 jaar"),
        ("mijn naam is sarah janssens", "mijn naam is [naam]"),
        ("m'n naam is Nadia El Idrissi.", "m'n naam is [naam]."),
        ("Noem me maar Bram.", "Noem me maar [naam]."),
        ("ik ben jan en ik zoek werk", "ik ben [naam] en ik zoek werk"),
        ("Ik ben Ayşe Yılmaz.", "Ik ben [naam]."),
        ("Goeiedag, ik ben Pieter-Jan Claes.", "Goeiedag, ik ben [naam]."),
        ("Dhr. Peeters en mevrouw Janssens", "Dhr. [naam] en mevrouw [naam]"),
        ("het is voor mijn moeder, ze heet fatima el amrani", "het is voor mijn moeder, ze heet [naam]"),
        ("Ik ben de zus van Nele Verbruggen.", "Ik ben de zus van [naam]."),
        ("Jan D'Hondt belde me gisteren.", "[naam] belde me gisteren."),
        ("IK HEET KARIM BENALI EN IK ZOEK WERK", "IK HEET [naam] EN IK ZOEK WERK"),
    ],
)
def test_dutch_names(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text, "nl") == expected


def test_names_typed_without_accents_or_decomposed_are_found(scrubber: Scrubber) -> None:
    assert (
        scrubber.scrub("Je travaille avec Cedric et He\u0301le\u0300ne.", "fr") == "Je travaille avec [nom] et [nom]."
    )


def test_no_language_gives_french_placeholders_and_both_detectors(scrubber: Scrubber) -> None:
    assert scrubber.scrub("ik heet jan, bel me op 0475 23 45 67") == "ik heet [nom], bel me op [téléphone]"
    assert scrubber.scrub("Hier, Kasereka Mumbere m'a aidé.", None) == "Hier, [nom] m'a aidé."
    assert scrubber.scrub("Ik heet Jan Peeters", "en") == "Ik heet [nom]"


# E-mail, phone, national register number, IBAN ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Mon adresse mail : fatima.elidrissi@hotmail.com.", "fr", "Mon adresse mail : [e-mail]."),
        ("Mijn e-mailadres is sofie.peeters@telenet.be", "nl", "Mijn e-mailadres is [e-mail]"),
        ("écrivez-moi à marleen.vandevelde(at)skynet.be", "fr", "écrivez-moi à [e-mail]"),
        # The name in the address belongs to the address: no placeholder inside a placeholder.
        ("Karim Benali (karim.benali@skynet.be)", "fr", "[nom] ([e-mail])"),
        ("Mail: jan.peeters@telenet.be", "nl", "Mail: [e-mail]"),
    ],
)
def test_email_addresses(scrubber: Scrubber, text: str, language: str, expected: str) -> None:
    assert scrubber.scrub(text, language) == expected


PHONE_NUMBERS = [
    "0470 12 34 56",
    "0470/12.34.56",
    "0470123456",
    "0470 123 456",
    "0486-12-34-56",
    "02 345 67 89",
    "02/345.67.89",
    "02.511.22.33",
    "010 23 45 67",
    "+32 470 12 34 56",
    "+32 (0)470 12 34 56",
    "+32 2 345 67 89",
    "0032 2 345 67 89",
    "0032470123456",
    "+33 6 12 34 56 78",
    "+212 6 12 34 56 78",
    "+48 601 234 567",
    f"0470{NBSP}12{NBSP}34{NBSP}56",
]


@pytest.mark.parametrize("number", PHONE_NUMBERS)
def test_phone_numbers(scrubber: Scrubber, number: str) -> None:
    assert scrubber.scrub(f"Mon numéro : {number}, merci.", "fr") == "Mon numéro : [téléphone], merci."
    assert scrubber.scrub(f"Bel me op {number} na 16u.", "nl") == "Bel me op [telefoonnummer] na 16u."


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("appelez-moi au 470 12 34 56 svp", "fr", "appelez-moi au [téléphone] svp"),
        ("mon gsm 478123456", "fr", "mon gsm [téléphone]"),
        ("bel me op 495 98 76 54", "nl", "bel me op [telefoonnummer]"),
    ],
)
def test_mobile_numbers_without_their_leading_0(scrubber: Scrubber, text: str, language: str, expected: str) -> None:
    assert scrubber.scrub(text, language) == expected


@pytest.mark.parametrize("text", ["une formation de 470 heures en 12 mois", "code 47012345", "il reste 470 123 places"])
def test_figures_that_look_like_a_mobile_number_without_0_are_left(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text, "fr") == text


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("mon mail c'est karim point dupont arobase gmail point com merci", "fr", "mon mail c'est [e-mail] merci"),
        ("mail: sarah_b at hotmail point fr", "fr", "mail: [e-mail]"),
        ("jan punt peeters apenstaartje telenet punt be", "nl", "[e-mail]"),
    ],
)
def test_email_addresses_spelled_in_words(scrubber: Scrubber, text: str, language: str, expected: str) -> None:
    assert scrubber.scrub(text, language) == expected


@pytest.mark.parametrize(
    "text", ["je suis au point mort", "rendez-vous at home point final", "le cours commence à 9 heures point"]
)
def test_words_like_point_and_at_in_sentences_are_left(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text, "fr") == text


def test_phone_numbers_next_to_other_figures() -> None:
    assert found("appelez le 0470 12 34 56 2 fois ou le 02 345 67 89") == [
        ("0470 12 34 56", "phone"),
        ("02 345 67 89", "phone"),
    ]


@pytest.mark.parametrize(
    "number", ["85.07.30-033.28", "850730 033 28", "85073003328", "90.02.14-123.03", "01.02.03-123.45", "030517 089 13"]
)
def test_valid_national_numbers(scrubber: Scrubber, number: str) -> None:
    assert (
        scrubber.scrub(f"Mon numéro national est {number}.", "fr")
        == "Mon numéro national est [n° de registre national]."
    )
    assert (
        scrubber.scrub(f"Mijn rijksregisternummer is {number}.", "nl")
        == "Mijn rijksregisternummer is [rijksregisternummer]."
    )


@pytest.mark.parametrize("number", ["85.07.30-033.29", "85073003327", "01.02.03-123.46", "85.13.30-033.28"])
def test_national_numbers_with_wrong_check_digits_or_date_are_left(scrubber: Scrubber, number: str) -> None:
    text = f"Le numéro {number} sur ma carte est faux ?"
    assert scrubber.scrub(text, "fr") == text


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Mon numéro de registre national : 85.07.30-033.29, c'est pour le dossier.",
            "fr",
            "Mon numéro de registre national : [n° de registre national], c'est pour le dossier.",
        ),
        ("mon NISS c'est le 85.13.30-033.28", "fr", "mon NISS c'est le [n° de registre national]"),
        ("Mijn rijksregisternummer is 85073003327.", "nl", "Mijn rijksregisternummer is [rijksregisternummer]."),
        ("INSZ: 01.02.03-123.46", "nl", "INSZ: [rijksregisternummer]"),
    ],
)
def test_a_national_number_after_its_name_is_scrubbed_even_with_a_typo(
    scrubber: Scrubber, text: str, language: str, expected: str
) -> None:
    assert scrubber.scrub(text, language) == expected


def test_the_name_of_a_national_number_counts_only_in_its_sentence(scrubber: Scrubber) -> None:
    text = "Je n'ai pas mon numéro national. Le code 85.07.30-033.29 sur la carte est faux ?"
    assert scrubber.scrub(text, "fr") == text


def test_national_number_check_digits() -> None:
    assert is_national_number("85073003328")  # born in 1985
    assert is_national_number("01020312345")  # born in 2001: the 2 before the first nine digits
    assert not is_national_number("85073003329")
    assert not is_national_number("8507300332")


@pytest.mark.parametrize(
    "iban",
    [
        "BE68 5390 0754 7034",
        "BE68539007547034",
        "be68 5390 0754 7034",
        "FR76 3000 6000 0112 3456 7890 189",
        "NL91 ABNA 0417 1643 00",
        "NL20INGB0001234567",
        "MA89 0117 8000 0012 3456 7890 1234",
    ],
)
def test_valid_ibans(scrubber: Scrubber, iban: str) -> None:
    assert scrubber.scrub(f"Mon compte : {iban} merci", "fr") == "Mon compte : [IBAN] merci"
    assert scrubber.scrub(f"Mijn rekening is {iban}.", "nl") == "Mijn rekening is [IBAN]."


def test_ibans_with_a_wrong_check_are_left(scrubber: Scrubber) -> None:
    for iban in ("BE68 5390 0754 7035", "NL91 ABNA 0417 1643 01", "FR76 3000 6000 0112 3456 7890 18"):
        assert not is_iban(iban.replace(" ", ""))
        assert scrubber.scrub(f"Code {iban}", "fr") == f"Code {iban}"


# Street addresses -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("J'habite au 12 rue de la Loi et je cherche un stage.", "J'habite au [adresse] et je cherche un stage."),
        ("J'habite 45 rue Royale, 1000 Bruxelles.", "J'habite [adresse]."),
        ("rue de la Loi 16", "[adresse]"),
        ("Mon adresse : avenue Louise 54 bte 3, 1050 Ixelles", "Mon adresse : [adresse]"),
        ("J’habite chaussée d’Ixelles 100", "J’habite [adresse]"),
        ("chaussée de Wavre 120 à Auderghem", "[adresse] à Auderghem"),
        ("boulevard Anspach 1, 1000 Bruxelles", "[adresse]"),
        ("Envoyez-le place Flagey 7.", "Envoyez-le [adresse]."),
        ("j'habite 8 rue de l'église à uccle", "j'habite [adresse] à uccle"),
        ("J'habite rue Jean Volders 12", "J'habite [adresse]"),
    ],
)
def test_french_addresses(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text, "fr") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ik woon Wetstraat 16.", "Ik woon [adres]."),
        ("Sterrenkundelaan 14, 1210 Sint-Joost-ten-Node", "[adres]"),
        ("Adres: Steenweg op Gent 12 bus 4, 1080 Sint-Jans-Molenbeek", "Adres: [adres]"),
        ("Ik woon in de Kerkstraat 3 sinds 2020.", "Ik woon in de [adres] sinds 2020."),
        ("Stuur de brief naar Koning Albertlaan 25 bus 2, 1080 Brussel.", "Stuur de brief naar [adres]."),
        ("ik woon op de louizalaan 54 bus 3", "ik woon op de [adres]"),
        ("Grote Markt 1, 1000 Brussel", "[adres]"),
    ],
)
def test_dutch_addresses(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text, "nl") == expected


# What must stay as it is ------------------------------------------------------------------------------

ORDINARY_FRENCH = [
    "Je cherche une formation en informatique à Bruxelles.",
    "J'ai 26 ans et je voudrais reprendre des études.",
    "Je suis inscrit chez Actiris depuis 2019.",
    "Est-ce que Bruxelles Formation propose des cours de néerlandais ?",
    "Mon conseiller du Forem m'a parlé de la Cité des métiers.",
    "Je voudrais faire une formation chez Syntra ou au VDAB.",
    "Le cours commence à 9h30 le 15 septembre.",
    "Le salaire est de 2 300 € brut par mois, soit 1 650 euros net.",
    "J'habite à Schaerbeek, code postal 1030.",
    "Je voudrais devenir boulanger ou pâtissier.",
    "Je suis au CPAS d'Anderlecht et je cherche un emploi rue Neuve.",
    "Je travaille rue Neuve depuis 2 ans.",
    "Est-ce que l'ULB ou la VUB acceptent les diplômes marocains ?",
    "J'ai fait mes études au Maroc puis en France.",
    "Dieu merci j'ai trouvé un stage à Louvain-la-Neuve.",
    "Le module NL-A2-0234 est complet, mon ticket est le FR-014.",
    "Je suis demandeur d'emploi depuis mars 2023.",
    "Je cherche un job étudiant pour juillet et août.",
    "Je suis né en 1998 et j'ai arrêté l'école à 16 ans.",
    "Je suis intéressée par la Haute École Léonard de Vinci.",
    "Rendez-vous le 12/03/2024 à 14h, ou le 01.02.2025 à 9h.",
    "La pierre bleue et la rose des vents sont des symboles.",
    "Rose ou bleu ? Je préfère le vert.",
    "Je travaille chez Colruyt à Jette depuis deux ans.",
    "Il reste 3 places pour la formation de juin.",
    "Je vis près de la station Louise et de l'avenue Louise.",
    "Les cours ont lieu place Flagey.",
    "Je suis junior et je cherche mon premier emploi.",
    "Moi c'est pour une formation en comptabilité.",
    "Je suis Belge et j'habite à Saint-Gilles.",
    "Je cherche une formation à Woluwe-Saint-Pierre ou à Sint-Pieters-Woluwe.",
    "JE CHERCHE UN PETIT BOULOT À BRUXELLES",
    "C'est quoi Construcity ? Je voudrais une formation dans le bâtiment.",
]
ORDINARY_DUTCH = [
    "Ik zoek een opleiding informatica in Brussel.",
    "Ik ben 26 jaar en ik wil opnieuw studeren.",
    "Ik ben ingeschreven bij Actiris sinds 2019.",
    "Biedt de VDAB cursussen Frans aan?",
    "Ik wil verpleegkundige worden.",
    "Ik werk als poetshulp in Sint-Jans-Molenbeek.",
    "Mijn adviseur van de VDAB sprak over het Beroepenpunt.",
    "De cursus begint om 9u30 op 15 september.",
    "Het loon is 2 300 euro bruto per maand.",
    "Ik woon in Schaarbeek, postcode 1030.",
    "Ik wil bakker of kok worden.",
    "Ik werk in de Nieuwstraat.",
    "Elke dag zoek ik werk op de website.",
    "Roos is mijn favoriete bloem.",
    "Ik heb een diploma uit Marokko.",
    "Kan ik een opleiding volgen bij Syntra Brussel?",
    "Ik ben werkzoekende sinds maart 2023.",
    "De les is op 12/03/2024 om 14u.",
    "Ik ben geboren in 1998.",
    "Ik werk al 5 jaar bij Colruyt.",
    "Ik zoek werk op de arbeidsmarkt in Brussel.",
    "Mijn loopbaan begon in de horeca.",
    "Ik wil een stageplaats vinden voor 3 maanden.",
    "Ik ben junior developer en zoek een nieuwe job.",
    "Ik ben onderweg naar het Beroepenpunt.",
    "De Grote Markt is mooi.",
    "Ik woon vlakbij station Simonis.",
    "Ik ben Belg en ik woon in Ukkel.",
    "Kunnen jullie me helpen met mijn cv?",
    "Module NL-A2-0234 is volzet, klopt dat?",
    "Ik wil in Nederland of Duitsland gaan werken.",
    "Ik heb een diploma uit Brazilië maar het is hier niet erkend.",
]


@pytest.mark.parametrize("text", ORDINARY_FRENCH)
def test_ordinary_french_sentences_are_left(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text, "fr") == text
    assert scrubber.scrub(text) == text


@pytest.mark.parametrize("text", ORDINARY_DUTCH)
def test_ordinary_dutch_sentences_are_left(scrubber: Scrubber, text: str) -> None:
    assert scrubber.scrub(text, "nl") == text
    assert scrubber.scrub(text) == text  # the French NER reads it too


def test_numbers_that_are_no_identifiers() -> None:
    text = (
        "j'ai 26 ans, né en 1998, code postal 1000, 2 300 €, à 9h30 ou 14:45, le 12/03/2024, "
        "cours NL-A2-0234, 3 enfants, 0,50 € le ticket, 20 % de réduction, 18.000 offres, "
        "le numéro gratuit du VDAB 0800 30 700, le 070 22 33 44"
    )
    assert found(text) == []


# Scrubbing twice, nested values, placeholders ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, language",
    [
        ("Je m'appelle Marie Dupont, marie.dupont@gmail.com, 0470 12 34 56, BE68 5390 0754 7034", "fr"),
        ("Ik heet Jan Peeters, Wetstraat 16, 1000 Brussel, rijksregisternummer 85.07.30-033.28", "nl"),
        ("Bonjour Madame, je suis M. Kabongo, j'habite 45 rue Royale", None),
    ],
)
def test_scrubbing_twice_changes_nothing(scrubber: Scrubber, text: str, language: str) -> None:
    once = scrubber.scrub(text, language)
    assert "[" in once and scrubber.scrub(once, language) == once


def test_placeholders_of_either_language_are_left(scrubber: Scrubber) -> None:
    text = "Ik heet [naam], tel [telefoonnummer]; je m'appelle [nom], [n° de registre national], [adresse]"
    assert scrubber.scrub(text, "fr") == text
    assert scrubber.scrub(text, "nl") == text


def test_scrub_value_scrubs_the_strings_inside(scrubber: Scrubber) -> None:
    value = {
        "recap": "Je m'appelle Karim, 0470 12 34 56",
        "answers": [{"label": "Karim", "value": "mail: karim@skynet.be"}, ("ik heet Jan", 3)],
        "count": 2,
        "done": True,
        "goal": None,
    }
    assert scrubber.scrub_value(value, "fr") == {
        "recap": "Je m'appelle [nom], [téléphone]",
        "answers": [{"label": "[nom]", "value": "mail: [e-mail]"}, ["ik heet [nom]", 3]],
        "count": 2,
        "done": True,
        "goal": None,
    }
    assert scrubber.scrub_value({"Karim": "Karim"}, "nl") == {"Karim": "[naam]"}
    assert scrubber.scrub_value("", "fr") == "" and scrubber.scrub_value(None, "fr") is None


# Text that cannot be encoded or stored ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("\ud800", "\ufffd"),
        ("a\udfffb", "a\ufffdb"),
        # Even a pair: a str holding surrogate code points comes from a broken decoder, never from UTF-8.
        ("\ud83d\ude00", "\ufffd\ufffd"),
        ("nul\x00byte", "nul\ufffdbyte"),
        ("déjà vu 😀 \t\n\r \x01 \ufeff", "déjà vu 😀 \t\n\r \x01 \ufeff"),
        ("", ""),
    ],
)
def test_safe_text_replaces_what_cannot_be_encoded_or_stored(text: str, expected: str) -> None:
    assert safe_text(text) == expected
    assert len(safe_text(text)) == len(text)  # positions found in one hold in the other
    safe_text(text).encode("utf-8")


def test_map_strings_reaches_every_string_inside() -> None:
    assert map_strings({"a": ["x", ("y", 3)], "b": None, "\ud800": "\ud800"}, safe_text) == {
        "a": ["x", ["y", 3]],
        "b": None,
        "\ud800": "\ufffd",
    }


@pytest.mark.parametrize("language", ["fr", "nl", None])
def test_the_scrubber_takes_lone_surrogates_and_nul(scrubber: Scrubber, language) -> None:
    name = "[naam]" if language == "nl" else "[nom]"
    text = "\ud800Je m'appelle Sarah Benali\x00, 0470 12 34 56 \udfff"
    assert (
        scrubber.scrub(text, language) == f"\ufffdJe m'appelle {name}\ufffd, "
        f"{'[telefoonnummer]' if language == 'nl' else '[téléphone]'} \ufffd"
    )
    # The positions found hold in the text as it came.
    assert [text[span.start : span.end] for span in scrubber.find(text, language)] == ["Sarah Benali", "0470 12 34 56"]
    assert scrubber.scrub_value(["\udc80", {"k": "\x00"}], language) == ["\ufffd", {"k": "\ufffd"}]


def test_placeholders_file_has_every_kind_in_both_languages() -> None:
    placeholders = load_placeholders()
    assert placeholders["fr"] == {
        "name": "[nom]",
        "email": "[e-mail]",
        "phone": "[téléphone]",
        "national_number": "[n° de registre national]",
        "iban": "[IBAN]",
        "address": "[adresse]",
    }
    assert placeholders["nl"] == {
        "name": "[naam]",
        "email": "[e-mail]",
        "phone": "[telefoonnummer]",
        "national_number": "[rijksregisternummer]",
        "iban": "[IBAN]",
        "address": "[adres]",
    }


# Loading ----------------------------------------------------------------------------------------------

IMPORT_WITHOUT_SPACY = (
    "import sys, privacy.identifiers as i; "
    "assert 'spacy' not in sys.modules, 'spacy imported'; "
    "print([tuple(s) for s in i.find_identifiers('0470 12 34 56, BE68 5390 0754 7034')])"
)


def test_identifiers_import_without_spacy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_SPACY], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[(0, 13, 'phone'), (15, 34, 'iban')]"


def test_identifiers_import_in_the_rasa_environment() -> None:
    python = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
    if not python.exists():
        pytest.skip("the Rasa environment (.venv-rasa) is not built")
    result = subprocess.run(
        [str(python), "-c", IMPORT_WITHOUT_SPACY], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[(0, 13, 'phone'), (15, 34, 'iban')]"


def test_the_scrubber_loads_once_for_all_threads() -> None:
    script = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from privacy.scrubber import get_scrubber\n"
        "with ThreadPoolExecutor(8) as pool:\n"
        "    scrubbers = list(pool.map(lambda _: get_scrubber(), range(8)))\n"
        "print(len({id(s) for s in scrubbers}), scrubbers[0].scrub('ik heet Jan', 'nl'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "1 ik heet [naam]"
