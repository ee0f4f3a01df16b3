"""Administration (admins only): users, settings, the audit log and the reference data (MLA scopes, editions)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/app/admin")

from portal.admin import routes  # noqa: E402, F401  (the views attach themselves to bp)
