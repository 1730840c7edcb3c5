"""Action server settings, read from `PASSERELLE_*` environment variables."""
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ActionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSERELLE_")

    # Language of the first reply when the first message says nothing about it.
    default_language: Literal["fr", "nl"] = "fr"
    centre_info_file: Path = PROJECT_ROOT / "knowledge" / "centre.yml"


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
