"""The base of the Python 3.11 services' settings: `PASSERELLE_*` variables, and the settings they share.

The one module of common/ that needs a package (pydantic-settings): the Rasa server's code never
imports it and reads the same defaults through bot/settings.py. Each service's settings class adds
its own fields to this base; a field shared by two services is declared here, once.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from common import defaults
from common.vocabulary import DEFAULT_LANGUAGE, Language


class PasserelleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=defaults.ENV_PREFIX, populate_by_name=True)

    # Language of a reply when nothing tells the visitor's.
    default_language: Language = DEFAULT_LANGUAGE
    # Bearer token between the services (the action server and the Rasa server call the desk with it);
    # `make run` generates one in development mode.
    service_token: str = ""
    # The counsellor desk: tickets, scrubbing, usage counts.
    desk_url: str = defaults.DESK_URL
    # Rasa's HTTP API token (`?token=`): the action server uses it to tell a conversation its final
    # ticket number; generated in development mode like the service token.
    rasa_token: str = ""
    # Where conversations are stored (any SQLAlchemy URL): Rasa writes them, the desk's retention purges them.
    tracker_db_url: str = defaults.TRACKER_DB_URL
    # Browser origins allowed on Rasa's channels (space separated).
    cors_origins: str = defaults.CORS_ORIGINS
    centre_info_file: Path = defaults.CENTRE_INFO_FILE
