"""`/healthz`: is the app up and does the database answer?"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db, limiter
from portal.web.security import plain_http_allowed

logger = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
@plain_http_allowed
def healthz():
    """200 with {"status": "ok"} when the database answers, 503 otherwise; over HTTP or HTTPS."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        # One line per probe: load balancers probe every few seconds for as long as it lasts.
        logger.warning("health check: database unreachable (%s)", type(error).__name__)
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up"), 200
