"""Administration (admins only): users, settings and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/app/admin")

from portal.admin import routes  # noqa: E402, F401  (the views attach themselves to bp)
