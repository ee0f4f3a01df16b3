"""The logged-in workspace's landing page (`/app/`): the consultant's morning dashboard."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal.auth.session import staff_required
from portal.leads.dashboard import morning_summary
from portal.models.types import utcnow
from portal.workspace import bp


@bp.get("/")
@staff_required
def home():
    counters, chart = morning_summary(current_user.id, utcnow())
    return render_template("workspace/home.html", counters=counters, chart=chart)
