"""Action server settings, read from `PASSERELLE_*` environment variables."""
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.settings import PROJECT_ROOT


class ActionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSERELLE_")

    # Language of the first reply when the first message says nothing about it.
    default_language: Literal["fr", "nl"] = "fr"
    centre_info_file: Path = PROJECT_ROOT / "knowledge" / "centre.yml"
    # Rasa waits 3.5 s for an action and the visitor must have a reply within 5 s: each call below is
    # bounded as a whole (connecting, sending and reading), and only one of them is on a visitor's path.
    # The search API (search_api), started by `make run` next to the action server.
    search_url: str = "http://127.0.0.1:8000"
    search_timeout: float = 2.5
    # The counsellor desk (desk/), which receives handoff tickets and usage counts.
    desk_url: str = "http://127.0.0.1:8001"
    desk_timeout: float = 2.0
    # Shared with the desk service; `make run` generates one in development mode.
    service_token: str = ""
    # Tickets the desk could not take yet wait here and are sent again every few seconds.
    outbox_file: Path = PROJECT_ROOT / "var" / "outbox.db"
    outbox_retry_seconds: float = 10.0
    # The Rasa server's HTTP API, through which the outbox tells a visitor that the desk gave their ticket
    # another number. Without a token the outbox does not call it (the launcher passes both).
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    # Off the visitor's path (the outbox's loop): Rasa may first finish the conversation's current turn.
    rasa_timeout: float = 10.0


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
