"""Flask-Login wiring, the one way in (`sign_in`) and the role checks used on every workspace route."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required

from portal.auth import pending, throttle
from portal.auth.login_sessions import start_session, user_for_session
from portal.core import audit
from portal.models import Role, User


def init_login_manager(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = _l("Please log in to open that page.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The session's user (see User.get_id), checked against its server-side record on
        every request: None ends the session."""
        return user_for_session(session_id)


def sign_in(user: User, *, remember: bool) -> None:
    """The one place a user becomes signed in, after the password alone or after both factors.

    Any half-done sign-in is dropped, this address's failure count is cleared, and a new
    server-side session starts (the Flask session and its CSRF token renewed, the
    remember-me cookie set only here, so it never stands for a password without the
    second factor). The caller commits.
    """
    pending.clear()
    throttle.forget_address(user, audit.client_ip())
    start_session(user, remember)


def role_required(*roles: Role) -> Callable:
    """Route decorator: anonymous visitors go to login, the wrong role gets 403."""
    allowed = {role.value for role in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any):
            if current_user.role not in allowed:
                abort(403)
            get_locale()  # the page's language chosen now, from the user's (see portal.web.i18n)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.ADMIN, Role.CONSULTANT)
admin_required = role_required(Role.ADMIN)
