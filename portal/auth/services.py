"""Account use cases: creating users, logging in with lockout, resetting passwords.

Services take plain values, add and flush, and never commit: the request (or the
CLI command) commits once. Rule violations raise `ServiceError` carrying the form
field they belong to, so the action runner puts the message next to that field.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth.tokens import make_reset_token, user_for_reset_token
from portal.core import audit, outbox
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import Role, User
from portal.models.types import utcnow
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)


def normalise_email(email: str) -> str:
    """E-mail addresses are compared and stored lower-case, without surrounding spaces."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt in production, fast pbkdf2 in tests)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def spend_hashing_time(password: str) -> None:
    """Check against a throw-away hash, so an unknown e-mail answers as slowly as a wrong password."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)


def validate_password(password: str, field: str = "password") -> None:
    """Refuse passwords shorter than PASSWORD_MIN_LENGTH."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ServiceError(_("The password must have at least %(n)d characters.", n=minimum), field)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, name: str, role: Role, password: str, actor: User | None = None) -> User:
    """Add a new active account; the e-mail must be unused and the password long enough."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise ServiceError(_("An account with this e-mail already exists."), "email")
    validate_password(password)
    user = User(email=email, name=name.strip(), role=Role(role).value, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor=actor, subject=user, details={"after": user_snapshot(user)})
    logger.info("user %s (%s) created by %s", user.id, user.role, actor.email if actor else "cli")
    return user


def user_snapshot(user: User) -> dict[str, object]:
    """The fields an admin can change, as recorded in audit details."""
    return {"email": user.email, "name": user.name, "role": user.role, "active": user.active}


def minutes_left(locked_until: datetime, now: datetime) -> int:
    """Whole minutes until the lock ends, at least one."""
    return max(1, math.ceil((locked_until - now).total_seconds() / 60))


def authenticate(email: str, password: str) -> User:
    """Check the credentials, counting failures and locking the account after too many.

    Returns the user on success (`record_sign_in` clears the failures and notes the sign-in
    once every factor has passed); raises
    `ServiceError` otherwise, with a message safe to show: it never says whether the
    e-mail exists. The caller commits in both cases so counters persist.
    """
    email = normalise_email(email)
    generic = _("E-mail or password is incorrect.")
    user = find_user_by_email(email)
    now = utcnow()
    if user is None:
        spend_hashing_time(password)
        audit.record("login.failure", actor_email=email, details={"reason": "unknown"})
        raise ServiceError(generic)
    if user.locked_until is not None and user.locked_until > now:
        audit.record("login.locked", actor=user, subject=user, details={"locked_until": user.locked_until.isoformat()})
        raise ServiceError(
            _(
                "This account is temporarily locked after too many failed attempts. Try again in %(n)d minutes.",
                n=minutes_left(user.locked_until, now),
            )
        )
    if not check_password(user, password):
        register_failure(user, now)
        raise ServiceError(generic)
    if not user.active:
        audit.record("login.failure", actor=user, subject=user, details={"reason": "inactive"})
        raise ServiceError(generic)
    user.locked_until = None
    db.session.flush()
    return user


def record_sign_in(user: User) -> None:
    """Note a completed sign-in (after the second factor, where there is one).

    Only now is the failure count cleared: a right password followed by wrong codes keeps
    counting towards the lock, so restarting the sign-in does not buy more guesses.
    """
    user.failed_logins = 0
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, subject=user)
    db.session.flush()


def register_failure(user: User, now: datetime, action: str = "login.failure", reason: str = "password") -> None:
    """Count a wrong password (or second-factor code); at LOGIN_MAX_FAILURES lock the account
    for LOGIN_LOCK_MINUTES."""
    user.failed_logins = (user.failed_logins or 0) + 1
    audit.record(action, actor=user, subject=user, details={"reason": reason, "failures": user.failed_logins})
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        audit.record("login.locked", actor=user, subject=user, details={"locked_until": user.locked_until.isoformat()})
    db.session.flush()


def request_password_reset(email: str) -> None:
    """E-mail a reset link if an active account has this address; otherwise do nothing.

    The caller shows the same answer either way, so nobody learns which accounts exist.
    """
    email = normalise_email(email)
    user = find_user_by_email(email)
    if user is None or not user.active:
        audit.record("password.reset_request", actor_email=email, details={"sent": False})
        return
    send_reset_link(user)
    audit.record("password.reset_request", actor=user, subject=user, details={"sent": True})


def send_reset_link(user: User, sent_by: User | None = None) -> None:
    """Queue the e-mail with a fresh reset link (asked for by the user, or sent by an admin)."""
    link = absolute_url("auth.reset_with_token", token=make_reset_token(user))
    outbox.enqueue(
        kind="password_reset",
        recipient=user.email,
        subject=_("Reset your portal password"),
        body_text=render_template(
            "emails/password_reset.txt",
            user=user,
            sent_by=sent_by,
            link=link,
            minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
        ),
    )


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link; the link then stops working and any lock is lifted."""
    user = user_for_reset_token(token)
    if user is None:
        raise ServiceError(invalid_reset_link_message(), "password")
    validate_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record("password.reset", actor=user, subject=user)
    db.session.flush()
    return user


def invalid_reset_link_message() -> str:
    return _("This password-reset link is invalid, has expired or has already been used. Please ask for a new one.")
