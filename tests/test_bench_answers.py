"""The rubric of `make bench-answers` (bench/answers.py): reading a reply and scoring it, without servers."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from actions.centre_info import centre_info_text, load_centre_info
from actions.settings import get_settings
from bench.answers import (
    CENTRE_TOPIC,
    QUESTIONS_FILE,
    Question,
    Turn,
    answer_body,
    category,
    contains,
    facts_not_in_sheets,
    figures,
    missing_facts,
    one_reply_suffices,
    parse_questions,
    reading_hint,
    source_markers,
    turn_from_tracker,
    verdict,
)
from common.text import words
from knowledge.settings import get_settings as knowledge_settings
from tests.domain_responses import language_of, responses

TOPICS = {path.name.split(".")[0] for path in knowledge_settings().content_dir.glob("*.md")}


@pytest.fixture(scope="module")
def centre() -> dict:
    return load_centre_info(get_settings().centre_info_file)


@pytest.fixture(scope="module")
def markers(centre) -> tuple[str, ...]:
    return source_markers(responses(), (centre[lang]["source"] for lang in ("fr", "nl")))


def knowledge_answer(lang: str, title: str, passage: str, organisations: str) -> str:
    """The answer as the domain's template renders it."""
    template = next(
        variation["text"] for variation in responses()["utter_knowledge_answer"] if language_of(variation) == lang
    )
    return template.format(
        title=title,
        summary="Le résumé.",
        passage=passage,
        contacts="• Un contact",
        organisations=organisations,
        url="https://www.actiris.brussels",
        checked="21 novembre 2026",
    )


def question(
    expected: tuple[str, ...] = ("student_jobs",),
    facts: tuple[tuple[str, ...], ...] = (("650",),),
    kind: str = "short",
    lang: str = "fr",
) -> Question:
    return Question(
        id="q", lang=lang, kind=kind, text="job etudiant combien d'heures", expected_topics=expected, must_contain=facts
    )


def turn(
    texts: tuple[str, ...] = (),
    responses_: tuple[str, ...] = (),
    actions: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
) -> Turn:
    return Turn(texts=texts, responses=responses_, actions=actions, topics=topics)


ANSWER = "Les jobs étudiants\n\nUn étudiant peut travailler 650 heures par année civile, gratuitement inscrit."


# ----------------------------------------------------------------------------- matching facts


@pytest.mark.parametrize(
    "text, wording, found",
    [
        ("Sans RENDEZ-VOUS et gratuit", "sans rendez vous", True),  # case, hyphen
        ("un diplôme équivalent", "diplome equivalent", True),  # accents
        ("vous aide gratuitement", "gratuit", True),  # may end inside a word
        ("formulaire DC45 rempli", "C4", False),  # must start at a word's start
        ("avec le C4 de l'employeur", "C4", True),
        ("avenue de l'Astronomie 14", "l'astronomie", True),  # apostrophe as a word break
        ("12 mois de base", "2 mois", False),
    ],
)
def test_facts_match_at_a_word_start_without_case_or_accents(text, wording, found):
    assert contains(text, wording) is found


def test_missing_facts_names_the_first_wording_of_each_group_not_found():
    body = "Inscrivez-vous chez Actiris dans les 8 jours."
    assert missing_facts(body, [["Actiris"], ["MyActiris", "antenne"], ["8 jours", "huit jours"]]) == ("MyActiris",)


# ----------------------------------------------------------------------------- the source line


def test_the_source_line_of_an_answer_is_not_part_of_its_body(markers):
    for lang in ("fr", "nl"):
        reply = knowledge_answer(lang, "Titre", "Le passage sans organisation.", "Actiris, VDAB Brussel")
        body = answer_body([reply], markers)
        assert "Le passage sans organisation." in body and "Titre" in body
        assert not contains(body, "Actiris") and not contains(body, "VDAB")


def test_the_source_line_of_the_centre_information_is_not_part_of_its_body(markers, centre):
    for lang in ("fr", "nl"):
        body = answer_body([centre_info_text(centre, lang)], markers)
        assert centre[lang]["address"] in body
        assert not contains(body, "vérifiées") and not contains(body, "nagekeken")


# ----------------------------------------------------------------------------- reading the tracker


def test_the_turn_is_what_followed_the_visitor_s_last_message():
    tracker = {
        "slots": {"shown_passages": [{"topic": "student_jobs", "id": "student_jobs-fr#0"}]},
        "events": [
            {"event": "action", "name": "action_session_start"},
            {"event": "user", "text": "bonjour"},
            {"event": "action", "name": "utter_greet"},
            {"event": "bot", "text": "Bonjour", "metadata": {"utter_action": "utter_greet"}},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "job etudiant"},
            {"event": "action", "name": "action_answer_question"},
            {"event": "bot", "text": ANSWER, "metadata": {"utter_action": "utter_knowledge_answer"}},
            {"event": "bot", "text": "sans nom de réponse", "metadata": {}},
            {"event": "slot", "name": "shown_passages"},
            {"event": "action", "name": "action_listen"},
        ],
    }
    assert turn_from_tracker([ANSWER], tracker) == Turn(
        texts=(ANSWER,),
        responses=("utter_knowledge_answer",),
        actions=("action_answer_question",),
        topics=("student_jobs",),
    )


