"""Quotes: request, compare, enter by hand and accept certification bodies' prices."""

from flask import Blueprint

bp = Blueprint("quotes", __name__)

from portal.quotes import routes  # noqa: E402, F401  (the views attach themselves to bp)
