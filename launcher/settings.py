"""Where the servers listen, from `PASSERELLE_*` environment variables."""

from __future__ import annotations

from pathlib import Path

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
