"""What the Rasa server's channels accept and refuse (bot/channels.py), on the real server.

Socket.IO's refusals, and generated inputs on both channels, are in tests/fuzz/."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
import socketio
from markdown_it import MarkdownIt

pytestmark = pytest.mark.servers


@pytest.fixture
def rest(servers):
    with httpx.Client(base_url=servers.rasa_url, timeout=30) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (b"[]", 400, "invalid_json"),
        (b"null", 400, "invalid_json"),
        (b"123", 400, "invalid_json"),
        (b'"x"', 400, "invalid_json"),
        (b"", 400, "invalid_json"),
        (b"{not json", 400, "invalid_json"),
        (b"[" * 30_000 + b"]" * 30_000, 400, "invalid_json"),
        (b'{"message": "bonjour"}', 400, "invalid_sender"),
        (b'{"sender": "\\ud800", "message": "bonjour"}', 400, "invalid_sender"),
        (b'{"sender": "a b", "message": "bonjour"}', 400, "invalid_sender"),
        (b'{"sender": 12, "message": "bonjour"}', 400, "invalid_sender"),
        (b'{"sender": "' + b"x" * 129 + b'", "message": "bonjour"}', 400, "invalid_sender"),
        (b'{"sender": "ok", "message": ["bonjour"]}', 400, "invalid_message"),
        (b'{"sender": "ok"}', 400, "invalid_message"),
        (b'{"sender": "ok", "message": "bonjour", "metadata": "x"}', 400, "invalid_metadata"),
        (b'{"sender": "ok", "message": "' + b"a" * 70_000 + b'"}', 413, "body_too_large"),
    ],
)
def test_malformed_rest_bodies_get_a_clear_4xx(rest, body, status, error):
    response = rest.post("/webhooks/rest/webhook", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["detail"]


def test_unreadable_characters_in_a_message_are_replaced_not_refused(rest, assistant, sender):
    response = rest.post(
        "/webhooks/rest/webhook", content=b'{"sender": "%s", "message": "bonjour \\ud800"}' % sender.encode()
    )
    assert response.status_code == 200 and response.json()
    user = [event for event in assistant.tracker(sender)["events"] if event["event"] == "user"]
    assert user[-1]["text"] == "bonjour \ufffd"


def test_only_the_metadata_the_assistant_uses_is_stored(assistant, sender):
    assistant.send(sender, "hallo", metadata={"language": "nl", "email": "x@example.org", "deep": {"a": [1]}})
    user = [event for event in assistant.tracker(sender)["events"] if event["event"] == "user"]
    # Rasa adds its own model ids; loopback is exempt from the per-address limit, so no client_key.
    kept = {key: value for key, value in user[-1]["metadata"].items() if key not in ("assistant_id", "model_id")}
    assert kept == {"language": "nl"}


def test_button_payloads_are_sent_as_written_and_log_no_error(servers, assistant, sender):
    replies = assistant.send(sender, "bonjour")
    payloads = [button["payload"] for reply in replies for button in reply.get("buttons", [])]
    assert '/choose_language{"language": "nl"}' in payloads
    servers.log.flush()
    assert "interpolator" not in Path(servers.log.name).read_text(encoding="utf-8", errors="replace")


def test_rasa_http_api_needs_its_token(servers, sender):
    for path in (f"/conversations/{sender}/tracker", "/status", "/domain"):
        assert httpx.get(servers.rasa_url + path, timeout=10).status_code == 401
    injected = httpx.post(
        f"{servers.rasa_url}/conversations/{sender}/tracker/events", json={"event": "bot", "text": "fake"}, timeout=10
    )
    assert injected.status_code == 401
    assert httpx.put(f"{servers.rasa_url}/model", json={}, timeout=10).status_code == 401


def test_each_reply_names_its_language_and_a_switch_is_named_at_once(assistant, sender):
    replies = assistant.send(sender, "bonjour", metadata={"language": "fr"})
    assert replies and {reply.get("language") for reply in replies} == {"fr"}
    # Written in Dutch from a French page: the assistant answers in Dutch and says so, for the page to follow.
    replies = assistant.send(sender, "Hoe schrijf ik me in als werkzoekende in Brussel?", metadata={"language": "fr"})
    assert replies and {reply.get("language") for reply in replies} == {"nl"}


def test_a_questionnaire_question_says_which_one_it_asks_on_both_channels(servers, assistant, sender):
    replies = assistant.send(sender, "/start_orientation", metadata={"language": "fr"})
    assert replies[-1].get("asks_for") == "situation" and "asks_for" not in replies[0]
    client = socketio.SimpleClient(websocket_extra_options={"origin": servers.web.address})
    client.connect(servers.rasa_url, transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": uuid.uuid4().hex})
        event, session_id = client.receive(timeout=10)
        client.emit("user_uttered", {"session_id": session_id, "message": "/start_orientation"})
        received = [client.receive(timeout=30)[1] for _ in range(2)]  # the introduction, then the question
        assert [reply.get("asks_for") for reply in received] == [None, "situation"]
    finally:
        client.disconnect()


def test_a_markdown_client_keeps_an_answers_lines_apart(servers):
    """rasa-webchat renders Markdown, which joins single lines: over Socket.IO each line break is a hard one."""
    client = socketio.SimpleClient(websocket_extra_options={"origin": servers.web.address})
    client.connect(servers.rasa_url, transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": uuid.uuid4().hex})
        session_id = client.receive(timeout=10)[1]
        question = "Comment m'inscrire chez Actiris ?"
        client.emit("user_uttered", {"session_id": session_id, "message": question, "customData": {"language": "fr"}})
        answer = client.receive(timeout=30)[1]
    finally:
        client.disconnect()
    lines = answer["text"].split("  \n")
    assert len(lines) >= 2 and "\n" not in "".join(lines)
    html = MarkdownIt().render(answer["text"])
    assert html.count("<br />") == len(lines) - 1


@pytest.mark.parametrize(("custom_data", "language"), [({"language": "nl-BE"}, "nl"), ('{"language": "fr"}', "fr")])
def test_rasa_web_clients_give_the_language_in_custom_data(servers, custom_data, language):
    """rasa-webchat sends the page's language as `customData`, beside the message, as an object or a string."""
    origin = servers.web.address
    client = socketio.SimpleClient(websocket_extra_options={"origin": origin})
    client.connect(servers.rasa_url, transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": uuid.uuid4().hex, "customData": custom_data})
        event, session_id = client.receive(timeout=10)
        assert event == "session_confirm"
        client.emit("user_uttered", {"session_id": session_id, "message": "/greet", "customData": custom_data})
        event, reply = client.receive(timeout=30)
        assert event == "bot_uttered" and reply["language"] == language
        assert reply["text"].startswith({"fr": "Bonjour", "nl": "Hallo"}[language])
    finally:
        client.disconnect()
