"""Leads: the consultants' inbox of enquiries and the lead page where each is triaged."""

from flask import Blueprint

bp = Blueprint("leads", __name__, url_prefix="/app/leads")

from portal.leads import routes  # noqa: E402, F401  (the views attach themselves to bp)
