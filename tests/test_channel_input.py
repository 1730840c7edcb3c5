"""The channels' pure checks (bot/channel_input.py): payloads, client keys. No server needed."""

from __future__ import annotations

import ipaddress
from datetime import date

import pytest

from bot.channel_input import InvalidInput, client_key, socketio_metadata, visitor_text

INTENTS = {"choose_language", "request_counsellor", "restart", "EXTERNAL_ticket_renumbered"}
ENTITIES = {"language", "ticket_number"}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("/request_counsellor", "/request_counsellor"),
        ('/choose_language{"language": "nl"}', '/choose_language{"language": "nl"}'),
        # Not this assistant's payloads: read as words, so nothing is reset silently or logged by Rasa.
        ("/restart", "restart"),
        ("/inform{secret", "inform{secret"),
        ('/choose_language{"colour": "nl"}', 'choose_language{"colour": "nl"}'),
        ('/choose_language{"language": true}', 'choose_language{"language": true}'),
        ('/choose_language{"language": "nl"}@0.9', 'choose_language{"language": "nl"}@0.9'),
        # For the assistant's own services only (Rasa's HTTP API with its token).
        (
            '/EXTERNAL_ticket_renumbered{"ticket_number": "FR-999"}',
            'EXTERNAL_ticket_renumbered{"ticket_number": "FR-999"}',
        ),
        ("//", ""),
        (" /restart", "restart"),
        (
            '\n /EXTERNAL_ticket_renumbered{"ticket_number": "FR-001"} ',
            'EXTERNAL_ticket_renumbered{"ticket_number": "FR-001"}',
        ),
        ("bonjour /restart", "bonjour /restart"),
    ],
)
def test_only_this_assistants_payloads_are_read_as_payloads(typed, read):
    assert visitor_text(typed, INTENTS, ENTITIES) == read


EXEMPT = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("10.20.0.0/16"))


def test_client_key_is_pseudonymous_and_changes_every_day():
    day = date(2026, 12, 4)
    key = client_key("203.0.113.7", "secret", day, EXEMPT)
    assert key and len(key) == 32 and "203" not in key
    assert client_key("203.0.113.7", "secret", day, EXEMPT) == key
    assert client_key("203.0.113.8", "secret", day, EXEMPT) != key
    assert client_key("203.0.113.7", "secret", date(2026, 12, 5), EXEMPT) != key


@pytest.mark.parametrize("address", ["127.0.0.1", "10.20.3.4", None, "", "not an address"])
def test_no_client_key_for_shared_or_unknown_addresses(address):
    assert client_key(address, "secret", date(2026, 12, 4), EXEMPT) is None


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        ({"metadata": {"language": "nl"}}, {"language": "nl"}),
        ({"customData": {"language": "nl-BE"}}, {"language": "nl"}),
        ({"customData": '{"language": "FR"}'}, {"language": "fr"}),
        ({"customData": {"language": "en"}}, {}),
        # Passerelle's own metadata wins over what a page put in customData.
        ({"customData": {"language": "nl"}, "metadata": {"language": "fr"}}, {"language": "fr"}),
        ({"customData": {"language": "nl"}, "metadata": {}}, {"language": "nl"}),
    ],
)
def test_socketio_language_from_metadata_or_custom_data(data, kept):
    assert socketio_metadata(data, "metadata") == kept


@pytest.mark.parametrize("custom_data", ["not json", "[1, 2]", 12, ["nl"]])
def test_custom_data_that_is_not_an_object_is_ignored(custom_data):
    data = {"customData": custom_data, "metadata": {"language": "nl"}}
    assert socketio_metadata(data, "metadata") == {"language": "nl"}


def test_metadata_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidInput):
        socketio_metadata({"metadata": "not json"}, "metadata")
