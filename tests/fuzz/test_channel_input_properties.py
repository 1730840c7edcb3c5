"""bot/channel_input.py, in process: what both channels accept from outside, under generated input.

The same contract as tests/fuzz/test_channels_fuzz.py checks on the live server, here with shrinking,
so that a failure comes with the smallest input that shows it.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channel_input import MAX_BODY_BYTES, InvalidInput, rest_message, socketio_metadata
from tests.fuzz.strategies import (
    hostile_bodies,
    hostile_text,
    invalid_messages,
    json_values,
    metadata_objects,
    valid_sender,
)

# The only metadata a client may pass on to Rasa. In particular it cannot set `client_key`, which the
# channels add themselves for the per-address ticket limit.
KEPT_METADATA_KEYS = {"language"}


@settings(max_examples=500)
@given(body=hostile_bodies)
def test_rest_message_accepts_only_what_the_contract_allows(body: bytes) -> None:
    try:
        message = rest_message(body)
    except InvalidInput as refusal:
        assert refusal.status in (400, 413)
        assert set(refusal.body()) == {"error", "detail"}
        return
    assert len(body) <= MAX_BODY_BYTES and valid_sender(message.sender)
    message.text.encode("utf-8")  # storable: no lone surrogate left
    assert set(message.metadata) <= KEPT_METADATA_KEYS


@settings(max_examples=300)
@given(body=invalid_messages())
def test_rest_message_refuses_every_invalid_message(body: bytes) -> None:
    with pytest.raises(InvalidInput) as refusal:
        rest_message(body)
    assert refusal.value.status == (413 if len(body) > MAX_BODY_BYTES else 400)


@settings(max_examples=300)
@given(
    data=st.dictionaries(
        st.sampled_from(["metadata", "customData"]),
        st.one_of(json_values, hostile_text, json_values.map(json.dumps), metadata_objects),
    )
)
def test_socketio_metadata_is_an_object_of_known_keys_or_refused(data: dict) -> None:
    try:
        metadata = socketio_metadata(data, "metadata")
    except InvalidInput as refusal:
        assert refusal.status == 400
        return
    assert isinstance(metadata, dict) and set(metadata) <= KEPT_METADATA_KEYS
