"""The consultants' lead inbox: the filtered list, bulk actions and the CSV export."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from portal.auth.session import admin_required, staff_required
from portal.domain import lead_status
from portal.extensions import db
from portal.leads import bp
from portal.leads.bulk import BulkResult, bulk_assign, bulk_change_status
from portal.leads.export import export_leads, record_export
from portal.leads.filters import (
    ALL_STATUSES,
    COUNT_CAP,
    PER_PAGE_CHOICES,
    SORT_LABELS,
    LeadFilter,
    ParsedFilter,
    lead_query,
    parse_lead_filter,
)
from portal.leads.listing import filter_choices, inbox_page, inbox_rows
from portal.leads.services import STATUS_LABELS
from portal.models import User
from portal.models.types import utcnow
from portal.web.listing import parse_int

MAX_SKIP_MESSAGES = 5  # one message per skipped lead, up to this many, then a count
BULK_STATUSES = [status for status in ALL_STATUSES if status != lead_status.CONVERTED]


class BulkForm(FlaskForm):
    """One form around the inbox table: ticked rows, an action and its target."""

    lead_ids = SelectMultipleField(_l("Leads"), coerce=int, validate_choice=False)
    action = SelectField(
        _l("Action"),
        choices=[
            SelectChoice("assign", _l("Assign to")),
            SelectChoice("status", _l("Change status to")),
            SelectChoice("spam", _l("Mark as spam")),
        ],
    )
    target = SelectField(_l("Consultant or status"), validate_choice=False)
    reason = StringField(_l("Reason"), validators=[Length(max=300)])

    def validate_lead_ids(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Tick at least one lead."))


def _set_target_choices(form: BulkForm, consultants: list[User]) -> None:
    people, statuses = _("Consultant"), _("Status")
    form.target.choices = (
        [SelectChoice("none", _("Nobody (unassign)"), optgroup=people)]
        + [SelectChoice(str(user.id), user.name, optgroup=people) for user in consultants]
        + [SelectChoice(status, str(STATUS_LABELS[status]), optgroup=statuses) for status in BULK_STATUSES]
    )


def _render_inbox(parsed: ParsedFilter, form: BulkForm, status: int = 200):
    flt = parsed.filter
    choices = filter_choices()
    _set_target_choices(form, choices["consultants"])
    page = inbox_page(flt, current_user.id)
    html = render_template(
        "leads/inbox.html",
        flt=flt,
        args=flt.query_args(),
        errors=parsed.errors,
        raw=request.args,
        page=page,
        rows=inbox_rows(list(page.items), utcnow()),
        form=form,
        status_labels={status: str(label) for status, label in STATUS_LABELS.items()},  # translated once
        sort_labels=SORT_LABELS,
        per_page_choices=PER_PAGE_CHOICES,
        count_cap=COUNT_CAP,
        all_statuses=ALL_STATUSES,
        **choices,
    )
    return html, status


@bp.get("/")
@staff_required
def inbox():
    return _render_inbox(parse_lead_filter(request.args), BulkForm())


def _flash_result(result: BulkResult) -> None:
    if result.changed:
        flash(_("%(count)s leads changed.", count=len(result.changed)), "success")
    for reference, message in result.skipped[:MAX_SKIP_MESSAGES]:
        flash(_("%(reference)s skipped: %(reason)s", reference=reference, reason=message), "warning")
    if len(result.skipped) > MAX_SKIP_MESSAGES:
        flash(_("%(count)s more leads skipped.", count=len(result.skipped) - MAX_SKIP_MESSAGES), "warning")


@bp.post("/bulk")
@staff_required
def bulk():
    """Apply one action to the ticked leads. The filters ride along in the query string."""
    parsed = parse_lead_filter(request.args)
    form = BulkForm()
    if not form.validate_on_submit():
        return _render_inbox(parsed, form, 400)
    action, target, reason = form.action.data, form.target.data, (form.reason.data or "").strip()
    if action == "assign":
        assignee = None if target == "none" else _staff_user(target)
        if assignee is None and target != "none":
            form.target.errors.append(_("Choose a consultant."))
            return _render_inbox(parsed, form, 400)
        result = bulk_assign(form.lead_ids.data, assignee, current_user)
    elif action == "status":
        if target not in BULK_STATUSES:
            form.target.errors.append(_("Choose a status."))
            return _render_inbox(parsed, form, 400)
        if target in lead_status.REASON_REQUIRED and not reason:
            form.reason.errors.append(_("Give a reason for this status."))
            return _render_inbox(parsed, form, 400)
        result = bulk_change_status(form.lead_ids.data, target, current_user, reason)
    else:
        result = bulk_change_status(
            form.lead_ids.data, lead_status.SPAM, current_user, reason or _("Marked as spam in the inbox")
        )
    db.session.commit()
    _flash_result(result)
    return redirect(url_for("leads.inbox", **parsed.filter.query_args()))


def _staff_user(raw_id: str) -> User | None:
    user_id = parse_int(raw_id)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


@bp.get("/export.csv")
@admin_required
def export():
    """The current filtered view (every page) as CSV; recorded in the audit log."""
    flt: LeadFilter = parse_lead_filter(request.args).filter
    stmt = lead_query(flt, current_user.id)
    record_export(stmt, flt.query_args(), current_user)
    db.session.commit()
    filename = f"leads-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        stream_with_context(export_leads(stmt)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
