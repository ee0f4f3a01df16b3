"""The match page (/app/engagements/<id>/match): which certification bodies may certify the
engagement, ranked with their score in parts, the excluded ones with every reason, and a
shortlist kept on the engagement.

The consultant re-runs the match with other figures (personnel, sites, language,
complexity, target date) through a GET form; the engagement itself is not changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn
from urllib.parse import parse_qsl, urlencode

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.session import staff_required
from portal.core.audit_time_text import complexity_choice_text
from portal.core.clock import today_in_oman
from portal.domain.audit_time import AuditTimeError, ComplexityChoiceError
from portal.domain.matching_types import EngagementNeeds
from portal.engagements.queries import engagement_or_404
from portal.extensions import db
from portal.matching import bp, services
from portal.matching.forms import MatchForm, ShortlistForm
from portal.matching.loader import NeedsInput, collector_paused, engagement_defaults, match_needs, needs_for
from portal.matching.presentation import result_view
from portal.models import CertificationBody, Engagement, Lead, Region
from portal.web.actions import run_action
from portal.web.listing import known_args


def _load(engagement_id: int) -> Engagement:
    return engagement_or_404(
        engagement_id,
        joinedload(Engagement.client),
        joinedload(Engagement.lead).joinedload(Lead.sector),
        joinedload(Engagement.lead).joinedload(Lead.region).joinedload(Region.governorate),
        selectinload(Engagement.standards),
    )


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
    return render_template(
        "matching/match.html",
        engagement=engagement,
        needs=needs,
        form=form,
        result=_result(engagement, needs, form) if needs is not None else None,
        complexity_fields=[form[table] for table in ("ems", "ohs") if table in tables],
        query=request.query_string.decode(),
        show_all_url=url_for("matching.match", id=engagement.id, **known_args(request.args, form.data), all="1"),
        back_url=url_for("engagements.detail", id=engagement.id),
    )


def _result(engagement: Engagement, needs: EngagementNeeds, form: MatchForm) -> dict | None:
    """The ranked bodies, or None with the refused figure marked on the form."""
    try:
        matched = match_needs(needs, today_in_oman())
    except AuditTimeError as error:
        # The domain's message is for developers (English, untranslated); people get these.
        field = form[error.field if error.field in form else "personnel"]
        special = isinstance(error, ComplexityChoiceError)
        field.errors.append(
            complexity_choice_text(error.field)
            if special
            else _("The audit-time rules cannot use this value; please check it.")
        )
        return None
    shortlisted = services.shortlisted_ids(engagement.id)
    show_all = request.args.get("all") == "1"
    return result_view(engagement.id, needs, matched, shortlisted, show_all)


def _refused(status: int, **_: object) -> NoReturn:
    """The shortlist buttons carry only a CSRF token: a refusal is a bad request, no page to redo."""
    abort(status)


def _back_to_match(id: int, body_id: int) -> str:
    query = urlencode(parse_qsl(request.form.get("query", "")))  # only the match form's own figures go back
    return url_for("matching.match", id=id) + (f"?{query}" if query else "") + f"#body-{body_id}"


ShortlistChange = Callable[[Engagement, CertificationBody], str]


def _change_shortlist(id: int, body_id: int, change: ShortlistChange) -> ResponseReturnValue:
    """Add or remove one body, then back to the match page with its figures, at the body."""
    engagement = engagement_or_404(id)
    body = db.session.get(CertificationBody, body_id) or abort(404)
    return run_action(
        ShortlistForm(), lambda: change(engagement, body), done=_back_to_match(id, body_id), page=_refused
    )


def _add(engagement: Engagement, body: CertificationBody) -> str:
    if services.add(engagement, body, current_user):
        return _("%(name)s is on the shortlist.", name=body.name)
    return _("Already on the shortlist.")


def _remove(engagement: Engagement, body: CertificationBody) -> str:
    services.remove(engagement, body, current_user)
    return _("%(name)s is off the shortlist.", name=body.name)


@bp.post("/<int:id>/shortlist/<int:body_id>")
@staff_required
def shortlist_add(id: int, body_id: int) -> ResponseReturnValue:
    return _change_shortlist(id, body_id, _add)


@bp.post("/<int:id>/shortlist/<int:body_id>/remove")
@staff_required
def shortlist_remove(id: int, body_id: int) -> ResponseReturnValue:
    return _change_shortlist(id, body_id, _remove)
