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


@pytest.mark.parametrize(
    "question",
    [
        "quelle est la recette des gaufres de Liège ?",
        "hoe laat speelt Anderlecht zondag?",
    ],
)
def test_off_topic_questions_get_no_answer(knowledge_search, question):
    assert knowledge_search.answer(question, "fr").decision.kind == "none"


def test_an_answer_is_composed_from_its_sheet(knowledge_search):
    found = knowledge_search.answer("je cherche un job étudiant pour cet été, combien d'heures je peux faire ?", "fr")
    assert found.decision.kind == "answer"
    answer = found.answer
    assert answer.topic == "student_jobs" and answer.lang == "fr"
    assert answer.summary and "650" in f"{answer.summary} {answer.text}"
    # The source names the organisations of the contacts shown, which come from the sheet's own list.
    assert answer.contacts and len(answer.organisations) == len(answer.contacts)
    assert all(line.startswith(name) for line, name in zip(answer.contacts, answer.organisations, strict=False))


@pytest.mark.parametrize(
    "question, lang, topic",
    [
        ("c quoi activa", "fr", "hiring_aids"),
        ("studiebeurs aanvragen", "nl", "study_grants"),
        ("wat is een IBO", "nl", "in_company_training_contract"),
    ],
)
def test_a_belgian_term_pulls_its_sheet(knowledge_search, question, lang, topic):
    found = knowledge_search.answer(question, lang)
    assert found.decision.kind == "answer" and found.answer.topic == topic
    # The answer says what the term is before the sheet's summary.
    assert found.definitions


def test_a_need_others_cover_gets_who_can_help(knowledge_search):
    found = knowledge_search.answer("ma carte de séjour expire bientôt, que faire ?", "fr")
    assert found.decision.kind == "none"
    assert any("commune" in text for text in found.elsewhere)


def test_the_most_common_words_do_not_count_as_understood(knowledge_search):
    assert knowledge_search.answer("tu connais une bonne recette de lasagnes ?", "fr").known_words < 2
    # Common within a language, not merely over both: "une" is in about half the French passages.
    assert knowledge_search.answer("raconte-moi une blague sur les chats", "fr").known_words < 2
    assert knowledge_search.answer("formation en alternance pour adultes", "fr").known_words >= 2
    assert knowledge_search.answer("comment contester une amende de stationnement", "fr").known_words >= 1


def test_a_chosen_sheet_answers_whatever_the_ranking(knowledge_search):
    found = knowledge_search.answer("un stage c'est payé ?", "nl", topic="first_work_experience_youth")
    assert found.decision.kind == "answer"
    assert (found.answer.topic, found.answer.lang) == ("first_work_experience_youth", "nl")
