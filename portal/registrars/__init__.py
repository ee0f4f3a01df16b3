"""The registrar directory's blueprint, shared by its route modules."""

from flask import Blueprint

bp = Blueprint("registrars", __name__, url_prefix="/app/registrars")

from portal.registrars import import_routes, routes  # noqa: E402, F401  (the views attach themselves to bp)