def centre_turn(*bot_events: dict) -> Turn:
    return turn_from_tracker(
        [],
        {
            "events": [
                {"event": "user", "text": "ik wil scheiden, wat kost dat?"},
                {"event": "action", "name": "action_centre_info"},
                *bot_events,
                {"event": "action", "name": "action_listen"},
            ]
        },
    )


def test_the_centre_counts_as_shown_only_when_its_own_text_was_sent():
    assert centre_turn({"event": "bot", "text": "C'est gratuit.", "metadata": {}}).topics == (CENTRE_TOPIC,)
    # The action passed the question on to the search, which abstained: not an answer from the centre.
    passed_on = centre_turn(
        {"event": "bot", "text": "Geen betrouwbaar antwoord", "metadata": {"utter_action": "utter_no_reliable_answer"}}
    )
    assert passed_on.topics == () and category(passed_on) == "abstained"


def test_a_tracker_without_events_or_slots_is_an_empty_turn():
    assert turn_from_tracker([], {}) == turn()


# ----------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    "said, expected",
    [
        (turn(topics=("student_jobs",)), "answered"),
        (turn(actions=("action_centre_info",), topics=(CENTRE_TOPIC,)), "answered"),
        (turn(responses_=("utter_no_reliable_answer",)), "abstained"),
        (turn(responses_=("utter_offer_counsellor",)), "abstained"),
        (turn(responses_=("utter_out_of_scope",)), "out_of_scope"),
        (turn(responses_=("utter_rephrase",)), "rephrase"),
        (turn(actions=("utter_ask_your_question",), responses_=("utter_ask_your_question",)), "rephrase"),
        (
            turn(actions=("action_start_orientation", "orientation_form"), responses_=("utter_orientation_intro",)),
            "questionnaire",
        ),
        (turn(actions=("action_handoff",)), "handoff"),
        (turn(responses_=("utter_search_unavailable",)), "unavailable"),
        (turn(actions=("utter_greet",), responses_=("utter_greet",)), "other"),
        # An answer counts even when something else came with it; a failure counts over everything.
        (turn(topics=("student_jobs",), actions=("orientation_form",)), "answered"),
        (turn(topics=("student_jobs",), responses_=("utter_service_trouble",)), "unavailable"),
    ],
)
def test_categories(said, expected):
    assert category(said) == expected


# ----------------------------------------------------------------------------- scores


def test_right_sheet_with_every_fact_scores_two(markers):
    result = verdict(question(), turn(texts=(ANSWER,), topics=("student_jobs",)), markers)
    assert (result.category, result.score, result.right_sheet, result.missing) == ("answered", 2, True, ())


def test_right_sheet_with_a_fact_only_in_the_source_line_scores_one(markers):
    reply = knowledge_answer("fr", "Les jobs étudiants", "Un contrat écrit est obligatoire.", "Student@work")
    result = verdict(question(facts=(("Student@work",),)), turn(texts=(reply,), topics=("student_jobs",)), markers)
    assert (result.score, result.missing) == (1, ("Student@work",))


def test_any_expected_sheet_is_right(markers):
    result = verdict(
        question(expected=("register_jobseeker", "student_jobs")),
        turn(texts=(ANSWER,), topics=("student_jobs",)),
        markers,
    )
    assert result.score == 2


def test_the_centre_information_counts_as_its_sheet(markers, centre):
    reply = centre_info_text(centre, "nl")
    result = verdict(
        question(expected=(CENTRE_TOPIC,), facts=(("gratis",), ("Astro",)), lang="nl"),
        turn(texts=(reply,), actions=("action_centre_info",), topics=(CENTRE_TOPIC,)),
        markers,
    )
    assert result.score == 2


@pytest.mark.parametrize(
    "said, score",
    [
        (turn(texts=(ANSWER,), topics=("job_offers",)), 0),  # wrong sheet, facts or not
        (turn(responses_=("utter_no_reliable_answer",)), 1),  # false abstention: safe, no answer
        (turn(responses_=("utter_rephrase",)), 0),
        (turn(responses_=("utter_out_of_scope",)), 0),
        (turn(actions=("action_start_orientation",)), 0),
        (turn(actions=("action_handoff",)), 0),
    ],
)
def test_covered_question_scores(markers, said, score):
    assert verdict(question(), said, markers).score == score


@pytest.mark.parametrize(
    "said, score",
    [
        (turn(responses_=("utter_no_reliable_answer",)), 2),
        (turn(responses_=("utter_out_of_scope",)), 1),
        (turn(actions=("action_handoff",)), 1),
        (turn(texts=(ANSWER,), topics=("work_permit_foreigners",)), 0),  # a confident answer
        (turn(actions=("action_centre_info",)), 0),
        (turn(responses_=("utter_rephrase",)), 0),
        (turn(actions=("action_start_orientation",)), 0),
    ],
)
def test_uncovered_question_scores(markers, said, score):
    assert verdict(question(expected=(), facts=()), said, markers).score == score


