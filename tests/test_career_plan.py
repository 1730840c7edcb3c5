"""The career plan's rules (actions/orientation/plan_rules.yml), one test per rule."""

import pytest

from actions.orientation import plan

JOBSEEKER_YOUNG = {
    "situation": "jobseeker_unregistered",
    "age_band": "from_18_to_25",
    "education": "lower_secondary",
    "need_area": "training",
}


def steps(answers, lang="fr"):
    return [s.rule for s in plan.build(answers, lang).steps]


@pytest.mark.parametrize(
    "rule, answers, other",
    [
        ("diploma_recognition", {"education": "foreign_not_recognised"}, {"education": "foreign_recognised"}),
        ("register_as_jobseeker", {"situation": "jobseeker_unregistered"}, {"situation": "jobseeker_registered"}),
        ("young_second_chance", JOBSEEKER_YOUNG, {**JOBSEEKER_YOUNG, "education": "secondary"}),
        (
            "youth_guarantee",
            {"situation": "young_not_in_school", "age_band": "from_18_to_25"},
            {"situation": "young_not_in_school", "age_band": "from_26_to_45"},
        ),
        (
            "choose_studies",
            {"situation": "pupil_student", "need_area": "unknown"},
            {"situation": "employed", "need_area": "unknown"},
        ),
        (
            "study_grants",
            {"situation": "pupil_student", "need_area": "education"},
            {"situation": "pupil_student", "need_area": "employment"},
        ),
        (
            "adult_without_diploma",
            {"age_band": "over_45", "education": "none_primary"},
            {"age_band": "from_18_to_25", "education": "none_primary"},
        ),
        (
            "jobseeker_training",
            {"situation": "jobseeker_registered", "need_area": "training"},
            {"situation": "jobseeker_registered", "need_area": "entrepreneurship"},
        ),
        ("job_search", {"need_area": "employment"}, {"need_area": "education"}),
        (
            "train_while_working",
            {"situation": "employed", "need_area": "training"},
            {"situation": "jobseeker_registered", "need_area": "education"},
        ),
        (
            "career_change",
            {"situation": "employed", "need_area": "unknown"},
            {"situation": "self_employed", "need_area": "unknown"},
        ),
        (
            "side_business",
            {"situation": "employed", "need_area": "entrepreneurship"},
            {"situation": "jobseeker_registered", "need_area": "entrepreneurship"},
        ),
        ("start_business", {"need_area": "entrepreneurship"}, {"need_area": "mobility"}),
        ("elsewhere", {"need_area": "mobility"}, {"need_area": "employment"}),
        ("languages", {"languages": {"fr": "fluent", "nl": "basic"}}, {"languages": {"fr": "good", "nl": "fluent"}}),
        ("evening_classes", {"time_available": "evenings"}, {"time_available": "full_time"}),
    ],
)
def test_each_rule_applies_to_its_case_and_not_to_a_neighbour(rule, answers, other):
    assert rule in steps(answers)
    assert rule not in steps(other)


def test_every_rule_is_tested():
    tested = {
        "diploma_recognition",
        "register_as_jobseeker",
        "young_second_chance",
        "youth_guarantee",
        "choose_studies",
        "study_grants",
        "adult_without_diploma",
        "jobseeker_training",
        "job_search",
        "train_while_working",
        "career_change",
        "side_business",
        "start_business",
        "elsewhere",
        "languages",
        "evening_classes",
    }
    assert {r["id"] for r in plan.rules()["rules"] if not r.get("filler")} == tested


def test_the_issues_example_young_jobseeker_without_diploma():
    chosen = plan.build(JOBSEEKER_YOUNG, "fr")
    rules = [s.rule for s in chosen.steps]
    assert rules[:4] == ["register_as_jobseeker", "young_second_chance", "youth_guarantee", "jobseeker_training"]
    second_chance = chosen.steps[1]
    assert second_chance.reason == (
        "Parce que vous m'avez dit : chercheur d'emploi pas encore inscrit ; "
        "18 à 25 ans ; secondaire inférieur (CE1D) ou secondaire pas terminé."
    )
    assert [r.url for r in second_chance.resources] == ["https://www.enseignement.be", "https://www.efp.be"]


EVERYTHING_APPLIES = {
    **JOBSEEKER_YOUNG,
    "time_available": "evenings",
    "education": "foreign_not_recognised",
    "languages": {"en": "fluent"},
}


@pytest.mark.parametrize("answers", [{}, JOBSEEKER_YOUNG, {"situation": "other"}, EVERYTHING_APPLIES])
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_three_to_five_steps_ending_with_a_counsellor(answers, lang):
    chosen = plan.build(answers, lang).steps
    assert 3 <= len(chosen) <= 5
    assert chosen[-1].rule == "counsellor"
    assert all(step.reason and step.text for step in chosen)


def test_a_resource_is_shown_once_in_a_plan():
    chosen = plan.build({"situation": "employed", "need_area": "entrepreneurship"}, "nl").steps
    titles = [r.title for step in chosen for r in step.resources]
    assert len(titles) == len(set(titles))


def test_several_organisations_are_shown_side_by_side():
    step = plan.build({"education": "foreign_not_recognised"}, "fr").steps[0]
    organisations = step.resources[0].organisations
    assert "NARIC-Vlaanderen" in organisations and len(organisations) >= 2


def test_interests_give_the_two_best_types_with_ideas():
    interests = {
        "social_help": "like",
        "social_teach": "like",
        "realistic_hands": "like",
        "artistic_create": "neutral",
        "conventional_figures": "dislike",
    }
    assert plan.interest_types(interests) == ["social", "realistic"]
    shown = plan.build({"interests": interests}, "fr").interests
    assert shown[0].startswith("tourné vers les autres : par exemple infirmier")


def test_no_interest_type_without_a_like():
    assert plan.interest_types({"social_help": "neutral", "realistic_hands": "dislike"}) == []
    assert plan.interest_types(None) == []


def test_a_skipped_answer_is_left_out_of_the_summary():
    text = plan.build({"situation": "employed", "age_band": None, "education": "higher"}, "nl").summary
    assert text == "Situatie: Werknemer. Hoogste diploma: Hoger onderwijs (bachelor, master)."


def test_the_plan_as_text_in_both_languages():
    for lang, title in (("fr", "Votre plan personnel"), ("nl", "Jouw persoonlijk plan")):
        text = plan.render(plan.build(JOBSEEKER_YOUNG, lang))
        assert text.startswith(title) and "https://" in text


def test_every_topic_named_by_a_rule_exists_in_both_languages():
    every = [r for r in plan.rules()["rules"]] + [plan.rules()["counsellor_step"]]
    for rule in every:
        for topic in rule["topics"]:
            assert (topic, "fr") in plan.topic_cards() and (topic, "nl") in plan.topic_cards()
