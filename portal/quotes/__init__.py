"""Quotes: request, compare, enter by hand and accept certification bodies' prices; the signed-link pages where bodies answer."""

from flask import Blueprint

bp = Blueprint("quotes", __name__)

from portal.quotes import routes  # noqa: E402, F401  (the views attach themselves to bp)
