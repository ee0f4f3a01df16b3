"""Accounts: login (with two-factor sign-in), logout, password reset and the role checks every workspace route uses."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from portal.auth import routes, two_factor_routes  # noqa: E402, F401  (the views attach themselves to bp)
