"""The match page (/app/engagements/<id>/match): which certification bodies may certify the
engagement, ranked with their score in parts, the excluded ones with every reason, and a
shortlist kept on the engagement.

The consultant re-runs the match with other figures (personnel, sites, language,
complexity, target date) through a GET form; the engagement itself is not changed.
"""

from __future__ import annotations

from itertools import chain
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.session import staff_required
from portal.core.audit_time_text import explanation
from portal.core.clock import today_in_oman
from portal.domain.audit_time import AuditTimeError
from portal.domain.matching_types import Candidate, MatchResult
from portal.engagements import bp, shortlist
from portal.engagements.match_forms import MatchForm, ShortlistForm
from portal.engagements.match_text import finding_text, part_view
from portal.engagements.matching_loader import (
    AccreditationsOnDemand,
    NeedsInput,
    collector_paused,
    engagement_defaults,
    match_engagement,
    needs_for,
)
from portal.extensions import db
from portal.models import CertificationBody, Engagement, Lead, Region

SHOWN_ELIGIBLE = 50
SHOWN_EXCLUDED = 100


def _load(engagement_id: int) -> Engagement:
    engagement = db.session.scalar(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .options(
            joinedload(Engagement.client),
            joinedload(Engagement.lead).joinedload(Lead.sector),
            joinedload(Engagement.lead).joinedload(Lead.region).joinedload(Region.governorate),
            selectinload(Engagement.standards),
        )
    )
    if engagement is None:
        abort(404)
    return engagement


def _form(engagement: Engagement) -> MatchForm:
    """The request's figures, or the engagement's own on first opening."""
    if request.args:
        return MatchForm(request.args)
    defaults = engagement_defaults(engagement)
    return MatchForm(
        data={
            "personnel": defaults.personnel,
            "sites": defaults.sites,
            "language": defaults.language or "",
            "target_date": defaults.target_date,
        }
    )


def _back_url(engagement: Engagement) -> str:
    if "engagements.detail" in current_app.view_functions:
        return url_for("engagements.detail", id=engagement.id)
    return url_for("workspace.home")


def _candidate_view(rank: int, candidate: Candidate, shortlisted: set[int]) -> dict[str, Any]:
    return {
        "rank": rank,
        "id": candidate.body.id,
        "name": candidate.body.name,
        "score": candidate.score,
        "parts": [part_view(part) for part in candidate.parts],
        "covered": candidate.covered,
        "days": candidate.estimate.days,
        "cost": candidate.three_year_cost,
        "day_rate": candidate.body.day_rate,
        "warnings": [finding_text(f) for f in candidate.warnings],
        "not_covered": [finding_text(f) for f in candidate.not_covered],
        "shortlisted": candidate.body.id in shortlisted,
    }


def _result_view(
    result: MatchResult, explanations: AccreditationsOnDemand, shortlisted: set[int], show_all: bool
) -> dict[str, Any]:
    """Ready values; with thousands of bodies only the best eligible and the first excluded are worded."""
    eligible = result.eligible if show_all else result.eligible[:SHOWN_ELIGIBLE]
    excluded = result.excluded if show_all else result.excluded[:SHOWN_EXCLUDED]
    explanations.prefetch(chain((c.body.id for c in eligible), (e.body.id for e in excluded)))
    return {
        "days": result.estimate.days,
        "without_table": result.estimate.without_table,
        "explanation": explanation(result.estimate),
        "eligible": [_candidate_view(rank, c, shortlisted) for rank, c in enumerate(eligible, start=1)],
        "excluded": [
            {"id": e.body.id, "name": e.body.name, "reasons": [finding_text(f) for f in e.reasons]} for e in excluded
        ],
        "eligible_total": len(result.eligible),
        "excluded_total": len(result.excluded),
        "truncated": len(eligible) < len(result.eligible) or len(excluded) < len(result.excluded),
    }


@bp.get("/<int:id>/match")
@staff_required
def match(id: int):
    with collector_paused():  # until the page is rendered: see collector_paused
        return _match_page(_load(id))


def _match_page(engagement: Engagement) -> str:
    form = _form(engagement)
    given = form.needs_input() if form.validate() else NeedsInput()
    needs = needs_for(engagement, given) if engagement.standards else None
    form.name_sector_defaults(engagement.lead.sector.code if engagement.lead and engagement.lead.sector else None)
    tables = {standard.md5_table for standard in engagement.standards}
    result = None
    if needs is not None:
        try:
            matched, directory = match_engagement(engagement, needs, today_in_oman())
        except AuditTimeError as error:
            # The domain's message is for developers (English, untranslated); people get this one.
            field = form[error.field if error.field in form else "personnel"]
            field.errors.append(_("The audit-time rules cannot use this value; please check it."))
        else:
            show_all = request.args.get("all") == "1"
            result = _result_view(matched, directory.explanations, shortlist.shortlisted_ids(engagement.id), show_all)
    return render_template(
        "engagements/match.html",
        engagement=engagement,
        needs=needs,
        form=form,
        result=result,
        complexity_fields=[form[table] for table in ("ems", "ohs") if table in tables],
        query=request.query_string.decode(),
        show_all_url=url_for("engagements.match", id=engagement.id, **{**request.args.to_dict(), "all": "1"}),
        back_url=_back_url(engagement),
    )


def _shortlist_action(id: int, body_id: int, action: str):
    engagement = db.session.get(Engagement, id) or abort(404)
    body = db.session.get(CertificationBody, body_id) or abort(404)
    if not ShortlistForm().validate_on_submit():
        abort(400)
    try:
        changed = getattr(shortlist, action)(engagement, body, current_user)
        db.session.commit()
    except IntegrityError:  # someone added it at the same moment: it is on the list either way
        db.session.rollback()
        changed = False
    if action == "add":
        flash(
            _("%(name)s is on the shortlist.", name=body.name) if changed else _("Already on the shortlist."), "success"
        )
    else:
        flash(_("%(name)s is off the shortlist.", name=body.name), "success")
    query = urlencode(parse_qsl(request.form.get("query", "")))  # only the match form's own figures go back
    target = url_for("engagements.match", id=id) + (f"?{query}" if query else "")
    return redirect(f"{target}#body-{body.id}")


@bp.post("/<int:id>/shortlist/<int:body_id>")
@staff_required
def shortlist_add(id: int, body_id: int):
    return _shortlist_action(id, body_id, "add")


@bp.post("/<int:id>/shortlist/<int:body_id>/remove")
@staff_required
def shortlist_remove(id: int, body_id: int):
    return _shortlist_action(id, body_id, "remove")
