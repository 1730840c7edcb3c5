"""Where the servers listen, from `PASSERELLE_*` environment variables."""
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class LauncherSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSERELLE_")

    # Rasa listens on loopback unless told otherwise; its HTTP API needs `rasa_token` (below).
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    # Fixed because endpoints.yml names it (Rasa's convention).
    actions_port: int = 5055
    # The web service: the search API (and, later, the pages).
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    # The counsellor desk: ticket API, desk pages, statistics.
    desk_host: str = "127.0.0.1"
    desk_port: int = 8001
    # `make run` is for development: a missing service token is generated and printed,
    # and a demo counsellor account is made. A production set-up runs the services
    # with its own secrets (docs/operations.md).
    dev_mode: bool = True
    # Lets the action server and the Rasa server call the desk (PASSERELLE_SERVICE_TOKEN).
    service_token: str = ""
    # Rasa's HTTP API (`?token=`): the action server uses it to tell a conversation its final
    # ticket number; generated in development mode like the service token.
    rasa_token: str = ""
    # Origins allowed to call Rasa's channels from a browser (space separated).
    cors_origins: str = "http://127.0.0.1:8000 http://localhost:8000"
    model: Path = PROJECT_ROOT / "models" / "passerelle.tar.gz"
    # Seconds to wait for a server to answer after start.
    start_timeout: float = 180.0
