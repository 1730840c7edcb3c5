"""Desk service settings, read from `PASSERELLE_*` environment variables (and `DATABASE_URL`)."""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache

from pydantic import AliasChoices, Field

from common import defaults
from common.service_settings import PasserelleSettings

SECRETS = {"service_token": "PASSERELLE_SERVICE_TOKEN", "session_secret": "PASSERELLE_SESSION_SECRET"}
log = logging.getLogger(__name__)


class DeskSettings(PasserelleSettings):
    database_url: str = Field(defaults.DESK_DB_URL, validation_alias=AliasChoices("DATABASE_URL", "database_url"))
    # Signs the counsellors' session cookies.
    session_secret: str = ""
    # Development mode: missing secrets are generated, and `python -m desk.accounts demo` works.
    dev_mode: bool = False
    retention_days: int = Field(30, ge=1)
    retention_interval_hours: float = Field(6, gt=0)
    # Rasa's conversation events (tracker_db_url) are deleted after retention_days too.
    # A ticket waiting longer than this shows to every counsellor on duty, whatever their languages and areas.
    overdue_minutes: int = Field(20, ge=1)
    minutes_per_visitor: int = Field(15, ge=1)
    # Secure flag on the session cookie: set it when the desk is served over HTTPS.
    cookie_secure: bool = False
    # Opening hours come from centre_info_file (key `hours`), shared with the assistant's practical answers.
    # Login attempts: this many failures are free, per account and per client address (higher: the
    # counsellors of the centre may share one); each further attempt waits 1 s, 2 s, 4 s … after the last
    # failure, at most login_max_delay_seconds. A count is forgotten login_failures_kept_hours after its last
    # failure; a successful login clears its account's.
    login_free_failures: int = Field(5, ge=1)
    login_free_failures_per_address: int = Field(20, ge=1)
    login_max_delay_seconds: int = Field(900, ge=1)
    login_failures_kept_hours: float = Field(24, gt=0)
    # New tickets in the last hour per conversation and per client address (the outbox's tickets, which
    # already have the number the visitor was told, are never refused).
    tickets_per_conversation_per_hour: int = Field(3, ge=1)
    tickets_per_address_per_hour: int = Field(10, ge=1)


class MissingSecret(SystemExit):
    """A secret is missing outside development mode: the service refuses to start."""


def with_secrets(settings: DeskSettings) -> DeskSettings:
    """The settings with both secrets set: generated (and shown once) in dev mode, else MissingSecret."""
    missing = [name for name in SECRETS if not getattr(settings, name)]
    if not missing:
        return settings
    if not settings.dev_mode:
        names = " and ".join(SECRETS[name] for name in missing)
        raise MissingSecret(
            f"The desk service cannot start: set {names} (or PASSERELLE_DEV_MODE=true to "
            "have them generated, for development only)."
        )
    generated = {name: secrets.token_urlsafe(32) for name in missing}
    for name, value in generated.items():
        # WARNING so that it shows without any logging set up; dev mode only.
        log.warning("Development mode: generated %s=%s", SECRETS[name], value)
    return settings.model_copy(update=generated)


@lru_cache
def get_settings() -> DeskSettings:
    return DeskSettings()
