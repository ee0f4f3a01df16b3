"""Triage use cases on one lead: status, assignment, notes, calls, e-mails, merging.

Every function changes the lead, writes its timeline activity (and audit row where
an operator would want one), adds outbox e-mails, and flushes. None commits: the
request does, once, so an action is all or nothing. Forbidden actions raise
`ServiceError` with a message for people and, where it fits, the form field.

Optimistic locking: functions that change the lead row take `expected_version`, the
version the person saw when the form was rendered. A mismatch means someone changed
the lead since, and the action is refused instead of silently overwriting them.
"""

from __future__ import annotations

import enum
import logging

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import update

from portal.core import audit, outbox
from portal.core.errors import ServiceError
from portal.core.formats import format_day
from portal.domain import lead_status
from portal.domain.lead_status import TransitionProblem
from portal.domain.versions import is_stale
from portal.extensions import db
from portal.leads.presentation import CALL_OUTCOMES, LEAD_EMAIL_TEMPLATES
from portal.leads.services.response import note_first_response, recompute_first_response
from portal.models import Activity, Lead, LeadAttachment, User
from portal.models.types import utcnow
from portal.web.links import absolute_url
from portal.web.status import LEAD_STATUS_LABELS

logger = logging.getLogger(__name__)


class ActivityKind(enum.StrEnum):
    """What a timeline entry records."""

    NOTE = "note"
    CALL = "call"
    EMAIL = "email"
    STATUS_CHANGE = "status_change"
    ASSIGNMENT = "assignment"
    MERGE = "merge"
    CONVERSION = "conversion"
    ATTACHMENT = "attachment"
    ATTACHMENT_DELETED = "attachment_deleted"
    TAGGED = "tagged"
    UNTAGGED = "untagged"


def stale_message() -> str:
    return _("This lead was changed by someone else while you were working on it. Reload the page to see the changes.")


def check_version(lead: Lead, expected_version: int | None) -> None:
    """Refuse when the lead changed since the person's form was rendered (None: no check)."""
    if is_stale(lead.version, expected_version):
        raise ServiceError.conflict(stale_message())


def ensure_not_merged(lead: Lead) -> None:
    """A merged duplicate is only a pointer: act on the original instead."""
    if lead.duplicate_of_id is not None:
        original = lead.duplicate_of
        raise ServiceError(
            _("This lead was merged into %(reference)s; act on that lead instead.", reference=original.reference)
        )


def ensure_not_erased(*leads: Lead) -> None:
    """An erased lead stays, anonymous, only for the figures: nothing may be sent to the person
    (the address is gone) or written about them again (notes, calls, files, a client made from
    it, a merge that would mix it with another person's lead). Its status, owner and tags may
    still change, so that it can be closed like any other."""
    for lead in leads:
        if lead.erased_at is not None:
            raise ServiceError(
                _(
                    "The personal data of %(reference)s was erased on %(date)s: it can no longer be e-mailed, "
                    "converted or merged, nor be given notes, calls or files.",
                    reference=lead.reference or lead.id,
                    date=format_day(lead.erased_at),
                )
            )


def record_activity(lead: Lead, actor: User | None, kind: ActivityKind, body: str = "", **details) -> Activity:
    """Add a timeline entry to the lead (flushed with the caller's changes); the first call,
    e-mail or status change by a consultant is also the lead's first response."""
    activity = Activity(lead=lead, author=actor, kind=kind.value, body=body, details=details, created_at=utcnow())
    db.session.add(activity)
    note_first_response(lead, kind.value, actor, activity.created_at)
    return activity


def _status_problem_message(problem: TransitionProblem, current: str, new: str) -> tuple[str, str | None]:
    if problem is TransitionProblem.REASON_REQUIRED:
        return _("Give a reason for marking the lead %(status)s.", status=LEAD_STATUS_LABELS[new]), "reason"
    if problem is TransitionProblem.NEEDS_CONVERSION:
        return _("Use Convert to turn a qualified lead into a client and an engagement."), "status"
    if problem is TransitionProblem.SAME_STATUS:
        return _("The lead is already %(status)s.", status=LEAD_STATUS_LABELS[current]), "status"
    if problem is TransitionProblem.UNKNOWN_STATUS:
        return _("Choose a status from the list."), "status"
    return (
        _(
            "A lead cannot go from %(current)s to %(new)s.",
            current=LEAD_STATUS_LABELS[current],
            new=LEAD_STATUS_LABELS[new],
        ),
        "status",
    )


def set_status(lead: Lead, new_status: str, actor: User | None, reason: str = "", via_conversion: bool = False) -> None:
    """Move the lead along an allowed transition and write the timeline entry."""
    reason = reason.strip()
    problem = lead_status.transition_problem(lead.status, new_status, reason, via_conversion=via_conversion)
    if problem is not None:
        message, field = _status_problem_message(problem, lead.status, new_status)
        raise ServiceError(message, field=field)
    old = lead.status
    lead.status = new_status
    lead.status_reason = reason[:300] if new_status in lead_status.REASON_REQUIRED else ""
    record_activity(lead, actor, ActivityKind.STATUS_CHANGE, reason, old=old, new=new_status)
    logger.info("lead %s status %s -> %s by %s", lead.id, old, new_status, actor.email if actor else "system")


def change_status(
    lead: Lead, new_status: str, actor: User, reason: str = "", expected_version: int | None = None
) -> None:
    """Change the status by hand (conversion goes through portal.leads.services.conversion)."""
    check_version(lead, expected_version)
    ensure_not_merged(lead)
    set_status(lead, new_status, actor, reason)
    db.session.flush()


