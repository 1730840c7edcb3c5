"""The career plan's rules (actions/orientation/plan_rules.yml), one test per rule."""

import pytest

from actions.orientation import plan
from actions.orientation.answers import normalised
from common.text import WITHHELD

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
        ("abroad_eu", {"goal": "travailler en Allemagne"}, {"goal": "travailler au Canada"}),
        ("abroad_outside_eu", {"goal": "werken in Canada"}, {"goal": "werken in Duitsland"}),
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
        "abroad_eu",
        "abroad_outside_eu",
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
        "artistic_create": "not_chosen",
        "conventional_figures": "skipped",
    }
    assert plan.interest_types(interests) == ["social", "realistic"]
    shown = plan.build({"interests": interests}, "fr").interests
    assert shown[0].startswith("tourné vers les autres : par exemple infirmier")


def test_no_interest_type_without_an_activity_chosen():
    assert plan.interest_types({"social_help": "not_chosen", "realistic_hands": "skipped"}) == []
    assert plan.interest_types(None) == []


def test_a_skipped_answer_is_left_out_of_the_summary():
    text = plan.build({"situation": "employed", "age_band": None, "education": "higher"}, "nl").summary
    assert text == "Situatie: Werknemer. Hoogste diploma: Hoger onderwijs (bachelor, master)."


def test_the_plan_as_text_in_both_languages():
    for lang, title in (("fr", "Votre plan personnel"), ("nl", "Jouw persoonlijke plan")):
        text = plan.render(plan.build(JOBSEEKER_YOUNG, lang))
        assert text.startswith(title) and "https://" in text


def test_each_block_of_text_has_its_card_with_the_same_content():
    built = plan.build({**JOBSEEKER_YOUNG, "interests": {"social_help": "like"}}, "fr")
    blocks, cards = plan.sections(built), plan.cards(built)
    assert [card["part"] for card in cards] == ["summary"] + ["step"] * len(built.steps) + ["interests", "end"]
    assert len(blocks) == len(cards)
    for block, card in zip(blocks[1:], cards[1:], strict=True):
        if card["part"] == "step":
            assert block.startswith(f"{card['number']}. {card['step']}") and card["reason"] in block
            assert all(resource["url"] in block for resource in card["resources"])
    assert cards[-1] == {"part": "end", "text": blocks[-1]}
    assert cards[0]["title"] in blocks[0] and cards[0]["summary"] in blocks[0] and "\n\n" not in blocks[0]


def test_every_topic_named_by_a_rule_exists_in_both_languages():
    every = [r for r in plan.rules()["rules"]] + [plan.rules()["counsellor_step"]]
    for rule in every:
        for topic in rule["topics"]:
            assert (topic, "fr") in plan.topic_cards() and (topic, "nl") in plan.topic_cards()


def goal_steps(goal, lang="fr"):
    return {s.rule: s for s in plan.build({"goal": goal}, lang).steps}


def topics_of(step):
    return {r.url for r in step.resources}


EU_SHEET = {"https://eures.europa.eu"}  # work_abroad_eu, in both languages


@pytest.mark.parametrize(
    "goal, lang",
    [
        ("travailler en France comme infirmière", "fr"),
        ("trouver un emploi aux Pays-Bas", "fr"),
        ("partir en Suisse ou ailleurs en Europe", "fr"),
        ("werken in Frankrijk als verpleegkundige", "nl"),
        ("een job zoeken in Duitsland", "nl"),
        ("studeren in Zwitserland", "nl"),
    ],
)
def test_a_goal_in_europe_brings_the_european_step(goal, lang):
    assert plan.facts({"goal": goal})["goal_abroad"] == ["eu"]
    chosen = goal_steps(goal, lang)
    assert "abroad_outside_eu" not in chosen
    assert EU_SHEET <= topics_of(chosen["abroad_eu"])


def test_a_goal_abroad_without_a_country_brings_the_european_step():
    for goal in ("partir travailler ailleurs dans le monde", "travailler à l'étranger", "werken in het buitenland"):
        assert plan.facts({"goal": goal})["goal_abroad"] == ["abroad"]
        assert "abroad_eu" in goal_steps(goal)


@pytest.mark.parametrize(
    "goal, lang",
    [
        ("travailler au Canada", "fr"),
        ("werken in Canada", "nl"),
        ("devenir serveur en Angleterre", "fr"),
        ("werken in Engeland", "nl"),
        ("partir aux États-Unis", "fr"),
        ("un job à Londres, puis à Dubaï", "fr"),
        ("retourner au Maroc pour ouvrir un commerce", "fr"),
    ],
)
def test_a_goal_outside_the_eu_is_not_treated_as_european(goal, lang):
    assert plan.facts({"goal": goal})["goal_abroad"] == ["non_eu"]
    chosen = goal_steps(goal, lang)
    assert "abroad_eu" not in chosen and "abroad_outside_eu" in chosen
    assert not any(EU_SHEET & topics_of(step) for step in chosen.values())


