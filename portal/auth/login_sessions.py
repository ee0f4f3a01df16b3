"""Signed-in sessions kept on the server, so that logging out really ends them.

Cookies are copies anyone may keep: a session or remember-me cookie alone must not
be enough. Each login gets a random token; the cookies carry it (see User.get_id) and
the server keeps its SHA-256 in `login_sessions`. Every request checks the row
(load_user), so ending the row (logout, "log out everywhere", a new password, a
deactivation, an admin's "end all sessions") ends the session wherever its cookies are.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy import ColumnElement, select, update

from portal.core import audit
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import LoginSession, User
from portal.models.types import utcnow


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, remember: bool) -> None:
    """Complete a login whose credentials (and any further step) have been checked.

    The Flask session is emptied first: nothing planted before login (a value, the
    pre-login CSRF token) survives it, and the next form gets a new CSRF token.
    """
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's per-request copy of the old token
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            token_hash=token_hash(token),
            ip=audit.client_ip()[:64],
            user_agent=(request.user_agent.string or "")[:255],
        )
    )
    user.login_token = token
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, subject=user)
    db.session.flush()
    login_user(user, remember=remember)


def user_for_session(session_id: str) -> User | None:
    """The user of a cookie's "<id>:<password fingerprint>:<token>", or None once the account
    is deactivated, its password changed, or that session ended or lay unused longer than
    a remember-me cookie lives."""
    user_id, _sep, rest = session_id.partition(":")
    fingerprint, _sep, token = rest.partition(":")
    if not user_id.isdigit() or not token:
        return None
    found = db.session.execute(  # one query for both: every request pays it
        select(User, LoginSession)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == int(user_id), LoginSession.token_hash == token_hash(token), _is_live())
    ).first()
    if found is None:
        return None
    user, row = found
    if not user.active or not hmac.compare_digest(fingerprint, user.password_fingerprint):
        return None
    _touch(row)
    user.login_token = token
    return user


def _is_live() -> ColumnElement[bool]:
    """Not ended, and seen within the life of a remember-me cookie."""
    oldest = utcnow() - current_app.config["REMEMBER_COOKIE_DURATION"]
    return LoginSession.ended_at.is_(None) & (LoginSession.last_seen_at > oldest)


def _touch(row: LoginSession) -> None:
    """Note when and where the session was last used, at most every LOGIN_SESSION_TOUCH_SECONDS.

    Committed at once: the user is loaded when a request first asks who is signed in,
    before its view has changed anything, and a page that only reads never commits.
    """
    now = utcnow()
    if (now - row.last_seen_at).total_seconds() < current_app.config["LOGIN_SESSION_TOUCH_SECONDS"]:
        return
    row.last_seen_at = now
    row.ip = audit.client_ip()[:64]
    db.session.commit()


def active_sessions(user: User) -> list[LoginSession]:
    """The user's live sessions, most recently used first."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(LoginSession.user_id == user.id, _is_live())
            .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
        )
    )


def is_current(row: LoginSession, user: User) -> bool:
    """Whether `row` is the session this request is signed in with."""
    return bool(user.login_token) and hmac.compare_digest(row.token_hash, token_hash(user.login_token))


def end_current_session(user: User) -> None:
    """Logout: this session ends, the user's others carry on."""
    if user.login_token:
        _end(LoginSession.token_hash == token_hash(user.login_token))


def end_other_session(user: User, session_id: int) -> None:
    """End one of the user's other sessions (a lost phone, a shared computer)."""
    row = db.session.get(LoginSession, session_id)
    if row is None or row.user_id != user.id or row.ended_at is not None or is_current(row, user):
        raise ServiceError(_("That session has already ended."))
    _end(LoginSession.id == row.id)
    audit.record("login.session_ended", actor=user, subject=user, details={"session": row.id})


def end_all_sessions(user: User) -> int:
    """End every session of the user, this one included; returns how many were live."""
    return _end(LoginSession.user_id == user.id)


def _end(condition: ColumnElement[bool]) -> int:
    result = db.session.execute(
        update(LoginSession).where(condition, LoginSession.ended_at.is_(None)).values(ended_at=utcnow())
    )
    db.session.flush()
    return result.rowcount
