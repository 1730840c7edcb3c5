"""Visitor chat settings, read from `PASSERELLE_*` environment variables."""

from functools import lru_cache

from pydantic import Field

from common import defaults
from common.service_settings import PasserelleSettings


class VisitorChatSettings(PasserelleSettings):
    # Where visitors' browsers reach the Rasa server (a script tag's data-server overrides it).
    public_rasa_url: str = defaults.RASA_URL
    # The kiosk asks whether someone is still there after this much silence...
    kiosk_idle_seconds: int = Field(90, ge=10)
    # ...and wipes the conversation if nobody answers within this.
    kiosk_warning_seconds: int = Field(30, ge=5)
    # Longest kiosk conversation before it starts over.
    kiosk_session_minutes: int = Field(20, ge=1)


@lru_cache(maxsize=1)
def get_settings() -> VisitorChatSettings:
    return VisitorChatSettings()
