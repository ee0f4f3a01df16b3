"""The consultants' lead inbox: the filtered list, bulk actions and the CSV export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import admin_required, staff_required
from portal.extensions import db
from portal.leads import bp
from portal.leads.forms import BULK_STATUSES, BulkForm, RenameViewForm, SaveViewForm, configure_bulk
from portal.leads.presentation import filter_options, row_badges
from portal.leads.queries.filters import (
    COUNT_CAP,
    PER_PAGE_CHOICES,
    SORT_LABELS,
    ParsedFilter,
    lead_query,
    lead_with_reference,
    parse_lead_filter,
)
from portal.leads.queries.inbox import filter_choices, inbox_page, inbox_rows
from portal.leads.queries.views import inbox_tabs, visible_view
from portal.leads.services.bulk import BulkResult, bulk_action
from portal.leads.services.export import export_leads, record_export
from portal.leads.services.views import may_change
from portal.models.types import utcnow
from portal.web.actions import run_action
from portal.web.downloads import attachment_headers
from portal.web.form_fields import ActionForm
from portal.web.listing import filter_form_values

MAX_SKIP_MESSAGES = 5  # one message per skipped lead, up to this many, then a count


def render_inbox(
    parsed: ParsedFilter,
    form: BulkForm,
    status: int = 200,
    view_form: SaveViewForm | None = None,
    rename_form: RenameViewForm | None = None,
    error: str | None = None,
    **_page_messages: str | None,
):
    """The inbox page; a refused bulk action or view shows its messages next to its form's fields."""
    flt = parsed.filter
    choices = filter_choices()
    configure_bulk(form, choices["consultants"], choices["tags"])
    page = inbox_page(flt, current_user.id)
    tabs = inbox_tabs(current_user, flt)
    active_tab = next((tab for tab in tabs if tab.active), None)
    if rename_form is None and active_tab is not None and active_tab.view is not None:
        rename_form = RenameViewForm(formdata=None, new_name=active_tab.view.name)
    rows = inbox_rows(page.items, utcnow())
    html = render_template(
        "leads/inbox.html",
        args=flt.query_args(),
        page=page,
        rows=rows,
        badges=row_badges(rows),
        form=form,
        sort_labels=SORT_LABELS,
        per_page_choices=PER_PAGE_CHOICES,
        count_cap=COUNT_CAP,
        tabs=tabs,
        active_tab=active_tab,
        view_form=view_form or SaveViewForm(formdata=None),
        rename_form=rename_form,
        may_change=may_change,
        page_error=error,
        **filter_options(choices),
        **filter_form_values(parsed),
    )
    return html, status


@bp.get("/")
@staff_required
def inbox():
    if not request.args and current_user.default_view_id:  # no filters asked for: the user's default view
        view = visible_view(current_user.default_view_id, current_user)
        if view is not None and view.query:
            return redirect(f"{url_for('leads.inbox')}?{view.query}")
    parsed = parse_lead_filter(request.args)
    lead_id = lead_with_reference(parsed.filter.q)
    if lead_id is not None:  # a whole reference: straight to its lead
        return redirect(url_for("leads.detail", id=lead_id))
    return render_inbox(parsed, BulkForm())


def _flash_result(result: BulkResult) -> None:
    if result.changed:
        flash(_("%(count)s leads changed.", count=len(result.changed)), "success")
    for reference, message in result.skipped[:MAX_SKIP_MESSAGES]:
        flash(_("%(reference)s skipped: %(reason)s", reference=reference, reason=message), "warning")
    if len(result.skipped) > MAX_SKIP_MESSAGES:
        flash(_("%(count)s more leads skipped.", count=len(result.skipped) - MAX_SKIP_MESSAGES), "warning")
    if result.missing:
        flash(_("%(count)s ticked leads no longer exist.", count=result.missing), "warning")


@bp.post("/bulk")
@staff_required
def bulk():
    """Apply one action to the ticked leads. The filters ride along in the query string."""
    parsed = parse_lead_filter(request.args)
    form = BulkForm()

    def action() -> None:
        result = bulk_action(
            form.lead_ids.data, form.action.data, form.target.data, form.reason.data or "", current_user, BULK_STATUSES
        )
        _flash_result(result)  # several messages, some warnings: flashed here rather than by run_action

    return run_action(
        form,
        action,
        done=url_for("leads.inbox", **parsed.filter.query_args()),
        page=lambda status, **messages: render_inbox(parsed, form, status, **messages),
    )


@bp.post("/export.csv")
@admin_required
def export():
    """The current filtered view (every page) as CSV. A POST with its token: it writes an audit row."""
    if not ActionForm().validate_on_submit():
        abort(400)
    flt = parse_lead_filter(request.args).filter
    stmt = lead_query(flt, current_user.id)
    record_export(stmt, flt.query_args(), current_user)
    db.session.commit()
    filename = f"leads-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        stream_with_context(export_leads(stmt)),
        mimetype="text/csv",
        headers=attachment_headers(filename),
    )
