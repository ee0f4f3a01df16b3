"""The lead page (/app/leads/<id>), one POST endpoint per triage action, and the lead's files
(attach, download as an attachment under a server-made name, delete).

Each action: load or 404 -> staff only -> `run_action` (validate its form, call one
service, commit) -> flash -> redirect. A refused action re-renders the page with the
person's input kept: 400 for bad input, 409 when someone else changed the lead meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.auth.session import staff_required
from portal.core.uploads import open_stored
from portal.domain.file_kinds import BY_EXTENSION
from portal.extensions import db
from portal.leads import bp, services
from portal.leads.forms import (
    FORM_CLASSES,
    AssignForm,
    AttachmentForm,
    CallForm,
    ConvertForm,
    EmailForm,
    MergeForm,
    NoteForm,
    StatusForm,
    TagLeadForm,
    configure,
    fresh_form,
)
from portal.leads.presentation import (
    CALL_OUTCOMES,
    DUPLICATE_REASON_LABELS,
    LEAD_EMAIL_TEMPLATES,
    attachment_download_name,
    attachment_rows,
    lead_page_flags,
    lead_timeline_entries,
    response_line,
)
from portal.leads.queries import form_choices, lead_attachments, lead_for_page, lead_timeline
from portal.leads.queries.duplicates import merged_into, possible_duplicates
from portal.leads.response import load_response_settings
from portal.leads.services import attachments, conversion, tags
from portal.models import Lead, LeadAttachment, Tag, User
from portal.models.types import utcnow
from portal.web.actions import run_action
from portal.web.downloads import send_stored
from portal.web.form_fields import ActionForm
from portal.web.listing import parse_int
from portal.web.status import LEAD_STATUS_LABELS


def lead_or_404(lead_id: int) -> Lead:
    lead = lead_for_page(lead_id)
    if lead is None:
        abort(404)
    return lead


def _page(lead: Lead, status: int = 200, conflict: str | None = None, error: str | None = None, **bound: FlaskForm):
    """Render the lead page; `bound` forms (the one just sent) keep what the person typed."""
    choices = form_choices()
    forms = {name: bound.get(name) or fresh_form(name, lead, choices) for name in FORM_CLASSES}
    engagement = conversion.engagement_for(lead)
    files = lead_attachments(lead)
    return render_template(
        "leads/detail.html",
        lead=lead,
        duplicates=possible_duplicates(lead),
        reason_labels=DUPLICATE_REASON_LABELS,
        merged_here=merged_into(lead),
        timeline=lead_timeline_entries(lead_timeline(lead), files),
        attachments=attachment_rows(files),
        attachment_max_mb=current_app.config["LEAD_ATTACHMENT_MAX_BYTES"] // (1024 * 1024),
        engagement=engagement,
        response=response_line(lead, load_response_settings(), utcnow()),
        conflict=conflict,
        page_error=error,
        **lead_page_flags(lead, engagement, current_user.id),
        **forms,
    ), status


@bp.get("/<int:id>")
@staff_required
def detail(id: int):
    return _page(lead_or_404(id))


def _act(lead_id: int, form_name: str, form: FlaskForm, action: Callable[[Lead], str]):
    """Run one triage action through `run_action`; a refused one shows the lead as it is now
    with the form as the person filled it (after a conflict, with the lead's current version)."""
    lead = lead_or_404(lead_id)
    choices = form_choices()
    configure(form, lead, choices)

    def page(status: int, *, error: str | None = None, conflict: str | None = None):
        current = lead_or_404(lead_id)
        configure(form, current, choices)
        if conflict and hasattr(form, "version"):
            form.version.data = current.version
            form.version.raw_data = [str(current.version)]
        return _page(current, status, conflict=conflict, error=error, **{form_name: form})

    return run_action(
        form,
        lambda: action(lead),
        done=url_for("leads.detail", id=lead_id),
        page=page,
        conflict_message=services.stale_message,
    )


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
        return _("Status changed to %(status)s.", status=LEAD_STATUS_LABELS[form.status.data])

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


@bp.post("/<int:id>/tags")
@staff_required
def add_tag(id: int):
    form = TagLeadForm()

    def action(lead: Lead) -> str:
        tag_id = parse_int(form.tag.data or "")
        tag = tags.tag_lead(lead, db.session.get(Tag, tag_id) if tag_id else None, current_user)
        return _("Tagged %(name)s.", name=tag.name)

    return _act(id, "tag_form", form, action)


@bp.post("/<int:id>/tags/<int:tag_id>/remove")
@staff_required
def remove_tag(id: int, tag_id: int):
    tag = db.get_or_404(Tag, tag_id)

    def action(lead: Lead) -> str:
        tags.untag_lead(lead, tag, current_user)
        return _("Tag removed: %(name)s.", name=tag.name)

    return _act(id, "remove_tag_form", ActionForm(), action)


def attachment_or_404(lead_id: int, attachment_id: int) -> LeadAttachment:
    """The lead's attached file; 404 when there is none by that id on this lead."""
    attachment = db.session.get(LeadAttachment, attachment_id)
    if attachment is None or attachment.lead_id != lead_id:
        abort(404)
    return attachment


@bp.post("/<int:id>/attachments")
@staff_required
def attach(id: int):
    form = AttachmentForm()

    def action(lead: Lead) -> str:
        upload = form.file.data
        max_bytes = current_app.config["LEAD_ATTACHMENT_MAX_BYTES"]
        attachment = attachments.attach_file(lead, current_user, upload.stream, upload.filename, max_bytes)
        return _("File attached: %(name)s", name=attachment.original_name)

    return _act(id, "attachment_form", form, action)


@bp.get("/<int:id>/attachments/<int:attachment_id>")
@staff_required
def attachment_file(id: int, attachment_id: int) -> ResponseReturnValue:
    """The file as a download under a name the server made (never shown inline, never cached)."""
    attachment = attachment_or_404(id, attachment_id)
    content = open_stored(attachments.STORAGE_PREFIX, attachment.stored_name)
    if content is None:
        abort(404)
    name = attachment_download_name(attachment.lead, attachment)
    return send_stored(content, name, BY_EXTENSION[attachment.extension].mimetype)


@bp.post("/<int:id>/attachments/<int:attachment_id>/delete")
@staff_required
def delete_attachment(id: int, attachment_id: int):
    attachment = attachment_or_404(id, attachment_id)

    def action(lead: Lead) -> str:
        attachments.delete_attachment(attachment, current_user)
        return _("File deleted: %(name)s", name=attachment.original_name)

    return _act(id, "delete_attachment_form", ActionForm(), action)