def assign(lead: Lead, assignee: User | None, actor: User | None, expected_version: int | None = None) -> None:
    """Give the lead to `assignee` (None: unassign). The new assignee gets an e-mail
    unless they assigned it to themselves; `actor` None means the system (auto-assignment)."""
    check_version(lead, expected_version)
    ensure_not_merged(lead)
    if assignee is not None and not assignee.active:
        raise ServiceError(_("%(name)s is not an active user.", name=assignee.name), field="assignee")
    if (assignee.id if assignee else None) == lead.assigned_to_id:
        raise ServiceError(_("The lead is already assigned that way."), field="assignee")
    previous = lead.assigned_to
    lead.assigned_to = assignee
    record_activity(
        lead,
        actor,
        ActivityKind.ASSIGNMENT,
        from_id=previous.id if previous else None,
        from_name=previous.name if previous else "",
        to_id=assignee.id if assignee else None,
        to_name=assignee.name if assignee else "",
    )
    if assignee is not None and assignee != actor:
        _email_assignee(lead, assignee, actor)
    audit.record("lead.assigned", actor, lead, {"to": assignee.email if assignee else None})
    db.session.flush()


def _email_assignee(lead: Lead, assignee: User, actor: User | None) -> None:
    link = absolute_url("leads.detail", id=lead.id)
    with outbox.written_in(assignee.locale):
        outbox.enqueue(
            "lead_assigned",
            assignee.email,
            _("Lead %(reference)s assigned to you", reference=lead.reference or lead.id),
            render_template("emails/lead_assigned.txt", lead=lead, assignee=assignee, actor=actor, link=link),
        )


def add_note(lead: Lead, actor: User, body: str) -> Activity:
    """Write an internal note on the timeline (notes never conflict, so no version check)."""
    ensure_not_erased(lead)
    body = body.strip()
    if not body:
        raise ServiceError(_("Write the note first."), field="note")
    activity = record_activity(lead, actor, ActivityKind.NOTE, body)
    db.session.flush()
    return activity


def log_call(lead: Lead, actor: User, outcome: str, body: str = "") -> Activity:
    """Record a phone call with its outcome and what was said."""
    ensure_not_erased(lead)
    if outcome not in CALL_OUTCOMES:
        raise ServiceError(_("Choose how the call went."), field="outcome")
    activity = record_activity(lead, actor, ActivityKind.CALL, body.strip(), outcome=outcome)
    db.session.flush()
    return activity


def send_email(lead: Lead, actor: User, template_key: str, personal_message: str = "") -> Activity:
    """E-mail the lead from a template, in the lead's language, through the outbox."""
    ensure_not_erased(lead)
    template = LEAD_EMAIL_TEMPLATES.get(template_key)
    if template is None:
        raise ServiceError(_("Choose an e-mail template."), field="template")
    if lead.status == lead_status.SPAM:
        raise ServiceError(_("Spam leads are not e-mailed."), field="template")
    with outbox.written_in(lead.language):
        subject = str(template.subject)
        body = render_template(template.template, lead=lead, sender=actor, personal_message=personal_message.strip())
        message = outbox.enqueue(f"lead_{template_key}", lead.email, subject, body, reply_to=actor.email)
    db.session.flush()
    activity = record_activity(
        lead, actor, ActivityKind.EMAIL, body, template=template_key, subject=subject, outbox_id=message.id
    )
    db.session.flush()
    return activity


def merge(duplicate: Lead, original: Lead | None, actor: User, expected_version: int | None = None) -> None:
    """Merge `duplicate` into `original`: its standards, timeline and attached files move over (the
    original's first response becomes the earlier of the two), it becomes a pointer to the original
    (closed as unqualified) and nothing is deleted."""
    if original is None:
        raise ServiceError(_("Choose the lead to merge into."), field="target")
    check_version(duplicate, expected_version)
    ensure_not_erased(duplicate, original)
    if duplicate.id == original.id:
        raise ServiceError(_("A lead cannot be merged into itself."), field="target")
    ensure_not_merged(duplicate)
    if original.duplicate_of_id is not None:
        raise ServiceError(_("That lead was itself merged; merge into the lead it points to."), field="target")
    if duplicate.status == lead_status.CONVERTED:
        raise ServiceError(_("A converted lead cannot be merged into another."), field="target")
    for standard in duplicate.standards:
        if standard not in original.standards:
            original.standards.append(standard)
    if original.assigned_to_id is None and duplicate.assigned_to_id is not None:
        original.assigned_to_id = duplicate.assigned_to_id
    moved = db.session.execute(
        update(Activity).where(Activity.lead_id == duplicate.id).values(lead_id=original.id)
    ).rowcount
    db.session.execute(update(LeadAttachment).where(LeadAttachment.lead_id == duplicate.id).values(lead_id=original.id))
    recompute_first_response(original)  # the earlier of the two leads' answers, now on one timeline
    # Leads earlier merged into the duplicate now point straight at the original: no chains.
    db.session.execute(
        update(Lead)
        .where(Lead.duplicate_of_id == duplicate.id)
        .values(duplicate_of_id=original.id, version=Lead.version + 1)
    )
    duplicate.duplicate_of = original
    if lead_status.is_open(duplicate.status):
        duplicate.status = lead_status.UNQUALIFIED
        duplicate.status_reason = _("Merged into %(reference)s", reference=original.reference)[:300]
    record_activity(
        original, actor, ActivityKind.MERGE, "", merged_id=duplicate.id, merged=duplicate.reference, moved=moved
    )
    record_activity(duplicate, actor, ActivityKind.MERGE, "", into_id=original.id, into=original.reference)
    audit.record("lead.merged", actor, duplicate, {"into": original.id, "moved_activities": moved})
    db.session.flush()
