"""Starting the service: secrets required outside development mode, generated in it; opening hours."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime

import pytest

from common.clock import BRUSSELS
from common.defaults import PROJECT_ROOT
from desk.main import create_app
from desk.settings import DeskSettings
from knowledge.opening_hours import is_open


def start(env: dict) -> subprocess.CompletedProcess:
    """Imports `desk.main:app` as uvicorn does, and stops there."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("PASSERELLE_")}
    return subprocess.run(
        [sys.executable, "-c", "import uvicorn.importer as i; i.import_from_string('desk.main:app')"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**clean, **env},
        timeout=120,
    )


def test_without_secrets_the_service_refuses_to_start():
    refused = start({"PASSERELLE_SESSION_SECRET": "set"})
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "The desk service cannot start: set PASSERELLE_SERVICE_TOKEN (or PASSERELLE_DEV_MODE=true to have them "
        "generated, for development only)."
    )
    assert "Traceback" not in refused.stderr


def test_in_dev_mode_missing_secrets_are_generated_and_shown(caplog):
    with caplog.at_level(logging.WARNING):
        app = create_app(DeskSettings(dev_mode=True, service_token="", session_secret=""))
    token = app.state.settings.service_token
    assert token and app.state.settings.session_secret
    assert f"PASSERELLE_SERVICE_TOKEN={token}" in caplog.text
    started = start({"PASSERELLE_DEV_MODE": "true"})
    assert started.returncode == 0 and "PASSERELLE_SERVICE_TOKEN=" in started.stderr


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-11-23 10:00", True),
        ("2026-11-23 12:45", False),
        ("2026-11-23 17:00", True),
        ("2026-11-23 17:30", False),
        ("2026-11-22 10:00", False),
        ("2026-11-23 08:59", False),
    ],
)
def test_opening_hours_in_brussels_time(tmp_path, moment, expected):
    centre = tmp_path / "centre.yml"
    # Unquoted 17:30 is a YAML 1.1 base-60 number: read as minutes all the same.
    centre.write_text('hours:\n  monday: [["09:00", "12:30"], ["13:30", 17:30]]\n  sunday: []\n', encoding="utf-8")
    assert is_open(centre, datetime.fromisoformat(moment).replace(tzinfo=BRUSSELS)) is expected


def test_without_hours_the_desk_assumes_weekdays_nine_to_five(tmp_path, caplog):
    centre = tmp_path / "centre.yml"
    centre.write_text("website: https://www.citedesmetiers.brussels\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert is_open(centre, datetime(2026, 11, 27, 16, 59, tzinfo=BRUSSELS))  # a Friday
    assert "no `hours`" in caplog.text
    assert not is_open(centre, datetime(2026, 11, 27, 17, 0, tzinfo=BRUSSELS))
    assert not is_open(centre, datetime(2026, 11, 28, 11, 0, tzinfo=BRUSSELS))  # Saturday
