"""Flask-Login wiring, the one way in (`sign_in`) and the role checks used on every workspace route."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user

from portal.auth import pending
from portal.auth.services import record_sign_in
from portal.extensions import db
from portal.models import Role, User


def init_login_manager(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = _l("Please log in to open that page.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The session's user (see User.get_id), or None once the account is deactivated or
        its password changed since the session began: either ends the session."""
        user_id, _sep, fingerprint = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active:
            return None
        return user if hmac.compare_digest(fingerprint, user.password_fingerprint) else None


def sign_in(user: User, *, remember: bool) -> None:
    """The one place a user becomes signed in, after the password alone or after both factors.

    Any half-done sign-in is dropped, and the remember-me cookie is set only here, so it
    never stands for a password without the second factor. The caller commits.
    """
    record_sign_in(user)
    pending.clear()
    login_user(user, remember=remember)


def role_required(*roles: Role) -> Callable:
    """Route decorator: anonymous visitors go to login, the wrong role gets 403."""
    allowed = {role.value for role in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.ADMIN, Role.CONSULTANT)
admin_required = role_required(Role.ADMIN)
