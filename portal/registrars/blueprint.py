"""The registrar directory's blueprint, shared by its route modules."""

from flask import Blueprint

bp = Blueprint("registrars", __name__, url_prefix="/app/registrars")


def registrars_blueprint() -> Blueprint:
    """The blueprint with its route modules attached (imported here so each registers once)."""
    from portal.registrars import import_routes, routes  # noqa: F401

    return bp
