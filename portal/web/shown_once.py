"""A secret made by a POST and shown once by the page it redirects to (a new webhook's signing
secret, a calendar link, two-factor recovery codes), carried there in the session encrypted.

Flask's session cookie is signed, not encrypted: anything that keeps or logs the cookie (a
browser profile on disk, a proxy) could read a value put in it as it is. So the value travels
as a Fernet token under DATA_ENCRYPTION_KEYS, and lives a few minutes: the redirect is
followed at once, and a token found later is dropped unread.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken
from flask import session

from portal.models.types import data_cipher

MAX_AGE_SECONDS = 600


def keep(key: str, value: Any) -> None:
    """Put `value` (JSON-serialisable) in the session under `key`, encrypted, for `take`."""
    session[key] = data_cipher().encrypt(json.dumps(value).encode()).decode()


def take(key: str) -> Any | None:
    """The value kept under `key`, removed from the session; None when there is none, it is
    older than MAX_AGE_SECONDS, or it cannot be read (written under a key no longer listed)."""
    token = session.pop(key, None)
    if not isinstance(token, str):
        return None
    try:
        return json.loads(data_cipher().decrypt(token.encode(), ttl=MAX_AGE_SECONDS))
    except InvalidToken:
        return None
