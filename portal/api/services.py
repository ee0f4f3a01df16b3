"""The intake API's use cases: receive an enquiry once per Idempotency-Key, read its status.

`receive_enquiry` calls the enquiry service the website's form calls (one intake, one set of
rules), records which key sent the lead, and remembers the answer under the request's
Idempotency-Key for API_IDEMPOTENCY_HOURS. Services flush; the route commits once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from portal.api.presentation import created_body
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import ApiEnquiry, ApiKey, IdempotentRequest, Lead
from portal.models.types import utcnow
from portal.public.enquiry.services import EnquiryData, submit_enquiry
from portal.public.queries import ReferenceRows
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IdempotencyClaim:
    """The client's Idempotency-Key and a digest of the body it came with."""

    key: str
    request_hash: str


@dataclass(frozen=True)
class Answer:
    """A response as it was (or will be) given: replayed word for word for a retried request."""

    status: int
    body: dict[str, Any]
    location: str


class IdempotencyConflictError(ServiceError):
    """The Idempotency-Key was used before with another body."""


def earlier_answer(api_key: ApiKey, claim: IdempotencyClaim, now: datetime | None = None) -> Answer | None:
    """The answer to the first request this key sent with this Idempotency-Key, if it is still kept.

    Raises IdempotencyConflictError when that request's body differs from this one's.
    Forgets every expired answer, of any API key (so an expired Idempotency-Key may be used
    again, and the answers of a key that sends nothing more, or was revoked, do not stay).
    """
    now = now or utcnow()
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.expires_at <= now))
    record = db.session.scalar(
        select(IdempotentRequest).where(
            IdempotentRequest.api_key_id == api_key.id, IdempotentRequest.idempotency_key == claim.key
        )
    )
    if record is None:
        return None
    if record.request_hash != claim.request_hash:
        raise IdempotencyConflictError(
            _("This Idempotency-Key was used with a different request. Use a new key for a new enquiry."),
            status=422,
        )
    return Answer(record.status_code, dict(record.body), record.location)


def receive_enquiry(
    api_key: ApiKey,
    data: EnquiryData,
    claim: IdempotencyClaim | None,
    rows: ReferenceRows | None = None,
    now: datetime | None = None,
) -> Answer:
    """Create the lead through the website's intake and answer 201 with its reference.

    With a claim, its row is inserted first: of two identical requests sent at the same
    moment, the second waits on the unique (key, Idempotency-Key) pair and then fails to
    insert, so its transaction (and its lead) is rolled back and the first answer replayed.
    """
    now = now or utcnow()
    record = None
    if claim is not None:
        hours = current_app.config["API_IDEMPOTENCY_HOURS"]
        record = IdempotentRequest(
            api_key_id=api_key.id,
            idempotency_key=claim.key,
            request_hash=claim.request_hash,
            status_code=201,
            body={},
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
        db.session.add(record)
        db.session.flush()
    lead = submit_enquiry(data, now=now, rows=rows)
    db.session.add(ApiEnquiry(lead_id=lead.id, api_key_id=api_key.id))
    api_key.last_used_at = now
    location = absolute_url("api.enquiry_status", reference=lead.reference)
    answer = Answer(201, created_body(lead, location), location)
    if record is not None:
        record.body, record.location = answer.body, answer.location
    db.session.flush()
    logger.info("enquiry %s received through the API from key %s", lead.reference, api_key.name)
    return answer


def enquiry_of_key(api_key: ApiKey, reference: str) -> Lead | None:
    """The enquiry with this reference if this key sent it (another key's is as if absent)."""
    return db.session.scalar(
        select(Lead)
        .join(ApiEnquiry, ApiEnquiry.lead_id == Lead.id)
        .where(Lead.reference == reference, ApiEnquiry.api_key_id == api_key.id)
    )
