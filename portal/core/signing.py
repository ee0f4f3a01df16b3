"""The one way the portal signs values it hands out (links, hidden form fields).

Every signer is keyed with SECRET_KEY and a salt naming its purpose, so a value signed for
one purpose (a reset link) is never accepted for another (a quote link).
"""

from __future__ import annotations

import enum
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

MAX_TOKEN_LENGTH = 400


def signer(purpose: str) -> URLSafeTimedSerializer:
    """A serializer for `purpose`; `loads(..., max_age=...)` enforces a lifetime where one applies."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


class SignedProblem(enum.StrEnum):
    """Why a signed value was refused."""

    INVALID = "invalid"  # tampered, garbage, too long, or not the shape asked for
    EXPIRED = "expired"  # older than its maximum age


def load_signed(purpose: str, token: str, max_age: int, shape: dict[str, type]) -> dict[str, Any] | SignedProblem:
    """The payload of a token signed for `purpose`, no older than `max_age` seconds, whose keys hold
    values of the types in `shape`; otherwise why not. Never raises on a stranger's input."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return SignedProblem.INVALID
    try:
        payload = signer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        return SignedProblem.EXPIRED
    except (BadSignature, UnicodeError, ValueError):
        return SignedProblem.INVALID
    if not isinstance(payload, dict) or any(not isinstance(payload.get(k), t) for k, t in shape.items()):
        return SignedProblem.INVALID
    return payload
