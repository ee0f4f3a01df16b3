"""Signed, expiring, single-use account links: password resets and invitations.

A token carries the user id and a fingerprint of the current password hash, so it
stops working as soon as the password changes (single use) and after its lifetime
(itsdangerous timestamp): PASSWORD_RESET_MAX_AGE seconds for a reset link,
INVITATION_MAX_AGE for an invitation. Each kind has its own salt, so one kind of link
never opens the other's page. Nothing is stored.
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
INVITATION_SALT = "invitation"


def password_fingerprint(user: User) -> str:
    """A short digest of the password hash: changes whenever the password does."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def _make_token(user: User, salt: str) -> str:
    return signer(salt).dumps({"uid": user.id, "fp": password_fingerprint(user)})


def _user_for_token(token: str, salt: str, max_age: int) -> User | None:
    """The active user the token was made for, or None if it is forged, expired or already used."""
    try:
        data = signer(salt).loads(token, max_age=max_age)
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


def make_reset_token(user: User) -> str:
    return _make_token(user, SALT)


def user_for_reset_token(token: str) -> User | None:
    return _user_for_token(token, SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])


def make_invitation_token(user: User) -> str:
    return _make_token(user, INVITATION_SALT)


def user_for_invitation_token(token: str) -> User | None:
    """The invited user, or None when the link is forged, expired, or the password already chosen."""
    user = _user_for_token(token, INVITATION_SALT, current_app.config["INVITATION_MAX_AGE"])
    return user if user is not None and user.is_invited else None
