"""The registrar directory: certification bodies, their accreditations, and its CSV import and export."""

from flask import Blueprint

bp = Blueprint("registrars", __name__, url_prefix="/app/registrars")

from portal.registrars import routes  # noqa: E402, F401  (the views attach themselves to bp)
