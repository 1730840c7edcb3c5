"""Password hashes: scrypt with a random salt, stored as `scrypt$n$r$p$salt$hash` (base64)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from functools import lru_cache

N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 8


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    encoded = (base64.b64encode(part).decode("ascii") for part in (salt, _derive(password, salt, N, R, P)))
    return "$".join(["scrypt", str(N), str(R), str(P), *encoded])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    derived = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    return secrets.compare_digest(derived, base64.b64decode(key))


@lru_cache(maxsize=1)
def decoy_hash() -> str:
    """Checked against when the login does not exist, so that a refusal takes as long either way."""
    return hash_password(secrets.token_urlsafe(16))


def random_password() -> str:
    return secrets.token_urlsafe(12)
