"""Signed, expiring, single-use password-reset tokens.

The token carries the user id and a fingerprint of the current password hash, so
it stops working as soon as the password changes (single use) and after
PASSWORD_RESET_MAX_AGE seconds (itsdangerous timestamp). Nothing is stored.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature

from portal.core.signing import signer
from portal.extensions import db
from portal.models import User

SALT = "password-reset"


def password_fingerprint(user: User) -> str:
    """A short digest of the password hash: changes whenever the password does."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    return signer(SALT).dumps({"uid": user.id, "fp": password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The active user the token was made for, or None if it is forged, expired or already used."""
    try:
        data = signer(SALT).loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(str(data.get("fp", "")), password_fingerprint(user)):
        return None
    return user
