"""The lead page (/app/leads/<id>) and one POST endpoint per triage action.

Each action: load or 404 -> staff only -> validate its form -> call one service ->
commit -> flash -> redirect. A refused action re-renders the page with the person's
input kept: 400 for bad input, 409 when someone else changed the lead meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.session import staff_required
from portal.domain import lead_status
from portal.extensions import db
from portal.leads import bp, conversion, duplicates, services
from portal.leads.forms import (
    FORM_CLASSES,
    AssignForm,
    CallForm,
    ConvertForm,
    EmailForm,
    MergeForm,
    NoteForm,
    StatusForm,
    configure,
    fresh_form,
)
from portal.leads.presentation import estimate_rows, readiness_view, score_lines
from portal.leads.services import CALL_OUTCOMES, LEAD_EMAIL_TEMPLATES, STATUS_LABELS, LeadError
from portal.models import Activity, Lead, Standard, User
from portal.web.listing import parse_int


def _load(lead_id: int) -> Lead:
    lead = db.session.scalar(
        select(Lead)
        .where(Lead.id == lead_id)
        .options(
            joinedload(Lead.sector),
            joinedload(Lead.region),
            joinedload(Lead.assigned_to),
            joinedload(Lead.duplicate_of),
            selectinload(Lead.standards),
        )
    )
    if lead is None:
        abort(404)
    return lead


def _choices() -> tuple[list[User], list[Standard]]:
    users = services.assignable_users()
    standards = list(db.session.scalars(select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)))
    return users, standards


def _page(lead: Lead, status: int = 200, conflict: str | None = None, error: str | None = None, **bound: FlaskForm):
    """Render the lead page; `bound` forms (the one just sent) keep what the person typed."""
    users, standards = _choices()
    forms = {name: bound.get(name) or fresh_form(name, lead, users, standards) for name in FORM_CLASSES}
    timeline = db.session.scalars(
        select(Activity)
        .where(Activity.lead_id == lead.id)
        .options(joinedload(Activity.author))
        .order_by(Activity.created_at.desc(), Activity.id.desc())
    ).all()
    context = {
        "lead": lead,
        "inbox_url": url_for("leads.inbox")
        if "leads.inbox" in current_app.view_functions
        else url_for("workspace.home"),
        "call_outcomes": CALL_OUTCOMES,
        "readiness": readiness_view(lead.readiness),
        "score_lines": score_lines(lead.score_factors),
        "estimate_rows": estimate_rows(lead.estimate),
        "status_labels": STATUS_LABELS,
        "is_open": lead_status.is_open(lead.status),
        "can_reopen": lead.status == lead_status.UNQUALIFIED,
        "duplicates": duplicates.possible_duplicates(lead),
        "merged_here": duplicates.merged_into(lead),
        "timeline": timeline,
        "engagement": conversion.engagement_for(lead),
        "conflict": conflict,
        "page_error": error,
        **forms,
    }
    return render_template("leads/detail.html", **context), status


@bp.get("/<int:id>")
@staff_required
def detail(id: int):
    return _page(_load(id))


def _act(lead_id: int, form_name: str, form: FlaskForm, action: Callable[[Lead], str]):
    """Validate `form`, run `action` (which returns the success message), commit once.

    On a refused action or a concurrent change the transaction is rolled back and the
    page is shown again with the form as the person filled it.
    """
    lead = _load(lead_id)
    users, standards = _choices()
    configure(form, lead, users, standards)
    if not form.validate_on_submit():
        hidden_errors = any(_is_hidden(field) and field.errors for field in form)
        incomplete = _("The form was incomplete. Reload the page and try again.") if hidden_errors else None
        return _page(lead, 400, error=incomplete, **{form_name: form})
    try:
        message = action(lead)
        db.session.commit()
    except LeadError as error:
        db.session.rollback()
        if error.conflict:
            return _conflict(lead_id, form_name, form)
        lead = _load(lead_id)
        configure(form, lead, users, standards)
        field = getattr(form, error.field, None) if error.field else None
        if field is not None and not _is_hidden(field):
            field.errors = [*field.errors, error.message]
            return _page(lead, 400, **{form_name: form})
        return _page(lead, 400, error=error.message, **{form_name: form})
    except StaleDataError:
        db.session.rollback()
        return _conflict(lead_id, form_name, form)
    flash(message, "success")
    return redirect(url_for("leads.detail", id=lead_id))


def _is_hidden(field) -> bool:
    return getattr(field.widget, "input_type", None) == "hidden"


def _conflict(lead_id: int, form_name: str, form: FlaskForm):
    """Show the lead as it is now, keep the person's input, and let them send it again knowingly."""
    lead = _load(lead_id)
    users, standards = _choices()
    configure(form, lead, users, standards)
    if hasattr(form, "version"):
        form.version.data = lead.version
        form.version.raw_data = [str(lead.version)]
    return _page(lead, 409, conflict=services.stale_message(), **{form_name: form})


