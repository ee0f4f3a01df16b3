"""Who is calling: the API key of `Authorization: Bearer <key>`, its scopes, its rate limit.

Every API view needs a key but those marked `@open_to_all` (the OpenAPI document and its
reference page). An unknown, malformed or revoked key is a 401 problem; a key without the
view's scope a 403. The rate limit counts per key (a digest of the secret, so counting
needs no database), per address for a request without one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from portal.api import bp
from portal.core.api_keys import key_for_secret
from portal.extensions import limiter
from portal.models import ApiKey
from portal.web.problems import ProblemError

View = TypeVar("View", bound=Callable[..., Any])


def bearer_secret() -> str:
    """The key sent as `Authorization: Bearer <key>`, or "" when none is."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def open_to_all(view: View) -> View:
    """Mark an API view that needs no key (the published description of the API)."""
    view.api_open_to_all = True  # type: ignore[attr-defined]
    return view


@bp.before_request
def authenticate() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "api_open_to_all", False):
        return
    key = key_for_secret(bearer_secret())
    if key is None:
        raise ProblemError(
            401,
            _("Send a valid API key as: Authorization: Bearer <key>. Ask the firm's admin for one."),
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    g.api_key = key


def current_key() -> ApiKey:
    return g.api_key


def requires_scope(scope: str) -> Callable[[View], View]:
    """Refuse (403) a key an admin did not give `scope`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if scope not in current_key().scopes:
                raise ProblemError(403, _("This API key may not do this: it lacks the scope %(scope)s.", scope=scope))
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorator


def rate_limit_key() -> str:
    """One budget per API key (whether or not it is valid), per address without a key."""
    secret = bearer_secret()
    if not secret:
        return "api-address:" + get_remote_address()
    return "api-key:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


# One budget for all of a key's requests, whichever operation they ask for.
api_rate_limit = limiter.shared_limit(
    lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=rate_limit_key
)
