"""Matching: which certification bodies may certify an engagement, ranked, and its shortlist.

The pages hang under the engagement's address (/app/engagements/<id>/match); the rules
live in portal.domain.matching, the directory is read by `loader`.
"""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/app/engagements")

from portal.matching import routes  # noqa: E402, F401  (the views attach themselves to bp)
