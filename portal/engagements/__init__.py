"""The engagements area's blueprint, shared by its route modules (board, detail, match)."""

from flask import Blueprint

bp = Blueprint("engagements", __name__, url_prefix="/app/engagements")

from portal.engagements import board, detail, match  # noqa: E402, F401  (the views attach themselves to bp)
