"""The logged-in workspace's landing page (`/app/`): the consultant's morning dashboard."""

from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/app")

from portal.workspace import routes  # noqa: E402, F401  (the views attach themselves to bp)
