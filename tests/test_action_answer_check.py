"""The Rasa server checks the action server's answers as Rasa does, with a validator built once (bot/server.py).

Runs in the Rasa server's own environment (Python 3.10, Rasa's jsonschema), as the server does.
"""

import json
import subprocess

import pytest

from common.defaults import PROJECT_ROOT
from launcher.services import RASA_SERVER, SERVER_ENV

pytestmark = pytest.mark.servers

ANSWERS = {
    "an action's answer": {
        "events": [{"event": "slot", "name": "language", "value": "nl", "timestamp": None}],
        "responses": [{"text": "Hallo", "buttons": []}],
    },
    "nothing to do": {"events": [], "responses": []},
    "an event without its kind": {"events": [{"name": "language"}], "responses": []},
    "events that are not a list": {"events": {"event": "slot"}, "responses": []},
    "a response that is not an object": {"events": [], "responses": ["Hallo"]},
}

# For each answer: Rasa's own check (jsonschema.validate) and ours, as the message of the error each raises.
COMPARE = """
import json, sys
import jsonschema
from rasa.core.actions.action import RemoteAction
from bot import server

def outcome(check, answer):
    try:
        check(answer)
    except jsonschema.ValidationError as error:
        return error.message
    return None

answers = json.loads(sys.stdin.read())
schema = RemoteAction.action_response_format_spec()
rasa = {name: outcome(lambda a: jsonschema.validate(a, schema), answer) for name, answer in answers.items()}
server.install()
action = RemoteAction("action_orientation_summary", None)
ours = {name: outcome(action._validate_action_result, answer) for name, answer in answers.items()}
print(json.dumps({"rasa": rasa, "ours": ours}))
"""


def test_answers_are_accepted_and_refused_as_rasa_does():
    python = RASA_SERVER[0]
    done = subprocess.run(
        [python, "-c", COMPARE],
        input=json.dumps(ANSWERS),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**SERVER_ENV, "PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=True,
    )
    outcomes = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcomes["ours"] == outcomes["rasa"]
    assert outcomes["ours"]["an action's answer"] is None
    assert outcomes["ours"]["nothing to do"] is None
    refused = [name for name, message in outcomes["ours"].items() if message is not None]
    assert sorted(refused) == sorted(
        ["an event without its kind", "events that are not a list", "a response that is not an object"]
    )
