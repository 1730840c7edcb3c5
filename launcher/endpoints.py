"""Rasa's endpoints file for one Rasa instance: the project's endpoints.yml, pointed at its own action server
and, when several instances share the conversations, at Redis for Rasa's lock store.

With two Rasa servers behind nginx, two messages of one conversation can reach both at once; Rasa's
default lock store is in memory, so each would process its message against the same stored state and
one turn would overwrite the other. `RedisLockStore` makes every instance wait its turn on the same
conversation, in the order the messages arrived.

`python -m launcher.endpoints OUT` writes the file for the production units (deploy/systemd), from
`PASSERELLE_ACTIONS_PORT` and `PASSERELLE_REDIS_URL`; the launcher calls `write_endpoints` itself.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from common.defaults import PROJECT_ROOT
from launcher.settings import LauncherSettings

# Rasa adds its own ":lock:" after it; only letters and digits are accepted.
LOCK_KEY_PREFIX = "passerelle"


def lock_store(redis_url: str) -> dict[str, Any]:
    """Rasa's `lock_store` section for a `redis://[:password@]host[:port][/db]` URL."""
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError("PASSERELLE_REDIS_URL must look like redis://host:6379/1")
    section: dict[str, Any] = {
        "type": "bot.lock_store.OrderedRedisLockStore",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int(parts.path.strip("/") or 0),
        "key_prefix": LOCK_KEY_PREFIX,
        "use_ssl": parts.scheme == "rediss",
        # Rasa waits 10 s by default; a turn must be answered within 5 s, or get the service-trouble reply.
        "socket_timeout": 2,
    }
    if parts.password:
        section["password"] = parts.password
    return section


def rasa_endpoints(actions_url: str, redis_url: str = "") -> dict[str, Any]:
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"{actions_url.rstrip('/')}/webhook"
    if redis_url:
        endpoints["lock_store"] = lock_store(redis_url)
    return endpoints


def write_endpoints(path: Path, actions_url: str, redis_url: str = "") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(rasa_endpoints(actions_url, redis_url)))
    return str(path)


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print("usage: python -m launcher.endpoints OUT (reads PASSERELLE_ACTIONS_PORT, PASSERELLE_REDIS_URL)")
        return 2
    settings = LauncherSettings()
    write_endpoints(Path(arguments[0]), f"http://127.0.0.1:{settings.actions_port}", settings.redis_url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
