"""The outbox: e-mails are written in the caller's transaction and delivered later.

`enqueue()` only adds a row, so a message exists if and only if the change that
caused it was committed. Delivery (`deliver_due()`, run by `flask outbox send`)
is added below.
"""

from __future__ import annotations

import logging

from portal.extensions import db
from portal.models import OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(
    kind: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    reply_to: str | None = None,
) -> OutboxMessage:
    """Add a pending message to the current transaction; the caller's commit makes it real."""
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        reply_to=reply_to,
    )
    db.session.add(message)
    return message
