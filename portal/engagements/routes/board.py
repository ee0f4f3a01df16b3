"""/app/engagements: the board (a column per stage) and the list view (?view=list).

Both read the same filters from the query string (portal.engagements.queries). Each
card carries a small POST form to move it, so the board works without JavaScript.
The number of queries does not depend on the number of cards (eager loading).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select, select

from portal.auth.queries import assignable_users
from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.core.reference import active_standards
from portal.domain import lifecycle
from portal.engagements import bp
from portal.engagements.presentation import STAGE_LABELS, card
from portal.engagements.queries import PER_PAGE_CHOICES, EngagementFilter, engagement_query, parse_engagement_filter
from portal.extensions import db
from portal.models import CertificationBody
from portal.models.types import utcnow
from portal.web.listing import filter_form_values

BOARD_STAGES = (*lifecycle.CYCLE, lifecycle.ON_HOLD)


def _filter_choices() -> dict[str, Any]:
    return {
        "consultants": assignable_users(),
        "standards": active_standards(),
        "bodies": db.session.scalars(select(CertificationBody).order_by(CertificationBody.name)).all(),
    }


@bp.get("/")
@staff_required
def board() -> ResponseReturnValue:
    parsed = parse_engagement_filter(request.args)
    flt = parsed.filter
    stmt = engagement_query(flt, current_user.id, today_in_oman())
    context = {
        **filter_form_values(parsed),
        "stage_labels": STAGE_LABELS,
        "all_stages": lifecycle.STAGES,
        "per_page_choices": PER_PAGE_CHOICES,
        **_filter_choices(),
    }
    status = 400 if parsed.errors else 200
    if flt.view == "list":
        return render_template("engagements/list.html", **_list_view(stmt, flt), **context), status
    return render_template("engagements/board.html", **_board_view(stmt, flt), **context), status


def _list_view(stmt: Select, flt: EngagementFilter) -> dict[str, Any]:
    today, now = today_in_oman(), utcnow()
    page = db.paginate(stmt, page=flt.page, per_page=flt.per_page, error_out=False, count=True)
    return {"page": page, "cards": [card(engagement, today, now) for engagement in page.items], "list_view": True}


def _board_view(stmt: Select, flt: EngagementFilter) -> dict[str, Any]:
    """A column per stage shown (only the closed column when filtering on closed)."""
    today, now = today_in_oman(), utcnow()
    closed_only = flt.stage == lifecycle.CLOSED
    shown = (lifecycle.CLOSED,) if closed_only else BOARD_STAGES
    columns: dict[str, list] = {stage: [] for stage in shown}
    for engagement in db.session.scalars(stmt).unique():
        if engagement.stage in columns:
            columns[engagement.stage].append(card(engagement, today, now))
    return {
        "columns": columns,
        "list_view": False,
        "show_closed_link": not closed_only,
        "return_to": request.query_string.decode("utf-8", "replace")[:1000],
    }
