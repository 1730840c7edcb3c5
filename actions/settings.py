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
    # The search API (search_api), started by `make run` next to the action server.
    search_url: str = "http://127.0.0.1:8000"
    search_timeout: float = 10.0
    # The counsellor desk (desk/), which receives handoff tickets and usage counts.
    desk_url: str = "http://127.0.0.1:8001"
    desk_timeout: float = 3.0
    # Shared with the desk service; `make run` generates one in development mode.
    service_token: str = ""
    # Tickets the desk could not take yet wait here and are sent again every few seconds.
    outbox_file: Path = PROJECT_ROOT / "var" / "outbox.db"
    outbox_retry_seconds: float = 10.0


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