def test_figures(markers):
    covered, uncovered = question(), question(expected=(), facts=())
    rows = [
        (q, verdict(q, said, markers))
        for q, said in [
            (covered, turn(texts=(ANSWER,), topics=("student_jobs",))),  # 2
            (covered, turn(texts=(ANSWER,), topics=("job_offers",))),  # 0, wrong sheet
            (covered, turn(responses_=("utter_out_of_scope",))),  # 0, false rephrase
            (covered, turn(responses_=("utter_no_reliable_answer",))),  # 1, false abstention
            (uncovered, turn(responses_=("utter_out_of_scope",))),  # 1, not a false rephrase
            (uncovered, turn(texts=(ANSWER,), topics=("student_jobs",))),  # 0, confident
            (uncovered, turn(responses_=("utter_rephrase",))),  # 0, false rephrase
            (uncovered, turn(actions=("action_start_orientation",))),  # 0, questionnaire
        ]
    ]
    assert figures(rows) == {
        "questions": 8,
        "mean": 0.5,
        "fully_right": 1 / 8,
        "wrong_sheet": 1 / 4,
        "false_rephrase": 2,
        "false_abstentions": 1,
        "confident_uncovered": 1,
        "uncovered": 4,
        "questionnaire": 1,
        "unavailable": 0,
        "choices": 0,
    }


@pytest.mark.parametrize(
    "asked, said, hint",
    [
        (question(kind="yesno"), turn(texts=(ANSWER,), topics=("student_jobs",)), "yes or no"),
        (question(kind="twopart"), turn(texts=(ANSWER,), topics=("student_jobs",)), "both parts"),
        (question(facts=(("Iriscare",),)), turn(texts=(ANSWER,), topics=("student_jobs",)), "other words"),
        (question(), turn(texts=(ANSWER,), topics=("job_offers",)), "acceptable too"),
        (question(expected=(), facts=()), turn(texts=(ANSWER,), topics=("job_offers",)), "help after all"),
        (question(), turn(texts=(ANSWER,), topics=("student_jobs",)), ""),
        (question(), turn(responses_=("utter_rephrase",)), ""),
    ],
)
def test_the_table_says_what_to_check_by_reading(markers, asked, said, hint):
    found = reading_hint(asked, verdict(asked, said, markers))
    assert hint in found if hint else found == ""


# ----------------------------------------------------------------------------- the question set


def test_the_question_set_is_checked():
    entry = {
        "id": "x",
        "lang": "fr",
        "kind": "short",
        "text": "?",
        "expected_topics": ["student_jobs"],
        "must_contain": [["650"]],
    }
    with pytest.raises(ValueError, match="id used twice"):
        parse_questions([entry, entry], TOPICS)
    wrong_fields: list[tuple[dict[str, Any], str]] = [
        ({"lang": "en"}, "lang"),
        ({"expected_topics": ["nope"]}, "unknown topic"),
        ({"expected_topics": []}, "facts without"),
        ({"must_contain": [[]]}, "empty fact"),
        ({"must_contain": [["?!"]]}, "empty fact"),
    ]
    for wrong, problem in wrong_fields:
        with pytest.raises(ValueError, match=problem):
            parse_questions([{**entry, **wrong}], TOPICS)


def test_the_question_set_has_its_announced_composition():
    questions = parse_questions(yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))["questions"], TOPICS)
    french = sum(q.lang == "fr" for q in questions)
    uncovered = sum(not q.covered for q in questions)
    assert len(questions) >= 130
    assert 0.4 <= french / len(questions) <= 0.6
    assert 0.15 <= uncovered / len(questions) <= 0.25


def test_facts_outside_their_sheets_and_two_passage_questions_are_found():
    bodies = {("student_jobs", "fr"): ["650 heures par an", "allocations familiales suspendues"]}
    two_parts = question(facts=(("650",), ("allocations familiales",)))
    assert facts_not_in_sheets(two_parts, bodies) == ()
    assert not one_reply_suffices(two_parts, bodies)
    assert one_reply_suffices(question(), bodies)
    assert facts_not_in_sheets(question(facts=(("Iriscare", "caisse"),)), bodies) == ("Iriscare",)


def test_the_development_questions_are_not_the_benchmarks():
    # Tuning (knowledge/ranking_tune.py) on a question of the benchmark would flatter its figures.
    def texts(path, key):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {" ".join(words(q[key])) for q in data["questions" if "questions" in data else "queries"]}

    benchmark = texts(QUESTIONS_FILE, "text")
    shared = (
        texts(QUESTIONS_FILE.parent / "answers_dev.yml", "text")
        | texts(QUESTIONS_FILE.parent / "retrieval_queries.yml", "q")
    ) & benchmark
    assert not shared, f"in both sets: {sorted(shared)}"
