"""The ticket built from a conversation: each part is optional, everything typed is scrubbed."""

from datetime import datetime, timezone

from actions.handoff import ticket
from privacy.scrubber import get_scrubber

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=timezone.utc)


def user(text, intent, at=1.0):
    return {"event": "user", "text": text, "timestamp": at, "parse_data": {"intent": {"name": intent}}}


def bot(text, response, at=1.0):
    return {"event": "bot", "text": text, "timestamp": at, "metadata": {"utter_action": response}}


def scrub(text, lang):
    return get_scrubber().scrub(text, lang)


def test_a_visitor_who_asks_at_once_gets_a_ticket_with_the_reason_and_language_only():
    events = [user("/request_counsellor", "request_counsellor")]
    made = ticket.build("abc", {}, events, "nl", NOW, scrub)
    assert made["conversation_id"] == "abc"
    assert (made["language"], made["area"], made["reason"]) == ("nl", None, "visitor_request")
    assert made["answers"] == [] and made["interests"] == [] and made["goal"] is None
    assert made["questions"] == [] and made["passages"] == [] and made["excerpt"] == []
    assert made["recap"] == "De bezoeker vroeg om met een adviseur te praten."
    assert made["requested_at"] == "2026-11-23T10:30:00+00:00"
    assert len(made["client_ref"]) == 32


def test_the_questionnaire_answers_goal_and_interests_are_in_the_counsellors_language():
    slots = {
        "situation": "jobseeker_registered",
        "age_band": "from_26_to_45",
        "need_area": "training",
        "goal": "devenir infirmière",
        "counsellor_language": "nl",
        "interests": {"social_help": "like", "social_teach": "like", "realistic_hands": "not_chosen"},
    }
    events = [
        user("/start_orientation", "start_orientation"),
        bot("Plan", "utter_career_plan_next"),
        user("/request_counsellor", "request_counsellor"),
    ]
    made = ticket.build("abc", slots, events, "fr", NOW, scrub)
    assert (made["language"], made["area"], made["reason"]) == ("nl", "training", "questionnaire")
    assert {"label": "Situatie", "value": "Werkzoekende, ingeschreven (Actiris of VDAB)"} in made["answers"]
    assert made["goal"] == "devenir infirmière"
    assert made["interests"] and all(isinstance(name, str) for name in made["interests"])
    assert made["recap"].startswith("De bezoeker vroeg een adviseur na de oriëntatievragenlijst.")
    assert "Doel: 'devenir infirmière'." in made["recap"]


def test_unanswered_questions_shown_passages_and_the_reason_after_a_missed_answer():
    events = [
        user("je cherche une formation de grutier à Liège le samedi", "ask_training", 10.0),
        bot("Je ne trouve pas de réponse fiable…", "utter_no_reliable_answer", 11.0),
        user("/request_counsellor", "request_counsellor", 12.0),
    ]
    slots = {
        "shown_passages": [
            {
                "id": "x",
                "topic": "t",
                "area": "employment",
                "title": "Actiris",
                "url": "https://www.actiris.brussels",
                "score": 0.8,
            }
        ]
    }
    made = ticket.build("abc", slots, events, "fr", NOW, scrub)
    assert made["reason"] == "low_confidence"
    assert made["area"] == "employment"
    assert made["questions"] == ["je cherche une formation de grutier à Liège le samedi"]
    assert made["passages"] == [{"title": "Actiris", "url": "https://www.actiris.brussels"}]
    assert [line["speaker"] for line in made["excerpt"]] == ["visitor", "assistant"]
    assert made["excerpt"][0]["at"] == "1970-01-01T00:00:10+00:00"
    assert "Questions sans réponse : 1 ; fiches déjà montrées : 1." in made["recap"]


def test_the_reason_is_not_understood_after_the_offer_for_unclear_messages():
    events = [
        user("blablabla", "nlu_fallback"),
        bot("Je n'arrive pas…", "utter_offer_counsellor"),
        user("/request_counsellor", "request_counsellor"),
    ]
    assert ticket.build("abc", {}, events, "fr", NOW, scrub)["reason"] == "not_understood"


def test_the_area_of_a_question_by_area_button_is_kept():
    events = [user("/ask_mobility", "ask_mobility"), user("/request_counsellor", "request_counsellor")]
    assert ticket.build("abc", {}, events, "fr", NOW, scrub)["area"] == "mobility"


