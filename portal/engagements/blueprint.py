"""The engagements area's blueprint, shared by its route modules (board, detail, match)."""

from flask import Blueprint

bp = Blueprint("engagements", __name__, url_prefix="/app/engagements")
