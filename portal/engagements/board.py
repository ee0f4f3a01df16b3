"""/app/engagements: the board (a column per stage) and the list view (?view=list).

Both read the same filters from the query string (portal.engagements.filters). Each
card carries a small POST form to move it, so the board works without JavaScript.
The number of queries does not depend on the number of cards (eager loading).
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.domain import lifecycle
from portal.engagements import bp
from portal.engagements.filters import PER_PAGE_CHOICES, engagement_query, parse_engagement_filter
from portal.engagements.presentation import card
from portal.engagements.services import STAGE_LABELS
from portal.extensions import db
from portal.leads.queries import assignable_users
from portal.models import CertificationBody, Standard
from portal.models.types import utcnow

BOARD_STAGES = (*lifecycle.CYCLE, lifecycle.ON_HOLD)


def _filter_choices() -> dict:
    return {
        "consultants": assignable_users(),
        "standards": db.session.scalars(
            select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)
        ).all(),
        "bodies": db.session.scalars(select(CertificationBody).order_by(CertificationBody.name)).all(),
    }


@bp.get("/")
@staff_required
def board():
    parsed = parse_engagement_filter(request.args)
    flt = parsed.filter
    today, now = today_in_oman(), utcnow()
    stmt = engagement_query(flt, current_user.id, today)
    context = {
        "flt": flt,
        "errors": parsed.errors,
        "raw": request.args,
        "stage_labels": STAGE_LABELS,
        "all_stages": lifecycle.STAGES,
        "per_page_choices": PER_PAGE_CHOICES,
        **_filter_choices(),
    }
    if flt.view == "list":
        page = db.paginate(stmt, page=flt.page, per_page=flt.per_page, error_out=False, count=True)
        cards = [card(engagement, today, now) for engagement in page.items]
        return render_template(
            "engagements/list.html", page=page, cards=cards, **context
        ), 400 if parsed.errors else 200

    shown = (lifecycle.CLOSED,) if flt.stage == lifecycle.CLOSED else BOARD_STAGES
    columns: dict[str, list] = {stage: [] for stage in shown}
    for engagement in db.session.scalars(stmt).unique():
        if engagement.stage in columns:
            columns[engagement.stage].append(card(engagement, today, now))
    return_to = request.query_string.decode("utf-8", "replace")[:1000]
    return (
        render_template("engagements/board.html", columns=columns, return_to=return_to, **context),
        400 if parsed.errors else 200,
    )