@bp.post("/<int:id>/assign")
@staff_required
def assign(id: int):
    form = AssignForm()

    def action(lead: Lead) -> str:
        assignee = db.session.get(User, form.assignee.data) if form.assignee.data else None
        services.assign(lead, assignee, current_user, expected_version=form.version.data)
        return _("Lead assigned to %(name)s.", name=assignee.name) if assignee else _("Lead unassigned.")

    return _act(id, "assign_form", form, action)


@bp.post("/<int:id>/status")
@staff_required
def change_status(id: int):
    form = StatusForm()

    def action(lead: Lead) -> str:
        services.change_status(
            lead, form.status.data, current_user, form.reason.data or "", expected_version=form.version.data
        )
        return _("Status changed to %(status)s.", status=STATUS_LABELS[form.status.data])

    return _act(id, "status_form", form, action)


@bp.post("/<int:id>/note")
@staff_required
def add_note(id: int):
    form = NoteForm()

    def action(lead: Lead) -> str:
        services.add_note(lead, current_user, form.note.data)
        return _("Note added.")

    return _act(id, "note_form", form, action)


@bp.post("/<int:id>/call")
@staff_required
def log_call(id: int):
    form = CallForm()

    def action(lead: Lead) -> str:
        services.log_call(lead, current_user, form.outcome.data, form.call_notes.data or "")
        return _("Call logged: %(outcome)s.", outcome=CALL_OUTCOMES[form.outcome.data])

    return _act(id, "call_form", form, action)


@bp.post("/<int:id>/email")
@staff_required
def send_email(id: int):
    form = EmailForm()

    def action(lead: Lead) -> str:
        services.send_email(lead, current_user, form.template.data, form.personal_message.data or "")
        return _(
            "E-mail “%(template)s” queued to %(email)s.",
            template=LEAD_EMAIL_TEMPLATES[form.template.data].label,
            email=lead.email,
        )

    return _act(id, "email_form", form, action)


@bp.post("/<int:id>/merge")
@staff_required
def merge(id: int):
    form = MergeForm()

    def action(lead: Lead) -> str:
        target_id = parse_int(str(form.target.data))
        original = db.session.get(Lead, target_id) if target_id is not None else None
        if original is None:
            raise LeadError(_("Choose the lead to merge into."), field="target")
        services.merge(lead, original, current_user, expected_version=form.version.data)
        return _("Merged into %(reference)s.", reference=original.reference)

    return _act(id, "merge_form", form, action)


@bp.post("/<int:id>/convert")
@staff_required
def convert(id: int):
    form = ConvertForm()

    def action(lead: Lead) -> str:
        engagement = conversion.convert(lead, current_user, form.standards.data, expected_version=form.version.data)
        return _(
            "Converted: client %(client)s, engagement #%(number)s.", client=engagement.client.name, number=engagement.id
        )

    return _act(id, "convert_form", form, action)
