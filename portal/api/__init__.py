"""The intake API (/api/v1): the firm's other websites send enquiries as JSON and read their
status, authenticated by API keys (Authorization: Bearer). Bearer authentication, not cookies,
so the blueprint is exempt from CSRF and never sets a session cookie."""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from portal.api import routes  # noqa: E402, F401  (the views attach themselves to bp)
