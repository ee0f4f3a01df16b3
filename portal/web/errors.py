"""Branded error pages: never a stack trace, a rollback before a 500 page, and a 503 (not a
500) while the database cannot be reached."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError, ServiceUnavailable

from portal.extensions import db, login_manager
from portal.web.problems import is_api_request, problem_response

logger = logging.getLogger(__name__)

ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("We could not find the page you asked for. It may have moved.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than we accept. Please send a smaller file.")),
    429: (
        _l("Too many requests"),
        _l("You have made too many requests in a short time. Please wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred on our side. It has been logged; please try again."),
    ),
    503: (_l("Temporarily unavailable"), _l("The portal is briefly unavailable. Please try again in a few minutes.")),
}


# What the database raises when it cannot be reached or does not answer in time (server
# down or restarting, network cut, connection pool exhausted, SQLite file locked): the
# DB-API's OperationalError and InterfaceError, and the pool's own errors. Passing
# trouble, so the visitor gets "try again shortly", not "something went wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError)
# Seconds a client (or a load balancer) should wait before asking again after a 503.
RETRY_AFTER_SECONDS = 30


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(code: int, detail: str | None = None):
    title, message = ERROR_TEXT.get(code, ERROR_TEXT[500])
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if code == ServiceUnavailable.code else {}
    if is_api_request():  # the intake API's clients read problem details, never a page
        return problem_response(code, detail, headers=headers)
    if wants_json():
        return jsonify(error=str(title), status=code), code, headers
    try:
        html = render_template("errors/error.html", code=code, title=title, message=detail or message)
    except DATABASE_UNAVAILABLE:
        # The page names the signed-in user's options: any error page (a 404, an expired
        # form) loads the user, and while the database is down that fails too.
        if code == ServiceUnavailable.code:
            raise
        _forget_the_database()
        return render_error(ServiceUnavailable.code)
    return html, code, headers


def _forget_the_database() -> None:
    """Before a page for a database that is down: drop the failed transaction (the rollback
    itself may fail on a dead connection), and show the page as to a visitor, since loading
    the signed-in user would ask the same database again and turn the 503 into a 500.
    (`g._login_user` is where Flask-Login keeps the request's user once loaded.)"""
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()


def init_errors(app: Flask) -> None:
    """Register one handler for HTTP errors, CSRF failures, an unreachable database and anything unexpected."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, str(_l("Your form expired or was sent from elsewhere. Please reload the page and try again."))
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        """A Host outside TRUSTED_HOSTS: a plain 400, as no link can be built for that host."""
        return Response(str(_l("This site does not answer to that host name.")), 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code >= 500:
            db.session.rollback()
        if is_api_request():  # every status as it is (401, 415, ...), not only those with a page
            return render_error(error.code)
        return render_error(error.code if error.code in ERROR_TEXT else 500 if error.code >= 500 else 400)

    def database_unavailable(error: SQLAlchemyError):
        _forget_the_database()
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, error.__class__.__name__)
        return render_error(ServiceUnavailable.code)

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)
