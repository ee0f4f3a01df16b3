"""The area's pages: the consultant's (`staff`, under /app/engagements/<id>/client) and the client's (`page`, /status/<token>)."""

from portal.client_status.routes import page, staff  # noqa: F401  (the views attach themselves to bp)
