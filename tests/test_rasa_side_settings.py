"""bot/settings.py: the Rasa server's settings, and a wrong one stopping it at start with its name."""

import subprocess

import pytest

from bot.settings import read_settings
from common.defaults import PROJECT_ROOT
from launcher.services import RASA_SERVER


def test_settings_are_read_from_the_environment():
    settings = read_settings({"PASSERELLE_DEFAULT_LANGUAGE": "nl", "PASSERELLE_SCRUB_TIMEOUT": "0.5"})
    assert (settings.default_language, settings.scrub_timeout) == ("nl", 0.5)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PASSERELLE_DEFAULT_LANGUAGE": "en"}, "PASSERELLE_DEFAULT_LANGUAGE must be one of: fr, nl"),
        ({"PASSERELLE_ACTION_TIMEOUT": "soon"}, "PASSERELLE_ACTION_TIMEOUT is not a valid float"),
        ({"PASSERELLE_TICKET_LIMIT_EXEMPT": "10.0.0.300/8"}, "PASSERELLE_TICKET_LIMIT_EXEMPT is not a valid tuple"),
    ],
)
def test_a_wrong_setting_is_named(environ, named):
    with pytest.raises(ValueError, match=named):
        read_settings(environ)


@pytest.mark.servers  # the Rasa environment
def test_the_rasa_server_refuses_to_start_with_a_wrong_setting():
    result = subprocess.run(
        [*RASA_SERVER, "run"],
        cwd=PROJECT_ROOT,
        env={"PASSERELLE_DEFAULT_LANGUAGE": "de", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().endswith("PASSERELLE_DEFAULT_LANGUAGE must be one of: fr, nl")
    assert "Traceback" not in result.stderr
