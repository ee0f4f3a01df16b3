"""Account use cases: creating and inviting users, checking logins (with a growing pause), choosing passwords.

Services take plain values, add and flush, and never commit: the request (or the
CLI command) commits once. Rule violations raise `ServiceError` carrying the form
field they belong to, so the action runner puts the message next to that field.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth import throttle
from portal.auth.login_sessions import end_all_sessions
from portal.auth.tokens import make_invitation_token, make_reset_token, user_for_invitation_token, user_for_reset_token
from portal.core import audit, outbox
from portal.core.errors import ServiceError
from portal.core.firm import current_firm
from portal.domain.passwords import MAX_LENGTH, PasswordProblem, password_problem
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


def validate_password(password: str, user_inputs: Iterable[str] = (), field: str = "password") -> None:
    """The one password rule (portal.domain.passwords): PASSWORD_MIN_LENGTH to MAX_LENGTH
    characters and hard to guess, also for someone who knows the person's e-mail and name
    (`user_inputs`). A refusal says why, next to the field."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    problem = password_problem(password, minimum, user_inputs)
    if problem is not None:
        raise ServiceError(password_problem_message(problem, minimum), field)


def password_problem_message(problem: PasswordProblem, minimum: int) -> str:
    """The reason a password is refused, with what to do instead, in the reader's language."""
    messages = {
        PasswordProblem.TOO_SHORT: _("The password must have at least %(n)d characters.", n=minimum),
        PasswordProblem.TOO_LONG: _("The password may have at most %(n)d characters.", n=MAX_LENGTH),
        PasswordProblem.PERSONAL: _(
            "This password is built on your name or e-mail address, which others can guess. "
            "Use a few words that have nothing to do with you."
        ),
        PasswordProblem.COMMON: _(
            "This is one of the most common passwords, or close to one. Use a few uncommon words instead."
        ),
        PasswordProblem.WORD: _("A single word is easy to guess, even with digits added. Add another word or two."),
        PasswordProblem.NAMES: _("Names and surnames are easy to guess. Add a few uncommon words."),
        PasswordProblem.KEYBOARD: _(
            "Rows and patterns of keys (like “qwerty”) are easy to guess. Use a few uncommon words instead."
        ),
        PasswordProblem.REPEATS: _("Repeated characters or words (like “aaa” or “abcabc”) are easy to guess."),
        PasswordProblem.SEQUENCE: _("Sequences like “abc” or “6543” are easy to guess."),
        PasswordProblem.DATES: _("Dates and years are easy to guess, above all ones linked to you."),
        PasswordProblem.GUESSABLE: _(
            "This password is too easy to guess. Add another word or two; uncommon words are best."
        ),
    }
    return messages[problem]


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def ensure_email_free(email: str) -> None:
    if find_user_by_email(email) is not None:
        raise ServiceError(_("An account with this e-mail already exists."), "email")


def create_user(email: str, name: str, role: Role, password: str, actor: User | None = None) -> User:
    """Add an active account with a password given now (`flask users create`); the e-mail
    must be unused and the password must pass the password rule."""
    ensure_email_free(email)
    validate_password(password, (email, name))
    return add_account(email, name, role, hash_password(password), actor)


def invite_user(email: str, name: str, role: Role, actor: User) -> User:
    """Add an account without a usable password and e-mail the person an invitation link:
    they choose their own password, so nobody else ever knows it."""
    ensure_email_free(email)
    user = add_account(email, name, role, hash_password(secrets.token_urlsafe(32)), actor)
    send_invitation(user, sent_by=actor)
    return user


def add_account(email: str, name: str, role: Role, password_hash: str, actor: User | None) -> User:
    """Add, flush and audit a new account (the checks are the caller's)."""
    email = normalise_email(email)
    user = User(email=email, name=name.strip(), role=Role(role).value, password_hash=password_hash)
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
    if user.is_invited:  # no password chosen yet, so none can be right (and none is counted)
        spend_hashing_time(password)
        audit.record("login.failure", actor=user, subject=user, details={"reason": "invited"})
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

    An invited account that never chose a password gets its invitation again instead:
    that e-mail explains why the person has an account, and its link lasts days, not an hour.
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
    if user.is_invited:
        send_invitation(user)
    else:
        send_reset_link(user)
    audit.record("password.reset_request", actor=user, subject=user, details={"sent": True, "invited": user.is_invited})


