"""Security headers in one place: a strict CSP with no inline script or style, and no
caching of private pages.

Also the `<int:...>` URL converter: ids in URLs are bounded, so a hand-typed
twenty-digit id is a 404 rather than an integer overflow in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, request
from flask_talisman import Talisman
from werkzeug.routing import IntegerConverter, Map

View = TypeVar("View", bound=Callable[..., Any])

MAX_URL_ID = 2**31 - 1  # the largest INTEGER primary key on PostgreSQL

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


# Workspace pages and exports, sign-in and reset forms, the quote links, the client status pages
# and the intake API's answers hold private data or live tokens: no browser or proxy cache may
# keep a copy of them.
PRIVATE_PATHS = ("/app/", "/auth/", "/q/", "/status/", "/api/")
PRIVATE_CACHE_CONTROL = "private, no-store"


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that matches only ids a table can hold (1 to MAX_URL_ID by default)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_URL_ID)
        super().__init__(map, *args, **kwargs)


def init_security(app: Flask) -> None:
    """Attach Talisman: CSP, nosniff, referrer policy, frame denial; HTTPS and HSTS in production.

    One Talisman per app: the extension keeps its settings (and the app) on the instance,
    so a shared object would give every app the settings of the last one created.
    Runs before the blueprints are registered, so every `<int:...>` route is bounded.
    """
    app.url_map.converters["int"] = BoundedIntConverter
    app.after_request(_private_pages_are_not_stored)
    app.extensions["talisman"] = Talisman(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["HSTS"],
        strict_transport_security_max_age=31536000,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def plain_http_allowed(view: View) -> View:
    """Exempt a view from production's redirect to HTTPS: load balancers probe `/healthz` over
    plain HTTP and do not follow redirects, so a redirect would read as "down". This is the
    attribute Talisman's per-view decorator sets, set without an app's Talisman object (the
    view is defined before any app exists)."""
    view.talisman_view_options = {"force_https": False}  # type: ignore[attr-defined]
    return view


def _private_pages_are_not_stored(response: Response) -> Response:
    if request.path.startswith(PRIVATE_PATHS):
        response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def public_cache_control(app: Flask) -> str:
    """What a shared cache (nginx, a CDN) may do with a cacheable public page: keep it for
    PUBLIC_PAGE_MAX_AGE seconds, then serve it stale for PUBLIC_PAGE_STALE while it revalidates."""
    max_age, stale = app.config["PUBLIC_PAGE_MAX_AGE"], app.config["PUBLIC_PAGE_STALE"]
    return f"public, max-age={max_age}, stale-while-revalidate={stale}"