def test_personal_data_typed_by_the_visitor_never_reaches_the_ticket():
    typed = "je m'appelle Karim Benali, appelez-moi au 0470 12 34 56 ou karim.benali@gmail.com"
    events = [
        user(typed, "nlu_fallback"),
        bot("Je ne suis pas sûr…", "utter_rephrase"),
        user("/request_counsellor", "request_counsellor"),
    ]
    slots = {"goal": "travailler comme Karim Benali, mon voisin"}
    made = ticket.build("abc", slots, events, "fr", NOW, scrub)
    text = str(made)
    for personal in ("Karim", "Benali", "0470", "gmail"):
        assert personal not in text
    assert "[téléphone]" in made["questions"][0] and "[e-mail]" in made["questions"][0]


def test_button_taps_are_not_quoted_as_the_visitors_words():
    events = [
        user("jobseeker_registered", "inform"),
        user("skip", "inform"),
        user("+social_help +artistic_create", "inform"),
        user("+", "inform"),
        user("/request_counsellor", "request_counsellor"),
    ]
    assert ticket.build("abc", {}, events, "fr", NOW, scrub)["excerpt"] == []


def test_the_excerpt_keeps_the_last_messages_only_and_shortens_long_ones():
    events = [user(f"question {i} " + "x" * 400, "ask_training", float(i)) for i in range(15)]
    excerpt = ticket.excerpt(events)
    assert len(excerpt) == ticket.EXCERPT_MESSAGES
    assert excerpt[-1]["text"].startswith("question 14")
    assert len(excerpt[-1]["text"]) == ticket.EXCERPT_CHARS and excerpt[-1]["text"].endswith("…")


def told(queue):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.centre_info import load_centre_info
    from actions.handoff.action import tell_wait
    from actions.settings import get_settings

    dispatcher = CollectingDispatcher()
    tell_wait(dispatcher, queue, load_centre_info(get_settings().centre_info_file), "fr")
    return [(m["response"], {k: v for k, v in m.items() if k in ("ahead", "minutes")}) for m in dispatcher.messages]


def test_the_wait_printed_on_a_kiosk_ticket():
    from actions.handoff.action import wait_estimate

    open_queue = {"open_now": True, "on_duty": 2, "position": 4, "estimated_wait_minutes": 23}
    assert wait_estimate(open_queue) == {"ahead": 3, "minutes": 23}
    assert wait_estimate({**open_queue, "position": 1, "estimated_wait_minutes": 0}) == {"ahead": 0, "minutes": 0}
    assert wait_estimate({**open_queue, "open_now": False}) is None
    assert wait_estimate({**open_queue, "on_duty": 0}) is None
    assert wait_estimate(None) is None


def test_the_visitor_hears_the_wait_or_honestly_why_nobody_can_see_them():
    open_queue = {"open_now": True, "on_duty": 2, "position": 4, "estimated_wait_minutes": 23}
    assert told(open_queue) == [("utter_handoff_wait", {"ahead": 3, "minutes": 23})]
    # First in the queue: no "about 0 minutes", and a wait behind others is never 0 minutes.
    assert told({**open_queue, "position": 1, "estimated_wait_minutes": 0}) == [("utter_handoff_no_wait", {})]
    assert told({**open_queue, "position": 2, "estimated_wait_minutes": 0}) == [
        ("utter_handoff_wait", {"ahead": 1, "minutes": 1})
    ]
    assert told({**open_queue, "on_duty": 0})[0][0] == "utter_handoff_nobody_on_duty"
    assert told({**open_queue, "open_now": False})[0][0] == "utter_handoff_closed"
    assert told(None)[0][0] == "utter_handoff_queue_unknown"


def test_a_visitor_who_is_not_there_yet_hears_until_when_the_centre_is_open():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.centre_info import load_centre_info
    from actions.handoff.action import tell_wait
    from actions.settings import get_settings

    centre = load_centre_info(get_settings().centre_info_file)
    open_queue = {"open_now": True, "on_duty": 2, "position": 1, "estimated_wait_minutes": 0}
    for lang, said in (("fr", "17 h"), ("nl", "17")):
        dispatcher = CollectingDispatcher()
        tell_wait(dispatcher, open_queue, centre, lang, closes=17 * 60)
        assert [(m["response"], m.get("time")) for m in dispatcher.messages] == [
            ("utter_handoff_no_wait", None),
            ("utter_handoff_open_until", said),
        ]
    closed = CollectingDispatcher()
    tell_wait(closed, {**open_queue, "open_now": False}, centre, "fr", closes=None)
    assert "utter_handoff_open_until" not in [m["response"] for m in closed.messages]


