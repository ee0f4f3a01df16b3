"""A sign-in half done: the password was right, the second factor is still to come.

Kept small in the (signed) Flask session: the user id, when the password was accepted,
the remember-me choice, where to go next, and wrong codes so far. It expires after
PENDING_MAX_AGE seconds (ENROL_MAX_AGE while an admin sets up their first app), and is
dropped after MAX_WRONG_CODES wrong codes: the person starts again with the password.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import session

from portal.auth import throttle
from portal.core import audit
from portal.extensions import db
from portal.models import User
from portal.models.types import utcnow

KEY = "two_factor_pending"
PENDING_MAX_AGE = 5 * 60
ENROL_MAX_AGE = 15 * 60
MAX_WRONG_CODES = 5


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    remember: bool
    next_url: str | None
    enrol: bool


def begin(user: User, *, remember: bool, next_url: str | None, enrol: bool) -> None:
    """Remember that `user` passed the password step; `enrol` when they must first set up an app."""
    session[KEY] = {
        "uid": user.id,
        "at": int(time.time()),
        "remember": bool(remember),
        "next": next_url,
        "enrol": enrol,
        "wrong": 0,
    }


def load() -> PendingSignIn | None:
    """The pending sign-in, or None when there is none, it expired, or the account was deactivated
    or locked (too many wrong codes) meanwhile."""
    data = session.get(KEY)
    if not isinstance(data, dict):
        return None
    max_age = ENROL_MAX_AGE if data.get("enrol") else PENDING_MAX_AGE
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if time.time() - data.get("at", 0) > max_age or user is None or not user.active or is_locked(user):
        clear()
        return None
    return PendingSignIn(user=user, remember=data["remember"], next_url=data.get("next"), enrol=data["enrol"])


def is_locked(user: User) -> bool:
    """Whether signing in is paused for this account from this address (wrong passwords or codes)."""
    return throttle.pause_end(user, audit.client_ip(), utcnow()) is not None


def count_wrong_code() -> bool:
    """Count a wrong code; True when that was one too many and the pending sign-in is dropped."""
    data = dict(session.get(KEY) or {})
    data["wrong"] = data.get("wrong", 0) + 1
    if data["wrong"] >= MAX_WRONG_CODES:
        clear()
        return True
    session[KEY] = data
    return False


def clear() -> None:
    session.pop(KEY, None)
