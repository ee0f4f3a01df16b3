"""Signed attachments: results of the readiness check or the estimate carried into the enquiry.

The readiness and estimate pages hand the visitor a link to the enquiry form with
`?attachment=<token>`. The token is signed (so a visitor cannot forge what gets
stored on the lead) and expires, so old links stop attaching stale results.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature

from portal.core.signing import signer

SALT = "enquiry-attachment"
KINDS = frozenset({"readiness", "estimate"})
DEFAULT_MAX_AGE_SECONDS = 7 * 24 * 3600


def sign_attachment(kind: str, data: dict[str, Any]) -> str:
    """A URL-safe token carrying `data` of `kind` ("readiness" or "estimate")."""
    if kind not in KINDS:
        raise ValueError(f"unknown attachment kind {kind!r}")
    return signer(SALT).dumps({"kind": kind, "data": data})


def read_attachment(token: str) -> tuple[str, dict[str, Any]] | None:
    """(kind, data) from a valid, unexpired token; None for anything else (tampered, expired, garbage)."""
    if not token or len(token) > 8000:
        return None
    max_age = current_app.config.get("ENQUIRY_ATTACHMENT_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)
    try:
        payload = signer(SALT).loads(token, max_age=max_age)
    except (BadSignature, UnicodeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    kind, data = payload.get("kind"), payload.get("data")
    if kind not in KINDS or not isinstance(data, dict):
        return None
    return kind, data
