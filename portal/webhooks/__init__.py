"""Webhooks (admins only): register the HTTPS endpoints other systems listen on, see what was
delivered to them with the last answer, redeliver. Queuing and sending live in
`portal/core/webhooks.py`, since every area that raises an event queues through it."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__, url_prefix="/app/admin/webhooks")

from portal.webhooks import routes  # noqa: E402, F401  (the views attach themselves to bp)