def test_the_closing_time_of_the_opening_hours_around_now(tmp_path):
    from datetime import datetime

    from common.clock import BRUSSELS
    from knowledge.opening_hours import closing_time, is_open

    centre = tmp_path / "centre.yml"
    centre.write_text('hours:\n  monday: [["09:00", "12:30"], ["13:30", "17:00"]]\n', encoding="utf-8")
    monday = datetime(2026, 12, 7, tzinfo=BRUSSELS)
    assert closing_time(centre, monday.replace(hour=10)) == 12 * 60 + 30
    assert closing_time(centre, monday.replace(hour=14)) == 17 * 60
    assert closing_time(centre, monday.replace(hour=13)) is None and not is_open(centre, monday.replace(hour=13))
    assert closing_time(centre, monday.replace(day=8, hour=10)) is None  # Tuesday: no hours given


def session_started(at):
    return {"event": "session_started", "timestamp": at}


def test_the_client_ref_is_the_same_for_every_try_at_one_sessions_handoff():
    # A retried action, or another action server, must find the ticket already made, not make a second.
    first_try = [
        session_started(100.5),
        user("bonjour", "greet", 101.0),
        user("/request_counsellor", "request_counsellor"),
    ]
    again = first_try + [user("/request_counsellor", "request_counsellor", 130.0)]
    ref = ticket.build("abc", {}, first_try, "fr", NOW, scrub)["client_ref"]
    assert ticket.build("abc", {}, again, "fr", NOW.replace(minute=31), scrub)["client_ref"] == ref
    assert ticket.client_ref("abc", again) == ref and len(ref) == 32
    # Another conversation, or a new session of the same one, is another ticket.
    assert ticket.client_ref("abd", first_try) != ref
    assert ticket.client_ref("abc", again + [session_started(5000.0)]) != ref
    # A sender id is whatever the client sent, a lone surrogate included.
    assert len(ticket.client_ref("\ud800", first_try)) == 32


def test_the_client_key_goes_with_the_ticket_only_in_the_form_the_desk_takes():
    events = [user("/request_counsellor", "request_counsellor")]
    key = "0123456789abcdef" * 2
    assert ticket.client_key({"client_key": key}) == key
    for metadata in (
        None,
        {},
        {"client_key": None},
        {"client_key": "ABCDEF0123456789"},
        {"client_key": "abc"},
        {"client_key": "f" * 65},
        {"client_key": 12345678901234567890},
        {"language": "fr"},
    ):
        assert ticket.client_key(metadata) is None, metadata
    assert ticket.build("abc", {}, events, "fr", NOW, scrub, key)["client_key"] == key
    assert "client_key" not in ticket.build("abc", {}, events, "fr", NOW, scrub, None)


def test_the_area_named_with_the_request_goes_first():
    events = [
        user("/ask_mobility", "ask_mobility"),
        user("je voudrais voir un conseiller en formation", "request_counsellor"),
    ]
    assert ticket.build("abc", {"need_area": "employment"}, events, "fr", NOW, scrub)["area"] == "training"


def test_a_question_that_held_the_request_gives_its_area():
    request = user("c'est quoi le CESS, je peux voir un conseiller ?", "request_counsellor")
    request["parse_data"]["intent_ranking"] = [
        {"name": "request_counsellor", "confidence": 0.91},
        {"name": "ask_education", "confidence": 0.91},
    ]
    assert ticket.build("abc", {}, [request], "fr", NOW, scrub)["area"] == "education"
    # A request the classifier read as one keeps no area from its runner-up.
    request["parse_data"]["intent_ranking"][1]["confidence"] = 0.04
    assert ticket.build("abc", {}, [request], "fr", NOW, scrub)["area"] is None


def test_a_number_told_another_day_is_not_given_again():
    from actions.handoff.action import told_today

    evening = datetime(2026, 12, 7, 16, 30, tzinfo=timezone.utc)  # 17:30 in Brussels
    told = [
        user("un conseiller", "request_counsellor", evening.timestamp()),
        bot("FR-027", "utter_handoff_ticket", evening.timestamp()),
    ]
    assert told_today(told, datetime(2026, 12, 7, 22, 30, tzinfo=timezone.utc))  # 23:30 the same day
    assert not told_today(told, datetime(2026, 12, 7, 23, 30, tzinfo=timezone.utc))  # 00:30 the next day
    assert told_today([user("bonjour", "greet")], evening)  # no trace of when: the slot is kept
