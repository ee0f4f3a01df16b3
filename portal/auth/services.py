"""Account use cases: creating users, checking logins (with a growing pause), resetting passwords.

Services take plain values, add and flush, and never commit: the request (or the
CLI command) commits once. Rule violations raise `ServiceError` carrying the form
field they belong to, so the action runner puts the message next to that field.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth import throttle
from portal.auth.login_sessions import end_all_sessions
from portal.auth.tokens import make_reset_token, user_for_reset_token
from portal.core import audit, outbox
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import AuditLog, Role, User
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


def login_refused_message() -> str:
    """The one answer to a refused login: unknown e-mail, wrong password, deactivated account
    and a paused account all read the same, so nobody learns which accounts exist or are paused."""
    return _(
        "E-mail or password is incorrect. After several failed attempts, signing in pauses for a few minutes: "
        "wait a little and try again."
    )


def authenticate(email: str, password: str) -> User:
    """Check the credentials; count a wrong password for the account and the client's address.

    Returns the user on success; raises `ServiceError` with `login_refused_message()`
    otherwise. A paused address spends the same hashing time without checking the
    password. The caller commits in both cases so the counts and audit rows persist. A
    success is completed by `portal.auth.session.sign_in` once every factor has passed:
    only then is this address's count cleared, so a right password followed by wrong
    codes keeps counting and restarting the sign-in buys no more guesses.
    """
    email = normalise_email(email)
    user = find_user_by_email(email)
    address = audit.client_ip()
    now = utcnow()
    if user is None:
        spend_hashing_time(password)
        audit.record("login.failure", actor_email=email, details={"reason": "unknown"})
        raise ServiceError(login_refused_message())
    paused = throttle.pause_end(user, address, now)
    if paused is not None:
        spend_hashing_time(password)
        audit.record("login.locked", actor=user, subject=user, details={"until": paused.isoformat()})
        raise ServiceError(login_refused_message())
    if not check_password(user, password):
        register_failure(user, address, now)
        raise ServiceError(login_refused_message())
    if not user.active:
        audit.record("login.failure", actor=user, subject=user, details={"reason": "inactive"})
        raise ServiceError(login_refused_message())
    return user


def register_failure(
    user: User, address: str, now: datetime, action: str = "login.failure", reason: str = "password"
) -> None:
    """Count a wrong password (or second-factor code) atomically; audit it, and the pause it starts if any."""
    failures, paused = throttle.count_failure(user, address, now)
    audit.record(action, actor=user, subject=user, details={"reason": reason, "failures": failures})
    if paused is not None:
        audit.record("login.locked", actor=user, subject=user, details={"until": paused.isoformat()})
    db.session.flush()


def recent_reset_requests(user: User, now: datetime) -> int:
    """Reset links this account asked for in the last hour (from any address)."""
    return db.session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.action == "password.reset_request",
            AuditLog.subject_type == User.__tablename__,
            AuditLog.subject_id == user.id,
            AuditLog.at > now - timedelta(hours=1),
        )
    )


def request_password_reset(email: str) -> None:
    """E-mail a reset link if an active account has this address; otherwise do nothing.

    The caller shows the same answer either way, so nobody learns which accounts exist.
    """
    email = normalise_email(email)
    user = find_user_by_email(email)
    if user is None or not user.active:
        audit.record("password.reset_request", actor_email=email, details={"sent": False})
        return
    if recent_reset_requests(user, utcnow()) >= current_app.config["RESET_EMAILS_PER_ACCOUNT_PER_HOUR"]:
        audit.record("password.reset_throttled", actor=user, subject=user)
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
    """Set a new password through a reset link: the link then stops working, every session
    ends (whoever knew the old password is signed out) and the failure counts start again."""
    user = user_for_reset_token(token)
    if user is None:
        raise ServiceError(invalid_reset_link_message(), "password")
    validate_password(password)
    user.password_hash = hash_password(password)
    throttle.forget_all(user)
    end_all_sessions(user)
    audit.record("password.reset", actor=user, subject=user)
    db.session.flush()
    return user


def invalid_reset_link_message() -> str:
    return _("This password-reset link is invalid, has expired or has already been used. Please ask for a new one.")


def log_out_everywhere(user: User) -> int:
    """End every session of the user, this one too (a lost laptop, a password seen by someone)."""
    ended = end_all_sessions(user)
    audit.record("login.logout_everywhere", actor=user, subject=user, details={"sessions": ended})
    return ended
