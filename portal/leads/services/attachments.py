"""Files attached to a lead: a client's scope document, an org chart, a photo of a site.

The bytes are checked by content and stored in shared storage (portal.core.uploads) in
the request's transaction, so a refused upload keeps nothing. Adding and deleting a file
each write a timeline entry and an audit row; flushed, never committed.
"""

from __future__ import annotations

import logging
from typing import IO

from flask_babel import gettext as _

from portal.core import audit
from portal.core.uploads import delete_stored, store_document
from portal.domain.normalise import clean_line
from portal.extensions import db
from portal.leads.services import ActivityKind, ensure_not_erased, ensure_not_merged, record_activity
from portal.models import Lead, LeadAttachment, User

logger = logging.getLogger(__name__)

STORAGE_PREFIX = "leads"
NAME_MAX_LENGTH = 255


def shown_name(uploaded_name: str | None) -> str:
    """What the uploader called the file, without any folder a browser sent along, as one line of text."""
    base = (uploaded_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return clean_line(base, NAME_MAX_LENGTH) or _("Unnamed file")


def attach_file(
    lead: Lead, actor: User, stream: IO[bytes], uploaded_name: str | None, max_bytes: int
) -> LeadAttachment:
    """Check and store the uploaded file, and list it on the lead's timeline."""
    ensure_not_merged(lead)
    ensure_not_erased(lead)
    stored_name, kind, size = store_document(stream, STORAGE_PREFIX, max_bytes)
    attachment = LeadAttachment(
        lead=lead,
        uploaded_by=actor,
        stored_name=stored_name,
        original_name=shown_name(uploaded_name),
        extension=kind.extension,
        size=size,
    )
    db.session.add(attachment)
    db.session.flush()
    details = {"attachment_id": attachment.id, "name": attachment.original_name, "size": size}
    record_activity(lead, actor, ActivityKind.ATTACHMENT, **details)
    audit.record("lead.attachment_added", actor, lead, {**details, "kind": kind.extension})
    db.session.flush()
    logger.info("lead %s attachment %s added by %s", lead.id, attachment.id, actor.email)
    return attachment


def delete_attachment(attachment: LeadAttachment, actor: User) -> None:
    """Remove the file and its row; the timeline keeps that it was there and who deleted it."""
    lead = attachment.lead
    details = {"attachment_id": attachment.id, "name": attachment.original_name, "size": attachment.size}
    delete_stored(STORAGE_PREFIX, attachment.stored_name)
    record_activity(lead, actor, ActivityKind.ATTACHMENT_DELETED, **details)
    audit.record("lead.attachment_deleted", actor, lead, details)
    db.session.delete(attachment)
    db.session.flush()
    logger.info("lead %s attachment %s deleted by %s", lead.id, details["attachment_id"], actor.email)
