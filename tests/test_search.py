"""Search over the real content with the real model."""
import pytest

from knowledge.search import KnowledgeSearch


def test_a_concrete_question_finds_its_topic(knowledge_search: KnowledgeSearch):
    hits = knowledge_search.search("comment faire reconnaître mon diplôme marocain ?", lang="fr")
    assert hits[0].passage.topic == "foreign_diploma_equivalence"
    assert hits[0].passage.lang == "fr"
    assert hits[0].score >= knowledge_search.min_score


def test_one_result_per_topic_best_first(knowledge_search: KnowledgeSearch):
    hits = knowledge_search.search("kan ik een opleiding volgen als ik werkloos ben?", lang="nl", k=8)
    topics = [hit.passage.topic for hit in hits]
    assert len(topics) == len(set(topics)) == 8
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert hits[0].passage.topic == "vocational_training_jobseekers"


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_answer_comes_in_the_visitors_language_whatever_words_matched(knowledge_search, lang):
    # Dutch words, a French institution: the same topic, shown in the asked language.
    hits = knowledge_search.search("ik ben werkzoekende, hoe schrijf ik me in bij Actiris?", lang=lang)
    assert hits[0].passage.topic == "register_jobseeker"
    assert hits[0].passage.lang == lang


def test_without_a_language_the_best_passage_is_shown_as_it_is(knowledge_search):
    hits = knowledge_search.search("studietoelage aanvragen bij de Vlaamse overheid", k=1)
    assert (hits[0].passage.topic, hits[0].passage.lang) == ("study_grants", "nl")


def test_the_area_filter_keeps_only_that_area(knowledge_search):
    hits = knowledge_search.search("je veux créer mon entreprise", lang="fr", area="mobility", k=5)
    assert hits and {hit.passage.area for hit in hits} == {"mobility"}


@pytest.mark.parametrize("question", [
    "quelle est la recette des gaufres de Liège ?",
    "hoe laat speelt Anderlecht zondag?",
])
def test_off_topic_questions_get_no_answer(knowledge_search, question):
    assert knowledge_search.answer(question, "fr") is None


def test_answers_to_real_questions_clear_the_threshold(knowledge_search):
    hit = knowledge_search.answer("je cherche un job étudiant pour cet été, combien d'heures je peux faire ?", "fr")
    assert hit is not None and hit.passage.topic == "student_jobs"
