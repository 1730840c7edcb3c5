"""Hypothesis strategies for what a client can send to the assistant's channels.

Text is drawn from all of Unicode, lone surrogates included (`st.characters()` without a codec), and
mixed with pieces known to break services: NUL and other control characters, bidirectional and
invisible characters, button payloads with broken entities, very long runs. JSON bodies are encoded
the ways a client can encode them: escaped ASCII ("\\ud800" in the JSON text), UTF-8, and invalid
UTF-8 (a lone surrogate encoded as is).
"""

from __future__ import annotations

import json
import operator
import string

from hypothesis import strategies as st

SENDER_CHARACTERS = string.ascii_letters + string.digits + "-_.:@"
MAX_SENDER_CHARS = 128

# Pieces that random text seldom contains: NUL (PostgreSQL refuses it in any text value) and other controls,
# lone surrogates, bidirectional and invisible characters, format strings, injections.
TRICKY_PIECES = [
    "",
    " ",
    "\x00",
    "\x07",
    "\x1b[2J",
    "\r\n",
    "\t",
    "\u2028",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ufffd",
    "\ud800",
    "\udfff",
    "\ud83d",
    "\U0001f600",
    "e\u0301",
    "\uffff",
    "%00",
    "%s%n",
    "{}",
    "null",
    # Button payloads: Rasa reads `/intent{json entities}` as an intent with entities.
    "/restart",
    "/session_start",
    "/request_counsellor",
    "/nonexistent_intent",
    '/greet{"language": "nl"}',
    '/choose_language{"language": ["fr", "nl"]}',
    "/inform{",
    '/inform{"x": 1e999}',
    "/" * 50,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "${jndi:ldap://127.0.0.1/a}",
    "a\x00b",
    "é" * 600,
]

valid_senders = st.text(SENDER_CHARACTERS, min_size=1, max_size=MAX_SENDER_CHARS)
tricky_pieces = st.sampled_from(TRICKY_PIECES)
any_text = st.text(st.characters(), max_size=300)
long_text = st.builds(operator.mul, st.text(st.characters(), min_size=1, max_size=3), st.integers(500, 5000))
hostile_text = st.one_of(
    any_text,
    tricky_pieces,
    long_text,
    st.lists(st.one_of(tricky_pieces, any_text), min_size=2, max_size=6).map("".join),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(hostile_text, children, max_size=4),
    max_leaves=12,
)


def valid_sender(value: object) -> bool:
    """The channels' contract for a sender or session id, written out here rather than imported from
    bot/channel_input.py, so that the tests also catch the code drifting from what clients were told."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_SENDER_CHARS
        and all(character in SENDER_CHARACTERS for character in value)
    )


invalid_senders = st.one_of(
    json_values.filter(lambda value: not valid_sender(value)),
    st.just(""),
    st.text(SENDER_CHARACTERS, min_size=MAX_SENDER_CHARS + 1, max_size=MAX_SENDER_CHARS + 50),
    # A valid id with a character it may not contain somewhere inside.
    st.tuples(
        valid_senders, hostile_text.filter(lambda text: any(c not in SENDER_CHARACTERS for c in text)), valid_senders
    ).map("".join),
)
metadata_objects = st.one_of(
    st.dictionaries(hostile_text, json_values, max_size=4),
    st.fixed_dictionaries({"language": st.one_of(st.sampled_from(["fr", "nl", "en", "FR", ""]), json_values)}),
)


@st.composite
def encoded_json(draw: st.DrawFn, values: st.SearchStrategy) -> bytes:
    """`values` as a JSON body, encoded as a client may encode it (invalid UTF-8 included)."""
    value = draw(values)
    if draw(st.booleans()):
        return json.dumps(value).encode("ascii")
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def nested(depth: int, opening: str, closing: str, inner: str = "1") -> str:
    return opening * depth + inner + closing * depth


deeply_nested = st.builds(
    lambda depth, kind: {
        "arrays": nested(depth, "[", "]"),
        "objects": nested(depth, '{"a":', "}"),
        "metadata": '{"sender":"deep","message":"bonjour","metadata":' + nested(depth, '{"a":', "}") + "}",
    }[kind].encode(),
    st.integers(2, 40_000),
    st.sampled_from(["arrays", "objects", "metadata"]),
)


@st.composite
def message_objects(
    draw: st.DrawFn, sender: st.SearchStrategy, message: st.SearchStrategy, metadata: st.SearchStrategy
) -> dict:
    """A message object, each of `sender`, `message` and `metadata` possibly left out, other keys added."""
    fields = draw(st.fixed_dictionaries({}, optional={"sender": sender, "message": message, "metadata": metadata}))
    return {**draw(st.dictionaries(hostile_text, json_values, max_size=2)), **fields}


odd_fields = st.one_of(json_values, hostile_text, valid_senders, metadata_objects)
hostile_bodies = st.one_of(
    st.binary(max_size=2048),
    encoded_json(json_values),
    encoded_json(message_objects(odd_fields, odd_fields, odd_fields)),
    encoded_json(message_objects(valid_senders, hostile_text, odd_fields)),
    deeply_nested,
)


def parses_as_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except (ValueError, RecursionError):
        return False


@st.composite
def invalid_messages(draw: st.DrawFn) -> bytes:
    """REST bodies the contract refuses, each for one reason at least."""
    reason = draw(st.sampled_from(["not json", "not an object", "sender", "message", "metadata"]))
    if reason == "not json":
        return draw(
            st.one_of(st.binary(max_size=512), hostile_text.map(lambda text: text.encode("utf-8", "replace"))).filter(
                lambda body: not parses_as_object(body)
            )
        )
    if reason == "not an object":
        return draw(encoded_json(json_values.filter(lambda value: not isinstance(value, dict))))
    fields = {
        "sender": draw(invalid_senders if reason == "sender" else valid_senders),
        "message": draw(
            json_values.filter(lambda value: not isinstance(value, str)) if reason == "message" else hostile_text
        ),
    }
    if reason == "metadata":
        # A null metadata counts as none, as in Rasa's own channels.
        fields["metadata"] = draw(json_values.filter(lambda value: value is not None and not isinstance(value, dict)))
    elif draw(st.booleans()):
        fields["metadata"] = draw(metadata_objects)
    if reason in ("sender", "message") and draw(st.booleans()):
        del fields[reason]
    return draw(encoded_json(st.just(fields)))
