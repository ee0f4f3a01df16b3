"""The client status page: a signed link a consultant sends the client's contact, the page it opens
(the certification cycle, audits ahead, the chosen body, the certificate) and the documents the
consultant asks the client for, uploaded on that page and reviewed on the engagement's client page."""

from flask import Blueprint

bp = Blueprint("client_status", __name__)

from portal.client_status import routes  # noqa: E402, F401  (the views attach themselves to bp)
