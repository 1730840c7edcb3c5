"""Conversations through the real Rasa server, action server and tracker store."""

import time

import pytest
import sqlalchemy as sa

from tests.domain_responses import patterns_by_language, texts_by_language

pytestmark = pytest.mark.servers


TEXTS = texts_by_language()
PATTERNS = patterns_by_language()
# The start of utter_search_unavailable in French.
UNAVAILABLE = "Je ne peux pas consulter nos fiches"


def assert_all_in(language, replies):
    assert replies, "no reply"
    for reply in replies:
        text = reply.get("text") or ""
        assert any(p.match(text) for p in PATTERNS[language]), f"not a {language} response: {reply}"


@pytest.mark.parametrize(
    "question, language, topic, words",
    [
        (
            "Comment faire reconnaître mon diplôme marocain pour travailler en Belgique ?",
            "fr",
            "foreign_diploma_equivalence",
            ("Source :", "vérifiées par la Cité des métiers le 7 décembre 2026"),
        ),
        (
            "Kan ik een opleiding volgen bij VDAB als ik werkloos ben?",
            "nl",
            "vocational_training_jobseekers",
            ("Bron:", "nagekeken door het Beroepenpunt op 21 november 2026"),
        ),
    ],
)
def test_a_question_is_answered_from_the_content(assistant, sender, question, language, topic, words):
    greeting = "bonjour" if language == "fr" else "hallo"
    assistant.send(sender, greeting)
    replies = assistant.send(sender, question)
    answer = replies[0]["text"]
    assert all(word in answer for word in words) and "https://" in answer
    assert [b["payload"] for b in replies[0]["buttons"]] == [
        "/ask_question",
        "/start_orientation",
        "/request_counsellor",
    ]
    shown = assistant.slot(sender, "shown_passages")
    assert [p["topic"] for p in shown] == [topic]
    assert shown[0]["id"].startswith(f"{topic}-{language}#")


def test_a_french_visitor_using_dutch_terms_is_answered_in_french(assistant, sender):
    assistant.send(sender, "bonjour")
    answer = assistant.texts(sender, "je voudrais demander une studietoelage, c'est possible ?")
    assert "Source :" in answer
    assert assistant.slot(sender, "language") == "fr"
    assert assistant.slot(sender, "shown_passages")[0]["id"].startswith("study_grants-fr#")


def test_a_tapped_choice_answers_the_earlier_question_from_that_sheet(assistant, sender):
    assistant.send(sender, "bonjour")
    assistant.send(sender, "un stage en entreprise, c'est payé ?")
    answer = assistant.texts(sender, '/choose_topic{"topic": "first_work_experience_youth"}')
    assert "Source :" in answer
    assert assistant.slot(sender, "shown_passages")[-1]["topic"] == "first_work_experience_youth"


def test_a_choice_naming_no_sheet_searches_the_question_again(assistant, sender):
    # A sheet removed since the buttons were shown, or a forged payload: never "search unavailable".
    assistant.send(sender, "bonjour")
    assistant.send(sender, "je cherche un job étudiant pour cet été, combien d'heures je peux faire ?")
    replies = assistant.send(sender, '/choose_topic{"topic": "no_such_sheet"}')
    assert_all_in("fr", replies)
    assert not any(reply.get("text", "").startswith(UNAVAILABLE) for reply in replies)
    assert assistant.slot(sender, "shown_passages")[-1]["topic"] == "student_jobs"


def test_an_area_button_gets_the_area_overview(assistant, sender):
    assistant.send(sender, "hallo")
    replies = assistant.send(sender, '/ask_mobility{"area": "mobility"}')
    assert replies[0]["text"] in TEXTS["nl"] and "Bron:" not in replies[0]["text"]
    assert assistant.slot(sender, "shown_passages") is None


def test_french_visitor(assistant, sender):
    greeting = assistant.send(sender, "Bonjour !")
    assert_all_in("fr", greeting)
    assert [b["title"] for b in greeting[0]["buttons"]] == [
        "Poser une question",
        "Faire le point (11 questions)",
        "Parler à un conseiller",
        "Infos pratiques",
        "Nederlands",
    ]
    assert assistant.slot(sender, "language") == "fr"
    info = assistant.texts(sender, "vous êtes où exactement et c'est ouvert quand ?")
    assert "avenue de l'Astronomie 14" in info and "vérifiées le" in info
    assert_all_in("fr", assistant.send(sender, "/ask_training"))


def test_dutch_visitor(assistant, sender):
    greeting = assistant.send(sender, "goeiedag")
    assert_all_in("nl", greeting)
    assert [b["title"] for b in greeting[0]["buttons"]] == [
        "Een vraag stellen",
        "Mijn situatie bekijken (11 vragen)",
        "Met een adviseur praten",
        "Praktische info",
        "Français",
    ]
    info = assistant.texts(sender, "waar is het beroepenpunt en wanneer zijn jullie open?")
    assert "Sterrenkundelaan 14" in info and "nagekeken op" in info


def test_a_clear_message_in_the_other_language_switches(assistant, sender):
    assistant.send(sender, "bonjour")
    replies = assistant.send(sender, "ik ben werkzoekend en ik zoek een opleiding als kok in Brussel")
    assert_all_in("nl", replies)
    assert assistant.slot(sender, "language") == "nl"


