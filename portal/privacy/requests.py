"""Requests from the public about their data (PDPL art. 11: access, correction, erasure).

A request sent from the privacy page becomes a task with its legal deadline
(PRIVACY_REQUEST_DEADLINE_DAYS after receipt), an acknowledgement e-mail in the person's
language and a notice to each admin, all in the caller's transaction. The form's signed submission token
is unique, so a second POST of the same page finds the first request instead of a twin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import Select, case, select

from portal.core import audit, outbox
from portal.core.errors import ServiceError
from portal.domain.normalise import normalise_phone
from portal.domain.privacy_deadlines import request_due_on
from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.models import REQUEST_KINDS, REQUEST_STATUSES, PrivacyRequest, Role, User
from portal.models.types import utcnow
from portal.privacy.presentation import REQUEST_KIND_LABELS
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)

REFERENCE_FORMAT = "PRQ-{year}-{number:06d}"
CLOSED_STATUSES = ("done", "refused")


@dataclass(frozen=True)
class RequestData:
    """A validated request from the privacy page, as plain values."""

    name: str
    email: str
    kind: str
    details: str
    language: str
    phone: str = ""
    submission_token: str | None = None
    spam_reason: str | None = None


def deadline_days() -> int:
    return int(current_app.config["PRIVACY_REQUEST_DEADLINE_DAYS"])


def request_for_submission(submission_token: str) -> PrivacyRequest | None:
    """The request an earlier POST of the same rendered form created, if any."""
    return db.session.scalar(select(PrivacyRequest).where(PrivacyRequest.submission_token == submission_token))


def submit_request(data: RequestData, now: datetime | None = None) -> PrivacyRequest:
    """Record the request with its due date and acknowledge it (unless it looks automated). Flushes."""
    if data.kind not in REQUEST_KINDS:
        raise ServiceError(_("Choose what you are asking for."), "kind")
    now = now or utcnow()
    received_on = now.astimezone(MUSCAT).date()
    request = PrivacyRequest(
        submission_token=data.submission_token,
        received_at=now,
        due_on=request_due_on(received_on, deadline_days()),
        name=data.name,
        email=data.email,
        phone=normalise_phone(data.phone) if data.phone else "",
        kind=data.kind,
        details=data.details,
        language=data.language,
        spam_reason=(data.spam_reason or "")[:100],
    )
    db.session.add(request)
    db.session.flush()
    request.reference = REFERENCE_FORMAT.format(year=received_on.year, number=request.id)
    if not data.spam_reason:
        _acknowledge(request)
        _notify_admins(request)
    db.session.flush()
    logger.info("privacy request %s (%s) received, due %s", request.reference, request.kind, request.due_on)
    return request


def _acknowledge(request: PrivacyRequest) -> None:
    """The person's receipt, in the language of the page they wrote from: reference and deadline.
    Nothing they typed is repeated, so the form cannot carry their words to another address."""
    with outbox.written_in(request.language):
        outbox.enqueue(
            "privacy_request_acknowledgement",
            request.email,
            _("Your request about your data %(reference)s", reference=request.reference),
            render_template("emails/privacy_request_acknowledgement.txt", request=request),
        )


def tell_admins(email_kind: str, subject: Callable[[], str], template: str, **context: object) -> None:
    """An e-mail to every active admin, each in their own language (`subject` is worded in it)."""
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN.value, User.active.is_(True)))
    for admin in admins:
        with outbox.written_in(admin.locale):
            outbox.enqueue(email_kind, admin.email, subject(), render_template(template, **context))


def _notify_admins(request: PrivacyRequest) -> None:
    """Tell each active admin, in their language, that the clock of a new request is running;
    the e-mail carries the reference, kind and deadline, not what the person wrote."""
    tell_admins(
        "privacy_request_notification",
        lambda: _("Request about personal data %(reference)s", reference=request.reference),
        "emails/privacy_request_notification.txt",
        request=request,
        kind=str(REQUEST_KIND_LABELS[request.kind]),
        request_url=absolute_url("privacy.request_detail", request_id=request.id),
    )


def update_request(request: PrivacyRequest, status: str, notes: str, actor: User, now: datetime | None = None) -> None:
    """Move the request along (open, in progress, done, refused) and keep the team's notes. Audited. Flushes."""
    if status not in REQUEST_STATUSES:
        raise ServiceError(_("Choose a status from the list."), "status")
    if status == "refused" and not notes.strip():
        raise ServiceError(_("Say in the notes why the request is refused: the person must be told."), "notes")
    before = {"status": request.status, "notes": request.notes}
    request.status = status
    request.notes = notes
    if status in CLOSED_STATUSES and request.closed_at is None:
        request.closed_at = now or utcnow()
    elif status not in CLOSED_STATUSES:
        request.closed_at = None
    changes = audit.changed_values(before, {"status": status, "notes": notes})
    if changes:
        # The notes may name the person: the audit row keeps only that they changed.
        details = {key: value for key, value in changes.items() if key != "notes"}
        audit.record("privacy.request_updated", actor, request, {**details, "notes_changed": "notes" in changes})
    db.session.flush()


def requests_query() -> Select[tuple[PrivacyRequest]]:
    """Open work first, the nearest deadline on top; closed requests after, the latest first."""
    is_closed = case((PrivacyRequest.status.in_(CLOSED_STATUSES), 1), else_=0)
    return select(PrivacyRequest).order_by(is_closed, PrivacyRequest.due_on, PrivacyRequest.id.desc())
