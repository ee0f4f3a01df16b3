"""Leads: the consultants' inbox of enquiries and the lead page where each is triaged."""

from flask import Blueprint

bp = Blueprint("leads", __name__, url_prefix="/app/leads")

from portal.leads.tallies import keep_tallies  # noqa: E402

keep_tallies()  # the dashboard's lead counts follow every change to a lead, whatever code makes it

from portal.leads import routes  # noqa: E402, F401  (the views attach themselves to bp)
