"""Where Passerelle's parts find each other on one machine, and the other defaults more than one part reads.

Standard library only: the Rasa server's settings (bot/settings.py, Python 3.10) and the services'
(common/service_settings.py, Python 3.11) both take their defaults from here, so that a default is
written once. Every value can be changed by its `PASSERELLE_*` variable (README, "Configuration").
"""

from __future__ import annotations

from pathlib import Path

ENV_PREFIX = "PASSERELLE_"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = PROJECT_ROOT / "var"

LOOPBACK = "127.0.0.1"
RASA_PORT = 5005
# Fixed because endpoints.yml names it (Rasa's convention).
ACTIONS_PORT = 5055
WEB_PORT = 8000
DESK_PORT = 8001
RASA_URL = f"http://{LOOPBACK}:{RASA_PORT}"
WEB_URL = f"http://{LOOPBACK}:{WEB_PORT}"
DESK_URL = f"http://{LOOPBACK}:{DESK_PORT}"
# Browser origins allowed on Rasa's channels (space separated): the web service's pages.
CORS_ORIGINS = f"http://{LOOPBACK}:{WEB_PORT} http://localhost:{WEB_PORT}"

# Conversations (Rasa's tracker store, which the desk's retention also purges) and the desk's tickets.
TRACKER_DB_URL = f"sqlite:///{VAR_DIR / 'tracker.db'}"
DESK_DB_URL = f"sqlite:///{VAR_DIR / 'desk.db'}"
# The same on the local PostgreSQL server, for several Rasa instances (`make run-scaled`).
POSTGRES_SERVER = f"postgresql://postgres@{LOOPBACK}:5432"
SCALED_TRACKER_DB_URL = f"{POSTGRES_SERVER}/passerelle_conversations"
SCALED_DESK_DB_URL = f"{POSTGRES_SERVER}/passerelle_desk"
# Address, opening hours and practical answers: read by the action server and the desk.
CENTRE_INFO_FILE = PROJECT_ROOT / "knowledge" / "centre.yml"
