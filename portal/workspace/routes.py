"""The logged-in workspace's landing page (`/app/`): the consultant's morning dashboard."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal.auth.session import staff_required
from portal.models.types import utcnow
from portal.workspace import bp
from portal.workspace.presentation import morning_summary


@bp.get("/")
@staff_required
def home():
    summary = morning_summary(current_user.id, utcnow())
    return render_template(
        "workspace/home.html",
        counters=summary.counters,
        certificates=summary.certificates,
        chart=summary.chart,
        response=summary,
    )
