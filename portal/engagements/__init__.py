"""Engagements: the board of every engagement by stage, and one engagement's page and actions."""

from flask import Blueprint

bp = Blueprint("engagements", __name__, url_prefix="/app/engagements")

from portal.engagements import routes  # noqa: E402, F401  (the views attach themselves to bp)
