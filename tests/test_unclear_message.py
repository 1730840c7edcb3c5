"""Counting unclear messages in a row (actions/unclear_message.py)."""

from actions.unclear_message import unclear_turns_in_a_row


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def bot():
    return {"event": "bot", "text": "…"}


def test_counts_only_the_latest_run_of_unclear_messages():
    events = [
        user("nlu_fallback"),
        bot(),
        user("greet"),
        bot(),
        user("out_of_scope"),
        bot(),
        {"event": "action", "name": "action_listen"},
        user("nlu_fallback"),
    ]
    assert unclear_turns_in_a_row(events) == 2


def test_a_clear_message_resets_the_count():
    assert unclear_turns_in_a_row([user("nlu_fallback"), bot(), user("ask_training")]) == 0


def test_no_events():
    assert unclear_turns_in_a_row([]) == 0