def test_a_short_or_mixed_message_does_not_switch(assistant, sender):
    assistant.send(sender, "bonjour")
    assert_all_in("fr", assistant.send(sender, "dank u"))
    assert_all_in("fr", assistant.send(sender, "ok"))
    assert assistant.slot(sender, "language") == "fr"


def test_channel_metadata_sets_the_language(assistant, sender):
    assert_all_in("nl", assistant.send(sender, "ok", metadata={"language": "nl"}))
    assert assistant.slot(sender, "language") == "nl"


def conversations_counted(desk_db_url: str, language: str) -> int:
    """The desk's anonymous count of conversations started in a language (all days)."""
    engine = sa.create_engine(desk_db_url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text(
                    "SELECT coalesce(sum(count), 0) FROM usage_counts"
                    " WHERE kind = 'conversation' AND language = :language"
                ),
                {"language": language},
            ).scalar_one()
    finally:
        engine.dispose()


def test_a_new_conversation_is_counted_once_in_its_language(servers, assistant, sender):
    # The Rasa server counts it in the background (bot/language_slot.py), after the reply.
    before = conversations_counted(servers.desk_db_url, "nl")
    assistant.send(sender, "ok", metadata={"language": "nl"})
    deadline = time.monotonic() + 5
    while conversations_counted(servers.desk_db_url, "nl") == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert conversations_counted(servers.desk_db_url, "nl") == before + 1
    assistant.send(sender, "dank je wel")
    time.sleep(0.5)
    assert conversations_counted(servers.desk_db_url, "nl") == before + 1


def test_visitor_asks_for_the_other_language(assistant, sender):
    assistant.send(sender, "salut")
    replies = assistant.send(sender, "on peut continuer en néerlandais svp ?")
    assert replies[0]["text"] == "Oké, we gaan verder in het Nederlands."
    assert (
        assistant.send(sender, '/choose_language{"language": "fr"}')[0]["text"] == "D'accord, on continue en français."
    )
    assert assistant.slot(sender, "language") == "fr"


def test_a_button_payload_never_switches(assistant, sender):
    assistant.send(sender, "hallo")
    assert_all_in("nl", assistant.send(sender, "/ask_question"))


def test_unclear_twice_offers_a_counsellor(assistant, sender):
    assistant.send(sender, "bonjour")
    first = assistant.send(sender, "tu connais une bonne recette de lasagnes ?")
    assert first[0]["text"] in {
        next(t for t in TEXTS["fr"] if t.startswith("Je ne peux malheureusement pas vous aider")),
        next(t for t in TEXTS["fr"] if t.startswith("Je ne suis pas sûr")),
    }
    second = assistant.send(sender, "raconte-moi une blague sur les chats")
    assert second[0]["text"].startswith("Je n'arrive pas à vous répondre")
    assert "/request_counsellor" in [b["payload"] for b in second[0]["buttons"]]


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   \n\t ",
        "😀😀🙏",
        "?!…",
        "<script>alert('x')</script>",
        "مرحبا 你好 hello",
        "x" * 10_000,
        "je cherche un travail " * 500,
    ],
    ids=["empty", "whitespace", "emoji", "punctuation", "html", "mixed-script", "10k", "long-words"],
)
@pytest.mark.parametrize("language, greeting", [("fr", "bonjour"), ("nl", "hallo")])
def test_bad_input_gets_a_polite_reply_in_the_visitors_language(assistant, sender, message, language, greeting):
    assistant.send(sender, greeting)
    replies = assistant.send(sender, message)
    assert_all_in(language, replies)
    assert assistant.slot(sender, "language") == language


def test_too_long_messages_are_refused(assistant, sender):
    assistant.send(sender, "bonjour")
    replies = assistant.send(sender, "je cherche une formation " * 100)
    assert replies[0]["text"].startswith("Votre message est trop long")


def test_language_detection_is_in_the_parse_result(assistant):
    parsed = assistant.parse("ik wil graag Nederlands leren in een CVO")
    assert parsed["language_detection"]["language"] == "nl"
    assert parsed["language_detection"]["clear"] is True
    assert assistant.parse("dank u")["language_detection"] == {
        "language": "nl",
        "confidence": pytest.approx(0.79, abs=0.1),
        "clear": False,
        "words": 2,
        "payload": False,
    }


@pytest.mark.parametrize(
    "messages",
    [
        ["bonjour", "Comment m'inscrire chez Actiris ?"],
        ["hallo", "Kan ik een opleiding volgen bij VDAB als ik werkloos ben?"],
        ["bonjour", "merci beaucoup"],
        ["bonjour", '/choose_language{"language": "nl"}'],
    ],
)
def test_a_turn_ends_with_what_the_visitor_can_do_next(assistant, sender, messages):
    """At the kiosk, typing is the hard way: an answer, thanks and a language switch end with buttons for
    what can come next. (Replies that ask for words, such as "say it otherwise", need none.)"""
    for message in messages:
        replies = assistant.send(sender, message)
    assert replies[-1].get("buttons"), replies[-1]
