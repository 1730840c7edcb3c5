"""The second ranking stage and the decision (knowledge/ranking.py): pure, with hand-set parameters."""

from knowledge.ranking import ANSWER, CHOOSE, NONE, Candidate, Parameters, decide, rerank

# A model that trusts a high score and a clear margin.
PARAMETERS = Parameters(
    title_weight=0.05,
    hint_weight=0.03,
    intercept=-90.0,
    coefficients=(100.0, 20.0, 0.0, 0.0),
    answer_from=0.8,
    choose_from=0.2,
    choose_margin=0.02,
)


def candidate(topic: str, score: float, title: float = 0.0, hint: float = 0.0) -> Candidate:
    return Candidate(topic, score, title, 0.5, hint)


def test_title_words_and_a_glossary_hint_lift_a_close_second():
    ranked = rerank([candidate("student_jobs", 0.905), candidate("register_jobseeker", 0.900, hint=1.0)], PARAMETERS)
    assert [c.topic for c, _ in ranked] == ["register_jobseeker", "student_jobs"]


def test_a_clear_best_is_the_answer():
    decision = decide([candidate("a", 0.95), candidate("b", 0.85)], PARAMETERS)
    assert (decision.kind, decision.topics) == (ANSWER, ("a",))


def test_two_close_sheets_are_offered_as_a_choice():
    decision = decide([candidate("a", 0.905), candidate("b", 0.900)], PARAMETERS)
    assert (decision.kind, decision.topics) == (CHOOSE, ("a", "b"))


def test_a_low_best_gets_no_answer_even_far_ahead():
    decision = decide([candidate("a", 0.80), candidate("b", 0.70)], PARAMETERS)
    assert decision.kind == NONE
    assert decision.confidence < PARAMETERS.choose_from


def test_no_candidate_no_answer():
    assert decide([], PARAMETERS).kind == NONE


def test_the_fitted_parameters_load():
    fitted = Parameters.load()
    assert 0 < fitted.choose_from < fitted.answer_from < 1


def test_a_score_that_is_not_a_number_gets_no_answer():
    assert decide([candidate("a", float("nan")), candidate("b", 0.5)], PARAMETERS).kind == NONE
