"""Understanding the questionnaire's answers (actions/orientation/answers.py)."""

import pytest
import yaml

from actions.orientation.answers import corrections, interpret, questionnaire
from common.defaults import PROJECT_ROOT

EXAMPLES = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "orientation_answers.yml").read_text())


def understood_share(lang: str) -> float:
    examples = EXAMPLES[lang]
    return sum(interpret(e["question"], e["text"]).value == e["expected"] for e in examples) / len(examples)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_free_text_answers_are_understood(lang):
    # The floor for the figure `make bench-orientation` prints; the set has 30+ answers per language.
    assert len(EXAMPLES[lang]) >= 30
    assert understood_share(lang) >= 0.9


@pytest.mark.parametrize(
    "question, text, expected",
    [
        ("education", "j'ai fini mes humanités", "secondary"),
        ("education", "ik heb een bachelor verpleegkunde", "higher"),
        ("age_band", "j'ai 19 ans", "from_18_to_25"),
        ("age_band", "ik ben 46", "over_45"),
    ],
)
def test_the_examples_of_the_issue(question, text, expected):
    assert interpret(question, text).value == expected


@pytest.mark.parametrize(
    "question", ["situation", "age_band", "education", "need_area", "time_available", "mobility", "counsellor_language"]
)
def test_every_button_value_is_understood_as_itself(question):
    for value in questionnaire()[question]["options"]:
        assert interpret(question, value).value == value


@pytest.mark.parametrize("text", ["je ne sais pas", "Passer", "sla over", "Weet ik niet", "geen idee"])
def test_a_question_can_be_skipped(text):
    answer = interpret("education", text)
    assert answer.skipped and answer.understood and answer.value is None


def test_an_answer_that_means_nothing_is_not_understood():
    answer = interpret("situation", "bleu")
    assert not answer.understood


def test_a_correction_of_an_earlier_answer_is_found():
    assert corrections("non, en fait j'ai 26 ans", ["situation", "age_band"], "education") == {
        "age_band": "from_26_to_45"
    }
    assert corrections("nee, eigenlijk ben ik 17", ["age_band"], "education") == {"age_band": "under_18"}


def test_an_ordinary_answer_is_not_taken_for_a_correction():
    assert corrections("j'ai fini mes humanités", ["age_band", "situation"], "education") == {}


def test_languages_with_their_levels():
    assert interpret("languages", "français couramment, un peu de néerlandais").value == {"fr": "fluent", "nl": "basic"}
    assert interpret("languages", "Engels").value == {"en": "good"}
    assert interpret("languages", "rien").value is None


FIRST = "interests_first"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("+social_help +artistic_create", ["artistic_create", "social_help"]),
        ("+", []),  # confirmed with none picked
        ("+realistic_outdoors", None),  # an activity of the other group is not a button of this one
    ],
)
def test_what_the_interest_buttons_send(text, expected):
    assert interpret(FIRST, text).value == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("j'adore dessiner", ["artistic_create"]),
        ("réparer des vélos et aider les autres", ["realistic_hands", "social_help"]),
        ("aider oui, vendre non", ["social_help"]),
        ("zeker niet verkopen, wel tekenen", ["artistic_create"]),
        ("aucune", []),
        ("niks van dit", []),
        ("pas vendre", []),  # only a dislike said: nothing picked
        (
            "tout",
            [
                "realistic_hands",
                "investigative_understand",
                "artistic_create",
                "social_help",
                "enterprising_convince",
                "conventional_organise",
            ],
        ),
        (
            "alles behalve verkopen",
            ["realistic_hands", "investigative_understand", "artistic_create", "social_help", "conventional_organise"],
        ),
        ("le ciel est bleu", None),
    ],
)
def test_typed_interest_answers_pick_the_activities_they_name(text, expected):
    found = interpret(FIRST, text).value
    assert (sorted(found) if found is not None else None) == (sorted(expected) if expected is not None else None)


