"""Branded error pages: never a stack trace, and a rollback before a 500 page."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from portal.extensions import db

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


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(code: int, detail: str | None = None):
    title, message = ERROR_TEXT.get(code, ERROR_TEXT[500])
    if wants_json():
        return jsonify(error=str(title), status=code), code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_errors(app: Flask) -> None:
    """Register one handler for HTTP errors, CSRF failures and anything unexpected."""

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
        return render_error(error.code if error.code in ERROR_TEXT else 500 if error.code >= 500 else 400)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)
