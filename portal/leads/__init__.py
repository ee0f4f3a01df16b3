"""The leads area's blueprint, shared by its route modules (inbox and lead page)."""

from flask import Blueprint

bp = Blueprint("leads", __name__, url_prefix="/app/leads")

from portal.leads import inbox, routes  # noqa: E402, F401  (the views attach themselves to bp)