def test_an_interest_answer_may_be_skipped():
    assert interpret(FIRST, "je préfère ne pas répondre").skipped


@pytest.mark.parametrize(
    "question, text, expected",
    [
        # The issue's examples: a negation turns words of one option into another, or into nothing.
        ("mobility", "pas trop loin, j'ai pas de voiture", "brussels_only"),
        ("mobility", "je ne peux pas me déplacer", "brussels_only"),
        ("mobility", "je veux pas déménager mais faire la navette ça va", "travel"),
        ("mobility", "verhuizen wil ik niet, pendelen is geen probleem", "travel"),
        ("mobility", "pas seulement à Bruxelles", "travel"),
        ("situation", "je ne suis pas inscrit chez Actiris", "jobseeker_unregistered"),
        ("time_available", "pas à temps plein, j'ai les enfants", "part_time"),
        ("time_available", "niet voltijds", "part_time"),
        ("counsellor_language", "pas en néerlandais", "fr"),
        ("counsellor_language", "liefst niet in het Frans", "nl"),
        ("counsellor_language", "ça m'est égal", "either"),
    ],
)
def test_a_negation_changes_what_the_words_mean(question, text, expected):
    assert interpret(question, text).value == expected


@pytest.mark.parametrize("text", ["déménager ? certainement pas", "je ne veux pas déménager"])
def test_a_negated_option_with_no_opposite_is_asked_again(text):
    # Not moving says nothing of travelling: the options are offered again rather than one guessed.
    assert interpret("mobility", text).value is None


def test_a_plain_no_or_rather_is_not_a_correction():
    answered = ["situation", "age_band", "need_area"]
    assert corrections("non, plutôt à Bruxelles", answered, "mobility") == {}
    # The issue's example: an answer at the goal question about part-time work and a child at school.
    assert corrections("plutôt à mi-temps, mon fils est encore à l'école", answered, "goal") == {}


def test_a_correction_changes_one_named_answer_only():
    answered = ["situation", "age_band", "education"]
    assert corrections("en fait je suis étudiant et j'ai 19 ans", answered, "need_area") == {}
    assert corrections("en fait j'ai 19 ans", answered, "need_area") == {"age_band": "from_18_to_25"}


def test_an_answer_to_the_question_asked_is_not_a_correction_even_with_en_fait():
    assert corrections("en fait à temps partiel", ["situation", "age_band"], "time_available") == {}


@pytest.mark.parametrize(
    "question, text, expected",
    [
        # Negations that say yes.
        ("mobility", "oui pourquoi pas", "travel"),
        ("mobility", "ja waarom niet", "travel"),
        ("mobility", "ça me dérange pas de me déplacer", "travel"),
        ("time_available", "temps plein me dérange pas", "full_time"),
        ("counsellor_language", "Frans vind ik niet erg", "fr"),
        # A negation word is not a "ja" (travel), and a negation reaches no further than "depuis" or "et".
        ("mobility", "je ne veux jamais quitter Bruxelles", None),
        ("situation", "inscrit chez Actiris depuis pas longtemps", "jobseeker_registered"),
        ("situation", "inscrit nulle part, pas chez Actiris", "jobseeker_unregistered"),
        ("age_band", "vingt-six ans", "from_26_to_45"),
    ],
)
def test_negations_that_say_yes_and_how_far_a_negation_reaches(question, text, expected):
    assert interpret(question, text).value == expected


def test_a_language_spoken_not_so_well_is_basic_and_one_not_spoken_is_left_out():
    assert interpret("languages", "français et néerlandais pas très bien").value == {"fr": "good", "nl": "basic"}
    assert interpret("languages", "Frans vloeiend, Nederlands niet zo goed").value == {"fr": "fluent", "nl": "basic"}
    assert interpret("languages", "français couramment, anglais, pas du tout").value == {"fr": "fluent"}


def test_an_answer_to_the_interest_group_asked_is_not_a_correction():
    assert corrections("en fait non", ["mobility", "situation"], FIRST) == {}