def set_locale(user: User, locale: str) -> None:
    """The language `user` reads the workspace and their e-mails in: one the portal speaks."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ServiceError(_("Choose a language from the list."), field="locale")
    user.locale = locale
    db.session.flush()


def _email_account_holder(user: User, kind: str, subject: LazyString, template: str, **context: Any) -> None:
    """Queue an e-mail about their account to `user`, subject and body written in their language."""
    with outbox.written_in(user.locale):
        outbox.enqueue(
            kind=kind,
            recipient=user.email,
            subject=str(subject),
            body_text=render_template(template, user=user, **context),
        )


def send_reset_link(user: User, sent_by: User | None = None) -> None:
    """Queue the e-mail with a fresh reset link (asked for by the user, or sent by an admin)."""
    _email_account_holder(
        user,
        "password_reset",
        _l("Reset your portal password"),
        "emails/password_reset.txt",
        sent_by=sent_by,
        link=absolute_url("auth.reset_with_token", token=make_reset_token(user)),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def send_invitation(user: User, sent_by: User | None = None) -> None:
    """Queue the invitation e-mail with a fresh link to choose a password (valid INVITATION_MAX_AGE)."""
    user.invited_at = utcnow()
    _email_account_holder(
        user,
        "invitation",
        _l("Your account on the %(firm)s portal", firm=current_firm().name),
        "emails/invitation.txt",
        sent_by=sent_by,
        link=absolute_url("auth.accept_invitation", token=make_invitation_token(user)),
        days=max(1, current_app.config["INVITATION_MAX_AGE"] // 86400),
    )


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link: the link then stops working, every session
    ends (whoever knew the old password is signed out) and the failure counts start again."""
    user = user_for_reset_token(token)
    if user is None:
        raise ServiceError(invalid_reset_link_message(), "password")
    set_password(user, password)
    audit.record("password.reset", actor=user, subject=user)
    return user


def accept_invitation(token: str, password: str) -> User:
    """The invited person chooses their password; the link then stops working and they can log in."""
    user = user_for_invitation_token(token)
    if user is None:
        raise ServiceError(invalid_invitation_link_message(), "password")
    set_password(user, password)
    audit.record("user.invitation_accepted", actor=user, subject=user)
    return user


def set_password(user: User, password: str) -> None:
    """Check the password against the rule, then store it: failure counts, sessions and any pending invitation end."""
    validate_password(password, (user.email, user.name))
    user.password_hash = hash_password(password)
    throttle.forget_all(user)
    end_all_sessions(user)
    user.invited_at = None
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """The signed-in person's new password, proven by the current one. As after a reset, every
    session ends (the route signs this browser in again) and the failure counts start again;
    an e-mail tells the person, so a change they did not make does not go unseen. Flushes."""
    if not check_password(user, current):
        raise ServiceError(_("This is not your current password."), "current_password")
    if check_password(user, new):
        raise ServiceError(_("The new password is the same as the current one. Choose another."), "password")
    set_password(user, new)
    audit.record("password.changed", actor=user, subject=user)
    _email_account_holder(
        user,
        "password_changed",
        _l("Your portal password was changed"),
        "emails/password_changed.txt",
        reset_link=absolute_url("auth.reset_request"),
    )


def invalid_reset_link_message() -> str:
    return _("This password-reset link is invalid, has expired or has already been used. Please ask for a new one.")


def log_out_everywhere(user: User) -> int:
    """End every session of the user, this one too (a lost laptop, a password seen by someone)."""
    ended = end_all_sessions(user)
    audit.record("login.logout_everywhere", actor=user, subject=user, details={"sessions": ended})
    return ended


def invalid_invitation_link_message() -> str:
    return _(
        "This invitation link is invalid, has expired or has already been used. If you have chosen your "
        "password already, log in; otherwise ask for a new link with your e-mail address, or ask an "
        "administrator to send the invitation again."
    )
