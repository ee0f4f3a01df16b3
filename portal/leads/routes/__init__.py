"""The leads area's pages: the inbox (list, bulk actions, export) and the lead page with its actions."""

from portal.leads.routes import inbox, lead, views  # noqa: F401  (the views attach themselves to bp)
