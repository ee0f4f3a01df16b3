"""Use cases of the client status page: its link, its setting, the visits, and document requests.

Functions take plain values (or a frozen dataclass) and the acting user (None for the client
acting through the link), change the rows, write the engagement's timeline (through the
engagements area's `record_activity`), audit and outbox rows, and flush; the request (or
`flask reminders run`) commits once. Refusals raise `ServiceError` with the form field.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from portal.client_status import tokens
from portal.core import audit, outbox
from portal.core.errors import ServiceError
from portal.core.firm import current_firm
from portal.core.uploads import store_document
from portal.domain import lifecycle
from portal.domain.normalise import clean_line
from portal.engagements.services import record_activity
from portal.extensions import db
from portal.models import (
    Activity,
    DocumentRequest,
    DocumentStatus,
    DocumentUpload,
    Engagement,
    Setting,
    StatusLink,
    User,
)
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)

LINK_DAYS_KEY = "client_status.link_days"
DEFAULT_LINK_DAYS = 90
STORAGE_PREFIX = "client-documents"
VIEW_EVERY = timedelta(hours=1)  # at most one "viewed" timeline entry per engagement and hour
EMAIL_KIND = "client_status_link"
UPLOAD_EMAIL_KIND = "client_document_received"


# The setting -------------------------------------------------------------------------------


def link_days() -> int:
    """How many days a new status link works (the settings page; DEFAULT_LINK_DAYS until set)."""
    stored = db.session.get(Setting, LINK_DAYS_KEY)
    return int(stored.value) if stored is not None and stored.value.isdigit() else DEFAULT_LINK_DAYS


def save_link_days(days: int, actor: User) -> None:
    """Store the admin's link lifetime (1 to STATUS_LINK_MAX_DAYS days) and its audit row."""
    most = int(current_app.config["STATUS_LINK_MAX_DAYS"])
    if not 1 <= days <= most:
        raise ServiceError(_("Enter a number of days between 1 and %(most)s.", most=most), field="link_days")
    setting = db.session.get(Setting, LINK_DAYS_KEY) or Setting(key=LINK_DAYS_KEY)
    setting.value = str(days)
    db.session.add(setting)
    audit.record("settings.status_link_days", actor, details={"days": days})
    db.session.flush()


# The link ----------------------------------------------------------------------------------


def status_url(link: StatusLink, nonce: str) -> str:
    """The absolute address of the link's page, in its language (PUBLIC_BASE_URL: e-mails are read elsewhere)."""
    return absolute_url("client_status.page", token=tokens.make_token(link.id, nonce), lang=link.language)


def _revoke_live(engagement: Engagement, now: datetime) -> int:
    """Revoke the engagement's working links; the engagement row is locked first (PostgreSQL), so two
    consultants sending at once queue, and the second revokes the first's link: one link stays live."""
    db.session.execute(select(Engagement.id).where(Engagement.id == engagement.id).with_for_update())
    live = db.session.scalars(
        select(StatusLink).where(
            StatusLink.engagement_id == engagement.id, StatusLink.revoked_at.is_(None), StatusLink.expires_at > now
        )
    ).all()
    for link in live:
        link.revoked_at = now
    return len(live)


