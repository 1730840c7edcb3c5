"""Where the servers listen, from `PASSERELLE_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from common import defaults
from common.service_settings import PasserelleSettings


class LauncherSettings(PasserelleSettings):
    # Rasa listens on loopback unless told otherwise; its HTTP API needs `rasa_token`.
    rasa_host: str = defaults.LOOPBACK
    rasa_port: int = defaults.RASA_PORT
    actions_port: int = defaults.ACTIONS_PORT
    # The web service: the search API, the widget and the kiosk.
    web_host: str = defaults.LOOPBACK
    web_port: int = defaults.WEB_PORT
    # The counsellor desk: ticket API, desk pages, statistics.
    desk_host: str = defaults.LOOPBACK
    desk_port: int = defaults.DESK_PORT
    # `make run` is for development: a missing service token is generated and printed,
    # and a demo counsellor account is made. A production set-up runs the services
    # with its own secrets (docs/operations.md).
    dev_mode: bool = True
    model: Path = defaults.PROJECT_ROOT / "models" / "passerelle.tar.gz"
    # Seconds to wait for a server to answer after start.
    start_timeout: float = 180.0
    # The desk's database (the desk reads the same variable).
    desk_db_url: str = Field(defaults.DESK_DB_URL, validation_alias="DATABASE_URL")
    # `make run-scaled`: nginx's ports for visitors and for the desk, Rasa's lock store shared by the
    # instances (also read by `python -m launcher.endpoints`; empty: Rasa's in-memory lock, one instance
    # only), and the folder for nginx's configuration and logs, the endpoints files and the outboxes.
    edge_port: int = 8080
    edge_desk_port: int = 8081
    redis_url: str = "redis://127.0.0.1:6379/1"
    scaled_dir: Path = defaults.VAR_DIR / "scaled"

    @property
    def edge_url(self) -> str:
        return f"http://127.0.0.1:{self.edge_port}"
