"""The glossary of Belgian terms and the list of who else can help: matching, expansion, hints, and the check."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from knowledge.glossary import (
    ELSEWHERE_PATH,
    GLOSSARY_PATH,
    LANGUAGES,
    Elsewhere,
    Glossary,
    Term,
    check,
    elsewhere_for,
    load_elsewhere,
    load_glossary,
)

ROOT = Path(__file__).resolve().parents[1]


def term(*terms: str, topics: tuple[str, ...] = ("a",), name: str = "") -> Term:
    name = name or terms[0]
    return Term(
        terms=terms,
        topics=topics,
        expansion={"fr": f"fr {name}", "nl": f"nl {name}"},
        definition={"fr": f"Def {name}.", "nl": f"Def {name}."},
    )


def found(glossary: Glossary, text: str) -> list[str]:
    return [entry.terms[0] for entry in glossary.find(text)]


@pytest.fixture(scope="module")
def real() -> Glossary:
    return load_glossary()


@pytest.fixture(scope="module")
def elsewhere() -> list[Elsewhere]:
    return load_elsewhere()


# The matcher.


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mon c4 ?", ["C4"]),
        ("C4", ["C4"]),
        ("(C4)", ["C4"]),
        ("le formulaire c45", []),
        ("AC4", []),
        ("C-4", ["C-4"]),
    ],
)
def test_terms_are_found_at_word_boundaries_only(text, expected):
    glossary = Glossary([term("C4"), term("C-4")])
    assert found(glossary, text) == expected


def test_definitions_are_those_of_the_answers_sheet():
    glossary = Glossary(
        [term("C4", topics=("unemployment_benefits", "register_jobseeker")), term("Activa", topics=("hiring_aids",))]
    )
    assert glossary.definitions("c4 et activa ?", "nl", "register_jobseeker") == ["Def C4."]
    assert glossary.definitions("c4 et activa ?", "fr", "student_jobs") == []


def test_case_and_accents_do_not_count():
    glossary = Glossary([term("équivalence"), term("Chômage")])
    assert found(glossary, "EQUIVALENCE de mon diplome et chomage") == ["équivalence", "Chômage"]


def test_multi_word_terms_need_all_their_words_in_order():
    glossary = Glossary([term("promotion sociale")])
    assert found(glossary, "Les cours de Promotion-Sociale le soir") == ["promotion sociale"]
    assert found(glossary, "la promotion est sociale") == []
    assert found(glossary, "sociale promotion") == []


def test_the_longest_phrase_wins():
    glossary = Glossary([term("Activa"), term("Activa aptitude réduite")])
    assert found(glossary, "Ai-je droit à Activa aptitude réduite ?") == ["Activa aptitude réduite"]
    assert found(glossary, "Ai-je droit à Activa ?") == ["Activa"]
    # A shorter phrase inside a matched one is not read again.
    glossary = Glossary([term("stage d'insertion", name="insertion"), term("insertion", name="other")])
    assert found(glossary, "mon stage d'insertion") == ["stage d'insertion"]


def test_each_entry_once_in_order_of_appearance():
    glossary = Glossary([term("ONEM", "RVA"), term("C4")])
    assert found(glossary, "Le C4 pour l'ONEM, puis la RVA et encore un C4") == ["C4", "ONEM"]


def test_nothing_found_in_an_empty_or_wordless_text():
    glossary = Glossary([term("C4")])
    assert found(glossary, "") == []
    assert found(glossary, "?!… ") == []


def test_the_real_glossary_knows_the_words_visitors_type(real):
    cases = {
        "Mon employeur ne m'a pas donné mon c4": "unemployment_benefits",
        "ik ben ontslagen, wat nu?": "register_jobseeker",
        "Ai-je droit à Activa aptitude réduite ?": "disability_employment",
        "Hoe vraag ik een studiebeurs aan?": "study_grants",
        "Comment obtenir mon CESS ?": "secondary_diploma_adults",
        "Equisup ou NARIC pour mon diplôme ?": "foreign_diploma_equivalence",
        "Je cherche un stage payé": "first_work_experience_youth",
        "Wat is een IBO?": "in_company_training_contract",
        "Cours en promotion sociale": "adult_evening_classes",
        "Ik wil opleidingscheques gebruiken": "training_while_employed",
        "Kan ik loopbaancheques krijgen?": "career_change",
        "taalcheques voor Nederlands": "language_requirements_jobs",
        "Travailler avec EURES": "work_abroad_eu",
    }
    for text, topic in cases.items():
        assert real.topic_hints(text).get(topic) == 1.0, text


# Expansion and hints.


def test_expanded_adds_the_expansions_in_the_language_asked():
    glossary = Glossary([term("C4"), term("ONEM")])
    assert glossary.expanded("mon C4 et l'ONEM", "fr") == "mon C4 et l'ONEM fr C4 fr ONEM"
    assert glossary.expanded("mijn C4", "nl") == "mijn C4 nl C4"


def test_expanded_leaves_a_text_without_terms_unchanged():
    glossary = Glossary([term("C4")])
    assert glossary.expanded("Bonjour, une question ?", "fr") == "Bonjour, une question ?"


def test_an_unknown_language_is_refused(elsewhere):
    glossary = Glossary([term("C4")])
    with pytest.raises(ValueError):
        glossary.expanded("C4", "en")
    with pytest.raises(ValueError):
        elsewhere_for(elsewhere, "loyer", "de")


def test_real_expansions_are_in_the_visitors_language(real):
    fr = real.expanded("Où trouver mon C4 ?", "fr")
    nl = real.expanded("Où trouver mon C4 ?", "nl")
    assert fr.startswith("Où trouver mon C4 ? ") and "chômage" in fr
    assert nl.startswith("Où trouver mon C4 ? ") and "werkloosheidsuitkering" in nl


def test_topic_hints_weigh_the_first_topic_more_and_keep_the_best_weight():
    glossary = Glossary([term("C4", topics=("benefits", "register")), term("Actiris", topics=("register",))])
    assert glossary.topic_hints("mon C4") == {"benefits": 1.0, "register": 0.5}
    assert glossary.topic_hints("mon C4 et Actiris") == {"benefits": 1.0, "register": 1.0}
    assert glossary.topic_hints("rien") == {}


# Who else can help.


def entries(*ids_and_terms: tuple[str, tuple[str, ...]]) -> list[Elsewhere]:
    return [Elsewhere(id=id_, terms=terms, text={"fr": f"fr {id_}", "nl": f"nl {id_}"}) for id_, terms in ids_and_terms]


def test_elsewhere_gives_at_most_two_texts_in_order_of_appearance():
    listed = entries(("housing", ("loyer",)), ("debts", ("dettes",)), ("taxes", ("impôts",)))
    assert elsewhere_for(listed, "Des impôts, des dettes et mon loyer", "nl") == ["nl taxes", "nl debts"]
    assert elsewhere_for(listed, "Mon loyer", "fr") == ["fr housing"]
    assert elsewhere_for(listed, "Une formation en cuisine", "fr") == []


def test_real_elsewhere_entries(elsewhere):
    [text] = elsewhere_for(elsewhere, "Mijn verblijfsvergunning loopt af", "nl")
    assert "Dienst Vreemdelingenzaken" in text
    [text] = elsewhere_for(elsewhere, "licenciement abusif, que faire ?", "fr")
    assert "FGTB" in text and "aide juridique de première ligne" in text
    # "pension alimentaire" is a family matter, not a pension.
    [text] = elsewhere_for(elsewhere, "Je ne reçois pas ma pension alimentaire", "fr")
    assert "SECAL" in text
    assert elsewhere_for(elsewhere, "Je cherche une formation de cuisinier", "fr") == []


def test_glossary_and_elsewhere_do_not_overlap_on_a_centre_question(real, elsewhere):
    text = "J'ai perdu mon emploi, comment m'inscrire chez Actiris ?"
    assert real.topic_hints(text)["register_jobseeker"] == 1.0
    assert elsewhere_for(elsewhere, text, "fr") == []


# The real files.


def test_the_real_files_pass_the_check():
    assert check() == []


def test_the_real_files_are_not_emptied_by_mistake(real, elsewhere):
    assert len(real.entries) >= 60
    assert len(elsewhere) >= 20


def test_every_text_exists_in_french_and_dutch_and_is_not_a_copy(real, elsewhere):
    for entry in real.entries:
        for texts in (entry.expansion, entry.definition):
            assert set(texts) == set(LANGUAGES), entry.terms[0]
            assert texts["fr"].strip() and texts["nl"].strip(), entry.terms[0]
        assert entry.definition["fr"] != entry.definition["nl"], entry.terms[0]
        assert all(entry.definition[lang].endswith(".") for lang in LANGUAGES), entry.terms[0]
    for place in elsewhere:
        assert place.text["fr"] != place.text["nl"], place.id
        assert all(place.text[lang].endswith(".") for lang in LANGUAGES), place.id


def test_matching_a_long_message_is_fast(real, elsewhere):
    text = (
        "Bonjour, j'ai été licencié et mon employeur ne m'a pas donné le C4. Je voudrais m'inscrire chez "
        "Actiris, suivre une FPI ou une formation en alternance, et j'ai un problème de loyer. "
    ) * 10
    text = text[:1000]
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        real.find(text)
        elsewhere_for(elsewhere, text, "fr")
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.001


def test_the_module_imports_without_numpy():
    # The Rasa side imports it too: yaml and the standard library only.
    code = "import sys; sys.modules['numpy'] = None; import knowledge.glossary"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# The check on broken copies.


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    glossary, elsewhere = tmp_path / "glossary.yml", tmp_path / "elsewhere.yml"
    glossary.write_text(GLOSSARY_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    elsewhere.write_text(ELSEWHERE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return glossary, elsewhere


def rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda data: data[0]["topics"].append("no_such_topic"), "topic 'no_such_topic' has no sheet"),
        (lambda data: data[0].pop("nl"), "missing or empty 'nl: expansion'"),
        (lambda data: data[0]["fr"].update(definition=" "), "missing or empty 'fr: definition'"),
        (lambda data: data[0].update(topics=[]), "'topics' must list 1 to 3 topics"),
        (lambda data: data[1]["terms"].append("c-4 "), "is also listed under glossary.yml, 'C4'"),
        (lambda data: data[0]["terms"].append("formulaire c4"), "is listed twice"),
        (lambda data: data[0]["terms"].append("…"), "has no letters or digits"),
    ],
)
def test_glossary_problems_are_reported(copies, change, reason):
    glossary, elsewhere = copies
    rewrite(glossary, change)
    problems = check(glossary, elsewhere)
    assert any(reason in problem for problem in problems), problems


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda data: data[0].pop("fr"), "missing or empty 'fr'"),
        (lambda data: data[1].update(id=data[0]["id"]), "the id is used twice"),
        (lambda data: data[0]["terms"].append("C4"), "is also listed under glossary.yml, 'C4'"),
    ],
)
def test_elsewhere_problems_are_reported(copies, change, reason):
    glossary, elsewhere = copies
    rewrite(elsewhere, change)
    problems = check(glossary, elsewhere)
    assert any(reason in problem for problem in problems), problems


def test_the_command_passes_on_the_real_files():
    assert subprocess.run([sys.executable, "-m", "knowledge.glossary"], cwd=ROOT, capture_output=True).returncode == 0
