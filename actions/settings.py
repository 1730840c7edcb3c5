"""Action server settings, read from `PASSERELLE_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import model_validator

from common import defaults
from common.service_settings import PasserelleSettings
from common.tickets import outbox_share


class ActionSettings(PasserelleSettings):
    # Rasa waits 3.5 s for an action and the visitor must have a reply within 5 s: each call below is
    # bounded as a whole (connecting, sending and reading), and only one of them is on a visitor's path.
    # The web service's search API, started by `make run` next to the action server.
    search_url: str = defaults.WEB_URL
    search_timeout: float = 2.5
    # The counsellor desk (desk_url), which receives handoff tickets and usage counts.
    desk_timeout: float = 2.0
    # Tickets the desk could not take yet wait here and are sent again every few seconds.
    outbox_file: Path = defaults.VAR_DIR / "outbox.db"
    outbox_retry_seconds: float = 10.0
    # With several action servers (`make run-scaled`, deploy/systemd), each gives its own share of the
    # outbox numbers: this one is `instance` (from 1) of `instances`.
    instance: int = 1
    instances: int = 1

    @model_validator(mode="after")
    def instance_in_range(self) -> ActionSettings:
        outbox_share(self.instance, self.instances)  # a ValueError names both values
        return self

    # The Rasa server's HTTP API, through which the outbox tells a visitor that the desk gave their ticket
    # another number. Without rasa_token the outbox does not call it (the launcher passes both).
    rasa_url: str = defaults.RASA_URL
    # Off the visitor's path (the outbox's loop): Rasa may first finish the conversation's current turn.
    rasa_timeout: float = 10.0


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
