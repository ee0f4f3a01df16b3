"""Clients: the organisations the consultancy works for, with their engagements and contacts."""

from flask import Blueprint

bp = Blueprint("clients", __name__, url_prefix="/app/clients")

from portal.clients import routes  # noqa: E402, F401  (the views attach themselves to bp)
