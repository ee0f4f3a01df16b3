"""Reminders to the client's contact about overdue document requests (`flask reminders run`).

One reminder per request and due date (the Reminder table's unique key, claimed in the same
transaction as the e-mail), so runs may repeat; moving the due date allows one more.

The e-mail carries no link. Only a hash of each link's nonce is stored, so the portal cannot
write the client's working link again, and issuing a fresh one would silently revoke the
link the client has. The reminder names the document and its due date and points to the
status-page e-mail the client received (its date), in the language of that link. A request
is reminded only while the client holds a working link: without one they could not act on
it, and the consultant sees the request overdue on the engagement's client page.
"""

from __future__ import annotations

import logging
from datetime import date

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.client_status.queries import latest_link
from portal.core import outbox
from portal.core import reminders as reminder_keys
from portal.core.firm import current_firm
from portal.domain import lifecycle
from portal.extensions import db
from portal.models import AWAITING_CLIENT, DocumentRequest, Engagement
from portal.models.types import utcnow

logger = logging.getLogger(__name__)

KIND = "document_overdue"


def overdue_document_reminders(today: date) -> int:
    """Queue a reminder for each request overdue on `today` (Oman) not reminded before; flushes, never commits."""
    overdue = db.session.scalars(
        select(DocumentRequest)
        .join(DocumentRequest.engagement)
        .where(
            DocumentRequest.status.in_(AWAITING_CLIENT),
            DocumentRequest.due_date < today,
            Engagement.stage != lifecycle.CLOSED,
        )
        .options(joinedload(DocumentRequest.engagement).joinedload(Engagement.client))
        .order_by(DocumentRequest.id)
    ).all()
    now = utcnow()
    sent = 0
    for request in overdue:
        link = latest_link(request.engagement)
        recipient = request.engagement.client.contact_email.strip()
        if link is None or not link.is_live(now) or not recipient:
            continue
        if not reminder_keys.claim(KIND, "document_request", request.id, request.due_date, recipient):
            continue
        with outbox.written_in(link.language):
            body = render_template("emails/client_document_overdue.txt", request=request, link=link)
            subject = _("Document overdue: %(title)s", title=request.title) + f" · {current_firm().name}"
            outbox.enqueue(f"reminder_{KIND}", recipient, subject, body)
        sent += 1
        logger.info("reminder %s for document request %s due %s", KIND, request.id, request.due_date)
    db.session.flush()
    return sent