def test_the_non_eu_rule_never_names_the_european_sheet():
    rule = next(r for r in plan.rules()["rules"] if r["id"] == "abroad_outside_eu")
    assert "work_abroad_eu" not in rule["topics"]


def test_the_united_kingdom_is_outside_the_eu_and_ireland_inside():
    assert plan.facts({"goal": "Irlande du Nord"})["goal_abroad"] == ["non_eu"]
    assert plan.facts({"goal": "Irlande"})["goal_abroad"] == ["eu"]
    assert plan.facts({"goal": "UK"})["goal_abroad"] == ["non_eu"]


def test_a_goal_in_europe_and_outside_brings_both_steps():
    chosen = goal_steps("infirmière en France ou au Canada")
    assert "abroad_eu" in chosen and "abroad_outside_eu" in chosen


@pytest.mark.parametrize(
    "goal",
    [
        "pas à l'étranger, je reste à Bruxelles",
        "niet naar het buitenland, ik blijf in Brussel",
        "je ne veux pas travailler en France",
        "ik wil niet in Canada werken",
        "devenir électricien à Bruxelles",
        "werken in Vlaanderen of Wallonië, of ergens anders in België",
        "je viens du Maroc, je veux devenir aide-soignante",
        "faire reconnaître mon diplôme obtenu à l'étranger",
        "mijn diploma uit het buitenland laten erkennen",
    ],
)
def test_a_goal_in_belgium_or_a_place_denied_brings_no_step_abroad(goal):
    assert "goal_abroad" not in plan.facts({"goal": goal})
    chosen = goal_steps(goal)
    assert "abroad_eu" not in chosen and "abroad_outside_eu" not in chosen


def test_a_withheld_or_missing_goal_says_nothing_of_a_place():
    assert "goal_abroad" not in plan.facts({"goal": WITHHELD})
    assert "goal_abroad" not in plan.facts({"goal": None, "need_area": "employment"})
    for answers in ({"goal": WITHHELD}, {"need_area": "employment"}):
        rules = [s.rule for s in plan.build(answers, "fr").steps]
        assert "abroad_eu" not in rules and "abroad_outside_eu" not in rules


def test_the_reason_quotes_the_goal_as_typed():
    assert goal_steps("travailler au Canada")["abroad_outside_eu"].reason == (
        "Parce que vous m'avez dit : votre objectif « travailler au Canada »."
    )
    assert (
        goal_steps("werken in Duitsland", "nl")["abroad_eu"].reason
        == 'Omdat je me vertelde: je doel "werken in Duitsland".'
    )
    text = plan.render(plan.build({"goal": "Travailler en Espagne", "situation": "employed"}, "fr"))
    assert "votre objectif « Travailler en Espagne »" in text


def test_a_goal_abroad_comes_before_the_fillers():
    chosen = [s.rule for s in plan.build({"goal": "travailler au Canada", "situation": "employed"}, "fr").steps]
    assert chosen.index("abroad_outside_eu") < chosen.index("shortage_occupations")


def test_a_place_belongs_to_one_list_only():
    places = plan.rules()["places"]
    assert set(places) == {"eu", "non_eu", "abroad"}
    seen: dict[str, str] = {}
    for kind, names in places.items():
        for name in names:
            assert seen.setdefault(normalised(name), kind) == kind, name


def test_a_goal_outside_the_eu_with_a_need_to_move_gets_no_european_sheet():
    chosen = plan.build({"need_area": "mobility", "goal": "travailler au Canada"}, "fr").steps
    assert [step.rule for step in chosen][:1] == ["abroad_outside_eu"]
    assert "elsewhere" not in [step.rule for step in chosen]
    assert "Travailler dans un autre pays européen" not in [r.title for step in chosen for r in step.resources]
    # A European goal with the same need keeps the general step too.
    assert "elsewhere" in [step.rule for step in plan.build({"need_area": "mobility", "goal": "en France"}, "fr").steps]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_what_is_printed_has_nothing_the_visitor_typed(lang):
    answers = {"situation": "employed", "goal": "Je veux travailler au Canada comme infirmière"}
    printed = plan.printable(answers, lang)
    assert "Canada" not in printed and "infirmière" not in printed
    kinds = {"fr": "votre projet hors de l'Union européenne", "nl": "je plan buiten de Europese Unie"}
    assert kinds[lang] in printed  # the step abroad is still there, with the kind of place
