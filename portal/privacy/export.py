"""Access and portability: everything held about one person, as one JSON document or a page.

The rows come from `portal.privacy.person.find_records`; each is turned into a plain dict
here, once, and both the JSON download (streamed a record at a time) and the printable page
show those dicts. The export is audited before it is sent: who, when, a keyed hash of the
person's identifiers and how many rows of each kind, never the data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from portal.core import audit
from portal.core.firm import current_firm
from portal.domain.personal_data import Identifiers
from portal.extensions import db
from portal.models import (
    Activity,
    Client,
    ConsentRecord,
    Engagement,
    Lead,
    LeadAttachment,
    OutboxMessage,
    PrivacyRequest,
    StatusLink,
    User,
    WebhookDelivery,
)
from portal.models.types import utcnow
from portal.privacy.person import PersonRecords, digest, find_records

FORMAT_VERSION = 1


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def lead_data(lead: Lead) -> dict[str, Any]:
    """What the person told us in the enquiry, and what the firm recorded about it."""
    return {
        "reference": lead.reference,
        "received_at": _value(lead.created_at),
        "status": lead.status,
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
        "company": lead.company,
        "job_title": lead.job_title,
        "sector": lead.sector.code if lead.sector else None,
        "location": lead.region.name if lead.region else None,
        "employees": lead.employees,
        "sites": lead.sites,
        "standards": [standard.code for standard in lead.standards],
        "existing_certifications": lead.existing_certifications,
        "wanted_by": _value(lead.wanted_by),
        "timeline": lead.timeline,
        "heard_from": lead.heard_from,
        "message": lead.message,
        "source": lead.source,
        "campaign": lead.utm or {},
        "language": lead.language,
        "readiness_answers": lead.readiness,
        "estimate": lead.estimate,
        "merged_into": lead.duplicate_of.reference if lead.duplicate_of else None,
        "erased_at": _value(lead.erased_at),
    }


def consent_data(lead: Lead) -> dict[str, Any]:
    """The consents given with the enquiry: each recorded against the privacy-notice version in
    force (older enquiries have only the time, language and source of the one consent)."""
    records = db.session.scalars(
        select(ConsentRecord).where(ConsentRecord.lead_id == lead.id).order_by(ConsentRecord.id)
    )
    return {
        "lead": lead.reference,
        "consented_at": _value(lead.consent_at),
        "language": lead.language,
        "source": lead.source,
        "records": [
            {
                "purpose": record.purpose,
                "granted": record.granted,
                "notice_version": record.notice.number,
                "recorded_at": _value(record.recorded_at),
                "language": record.language,
                "page": record.page,
                "path": record.path,
            }
            for record in records
        ],
    }


def privacy_request_data(privacy_request: PrivacyRequest) -> dict[str, Any]:
    return {
        "reference": privacy_request.reference,
        "received_at": _value(privacy_request.received_at),
        "kind": privacy_request.kind,
        "contact_name": privacy_request.name,
        "email": privacy_request.email,
        "phone": privacy_request.phone,
        "details": privacy_request.details,
        "status": privacy_request.status,
        "language": privacy_request.language,
    }


def client_data(client: Client) -> dict[str, Any]:
    return {
        "organisation": client.name,
        "contact_name": client.contact_name,
        "contact_email": client.contact_email,
        "contact_phone": client.contact_phone,
        "since": _value(client.created_at),
    }


def engagement_data(engagement: Engagement) -> dict[str, Any]:
    return {
        "id": engagement.id,
        "organisation": engagement.client.name,
        "standards": [standard.code for standard in engagement.standards],
        "stage": engagement.stage,
        "started_at": _value(engagement.created_at),
        "certificate_number": engagement.certificate_number,
        "decision_date": _value(engagement.decision_date),
        "expiry_date": _value(engagement.expiry_date),
        "closed_reason": engagement.closed_reason,
    }


def _author(user: User | None) -> str | None:
    return user.name if user else None


def activity_data(activity: Activity) -> dict[str, Any]:
    return {
        "at": _value(activity.created_at),
        "lead": activity.lead.reference if activity.lead else None,
        "engagement": activity.engagement_id,
        "kind": activity.kind,
        "by": _author(activity.author),
        "text": activity.body,
    }


def attachment_data(attachment: LeadAttachment) -> dict[str, Any]:
    """A file listed by name and size: the files themselves are handed over separately on request."""
    return {
        "lead": attachment.lead.reference,
        "name": attachment.original_name,
        "type": attachment.extension,
        "size_bytes": attachment.size,
        "added_at": _value(attachment.created_at),
    }


def email_data(message: OutboxMessage) -> dict[str, Any]:
    return {
        "written_at": _value(message.created_at),
        "to": message.recipient,
        "subject": message.subject,
        "text": message.body_text,
        "status": message.status,
        "sent_at": _value(message.sent_at),
        "language": message.language,
    }


def webhook_data(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "event": delivery.event,
        "queued_at": _value(delivery.created_at),
        "sent_to": delivery.endpoint.url,
        "status": delivery.status,
        "sent_at": _value(delivery.sent_at),
        "body": delivery.body,
    }


def status_link_data(link: StatusLink) -> dict[str, Any]:
    return {
        "engagement": link.engagement_id,
        "to": link.recipient,
        "language": link.language,
        "written_at": _value(link.created_at),
        "expires_at": _value(link.expires_at),
        "revoked_at": _value(link.revoked_at),
    }


SECTIONS: tuple[tuple[str, str, Callable[[Any], dict[str, Any]]], ...] = (
    ("enquiries", "leads", lead_data),
    ("consent", "leads", consent_data),
    ("client_contacts", "clients", client_data),
    ("engagements", "engagements", engagement_data),
    ("timeline", "activities", activity_data),
    ("attachments", "attachments", attachment_data),
    ("emails", "emails", email_data),
    ("webhook_events", "webhook_deliveries", webhook_data),
    ("status_links", "status_links", status_link_data),
    ("privacy_requests", "privacy_requests", privacy_request_data),
)


def sections(records: PersonRecords) -> list[tuple[str, list[dict[str, Any]]]]:
    """(section key, rows as dicts) in the document's order: what the printable page shows."""
    return [(key, [build(row) for row in getattr(records, attribute)]) for key, attribute, build in SECTIONS]


def header(records: PersonRecords) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "produced_at": utcnow().isoformat(),
        "controller": current_firm().name,
        "person": {"emails": list(records.identifiers.emails), "phones": list(records.identifiers.phones)},
    }


def export_json(identifiers: Identifiers) -> Iterator[str]:
    """The JSON document, a record at a time. The rows are read when the first chunk is asked for:
    a streamed response runs after the request's commit, in a session of its own."""
    records = find_records(identifiers)
    dump = json.dumps
    yield "{" + dump(header(records), ensure_ascii=False)[1:-1]
    for key, attribute, build in SECTIONS:
        yield f', "{key}": ['
        for index, row in enumerate(getattr(records, attribute)):
            yield ("" if index == 0 else ", ") + dump(build(row), ensure_ascii=False, default=str)
        yield "]"
    yield "}\n"


def record_export(records: PersonRecords, actor: User | None, form: str) -> None:
    """The audit row of an export (before it is sent): who, the person's digest, the format, counts."""
    details = {"person": digest(records.identifiers), "format": form, "counts": records.counts()}
    audit.record("privacy.exported", actor, details=details, actor_email=None if actor else "cli")
    db.session.flush()
