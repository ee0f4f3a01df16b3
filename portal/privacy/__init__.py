"""Personal data (admins only): what the portal holds about a person, exported, corrected or
erased on request, and the retention periods after which finished records are erased."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/app/admin/privacy")

from portal.privacy import routes  # noqa: E402, F401  (the views attach themselves to bp)