def send_status_link(engagement: Engagement, language: str, actor: User, now: datetime) -> StatusLink:
    """A new link for the client's contact, e-mailed in `language`; any link still live stops working."""
    recipient = engagement.client.contact_email.strip()
    if not recipient:
        raise ServiceError(_("The client has no contact e-mail address: add it on the client first."))
    if engagement.stage == lifecycle.CLOSED:
        raise ServiceError(_("This engagement is closed: there is no status to share."))
    if language not in current_app.config["LANGUAGES"]:
        raise ServiceError(_("Choose a language from the list."), field="language")
    replaced = _revoke_live(engagement, now)
    nonce = tokens.new_nonce()
    days = link_days()
    link = StatusLink(
        engagement=engagement,
        nonce_hash=tokens.nonce_hash(nonce),
        language=language,
        recipient=recipient,
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()  # the id the token carries
    with outbox.written_in(language):
        outbox.enqueue(
            EMAIL_KIND,
            recipient,
            _("Your certification status with %(firm)s", firm=current_firm().name),
            render_template(
                "emails/client_status_link.txt", engagement=engagement, link=status_url(link, nonce), days=days
            ),
        )
    details = {"link_id": link.id, "language": language, "days": days, "replaced": replaced}
    record_activity(engagement, actor, "status_link_sent", **details)
    audit.record("client_status.link_sent", actor, engagement, details)
    db.session.flush()
    logger.info("status link %s for engagement %s sent by %s", link.id, engagement.id, actor.email)
    return link


def revoke_status_link(engagement: Engagement, actor: User, now: datetime) -> None:
    """Stop the live link at once (the client sees "no longer valid" until a new one is sent)."""
    if not _revoke_live(engagement, now):
        raise ServiceError(_("There is no working link to revoke."))
    record_activity(engagement, actor, "status_link_revoked")
    audit.record("client_status.link_revoked", actor, engagement)
    db.session.flush()


def record_view(link: StatusLink, now: datetime, by_staff: bool) -> bool:
    """Put the client's visit on the timeline, unless a visit was recorded within the last hour or
    a signed-in staff member is looking (checking the page is not the client's visit).

    The one write of a GET of the status page, asked for by the consultants (who opened it,
    when); the hour keeps a reloading client from flooding the timeline."""
    if by_staff:
        return False
    recent = db.session.scalar(
        select(Activity.id).where(
            Activity.engagement_id == link.engagement_id,
            Activity.kind == "status_viewed",
            Activity.created_at > now - VIEW_EVERY,
        )
    )
    if recent is not None:
        return False
    record_activity(link.engagement, None, "status_viewed", link_id=link.id)
    db.session.flush()
    return True


# Document requests -------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRequestInput:
    title: str
    note: str
    due_date: date


def add_document_request(
    engagement: Engagement, data: DocumentRequestInput, actor: User, today: date
) -> DocumentRequest:
    """Ask the client for one document by a due date (shown on the status page at once)."""
    title = clean_line(data.title, 200)
    if not title:
        raise ServiceError(_("Say which document the client must provide."), field="title")
    if data.due_date < today:
        raise ServiceError(_("The due date cannot be in the past."), field="due_date")
    request = DocumentRequest(
        engagement=engagement,
        title=title,
        note=data.note.strip()[:2000],
        due_date=data.due_date,
        created_by_id=actor.id,
    )
    db.session.add(request)
    db.session.flush()
    details = {"request_id": request.id, "title": title, "due": data.due_date.isoformat()}
    record_activity(engagement, actor, "document_requested", **details)
    audit.record("client_status.document_requested", actor, engagement, details)
    db.session.flush()
    return request


@dataclass(frozen=True)
class ReviewInput:
    decision: str  # accepted | returned
    comment: str
    version: int | None


def review_document(request: DocumentRequest, data: ReviewInput, actor: User, now: datetime) -> None:
    """Accept what the client sent, or return it with a comment the client reads (and uploads again)."""
    if request.version != data.version:
        raise ServiceError.conflict(_("This request changed meanwhile (the client may have sent another file)."))
    if request.status != DocumentStatus.SUBMITTED:
        raise ServiceError(_("Only a document the client has sent can be accepted or returned."))
    if data.decision not in (DocumentStatus.ACCEPTED, DocumentStatus.RETURNED):
        raise ServiceError(_("Choose accept or return."), field="decision")
    comment = data.comment.strip()[:2000]
    if data.decision == DocumentStatus.RETURNED and not comment:
        raise ServiceError(_("Say what the client must change: they read this comment."), field="comment")
    request.status = data.decision
    request.review_comment = comment
    request.reviewed_by_id = actor.id
    request.reviewed_at = now
    details = {"request_id": request.id, "title": request.title}
    record_activity(request.engagement, actor, f"document_{data.decision}", comment, **details)
    audit.record(f"client_status.document_{data.decision}", actor, request.engagement, details)
    db.session.flush()


def shown_name(uploaded_name: str | None) -> str:
    """What the client called the file, without any folder a browser sent along, as one line of text."""
    base = (uploaded_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return clean_line(base, 255) or _("Unnamed file")


def _notify_owner_of_upload(request: DocumentRequest, upload: DocumentUpload) -> None:
    """The engagement's consultant (or, with none, the team) hears of a client's file in their own language."""
    engagement = request.engagement
    recipients = outbox.owner_or_team(engagement.owner)
    link = absolute_url("client_status.manage", id=engagement.id)
    for address in recipients:
        with outbox.written_in(outbox.language_of(address)):
            outbox.enqueue(
                UPLOAD_EMAIL_KIND,
                address,
                _("%(client)s sent a document: %(title)s", client=engagement.client.name, title=request.title),
                render_template("emails/client_document_received.txt", request=request, upload=upload, link=link),
            )


def upload_document(
    request: DocumentRequest, stream: IO[bytes], uploaded_name: str | None, max_bytes: int
) -> DocumentUpload:
    """The client's file for a request, checked by content and stored in shared storage; the
    request then waits for the consultant's review."""
    if not request.awaits_client or request.engagement.stage == lifecycle.CLOSED:
        raise ServiceError(_("This document is no longer waiting for a file."))  # atop the page: no form is left
    stored_name, kind, size = store_document(stream, STORAGE_PREFIX, max_bytes)
    upload = DocumentUpload(
        request=request,
        stored_name=stored_name,
        original_name=shown_name(uploaded_name),
        extension=kind.extension,
        size=size,
    )
    db.session.add(upload)
    request.status = DocumentStatus.SUBMITTED.value
    db.session.flush()
    details = {"request_id": request.id, "title": request.title, "upload_id": upload.id, "name": upload.original_name}
    record_activity(request.engagement, None, "document_uploaded", **details)
    audit.record("client_status.document_uploaded", None, request.engagement, {**details, "size": size})
    _notify_owner_of_upload(request, upload)
    db.session.flush()
    logger.info("document %s uploaded for request %s (engagement %s)", upload.id, request.id, request.engagement_id)
    return upload
