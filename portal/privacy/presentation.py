"""Wording of the personal-data pages: section, field and rule labels, and values made readable."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import lazy_gettext as _l

SECTION_LABELS = {
    "enquiries": _l("Enquiries"),
    "consent": _l("Consent given"),
    "client_contacts": _l("Client contacts"),
    "engagements": _l("Engagements"),
    "timeline": _l("Timeline entries"),
    "attachments": _l("Attached files"),
    "emails": _l("E-mails"),
    "webhook_events": _l("Events sent to the firm's other systems"),
    "status_links": _l("Client status links"),
}

# The rows counted for the audit log and the summary (portal.privacy.person.PersonRecords.counts).
COUNT_LABELS = {
    "leads": _l("Enquiries"),
    "clients": _l("Client contacts"),
    "engagements": _l("Engagements"),
    "activities": _l("Timeline entries"),
    "attachments": _l("Attached files"),
    "emails": _l("E-mails"),
    "webhook_deliveries": _l("Events sent to the firm's other systems"),
    "status_links": _l("Client status links"),
}

FIELD_LABELS = {
    "reference": _l("Reference"),
    "received_at": _l("Received"),
    "status": _l("Status"),
    "contact_name": _l("Name"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "company": _l("Company"),
    "job_title": _l("Job title"),
    "sector": _l("IAF sector"),
    "location": _l("Location"),
    "employees": _l("Employees"),
    "sites": _l("Sites"),
    "standards": _l("Standards"),
    "existing_certifications": _l("Existing certifications"),
    "wanted_by": _l("Wanted by"),
    "timeline": _l("Timeline"),
    "heard_from": _l("Heard of us from"),
    "message": _l("Message"),
    "source": _l("Source"),
    "campaign": _l("Campaign"),
    "language": _l("Language"),
    "readiness_answers": _l("Readiness answers"),
    "estimate": _l("Estimate"),
    "merged_into": _l("Merged into"),
    "erased_at": _l("Erased"),
    "lead": _l("Enquiry"),
    "consented_at": _l("Consent given at"),
    "organisation": _l("Organisation"),
    "contact_email": _l("Contact e-mail"),
    "contact_phone": _l("Contact phone"),
    "since": _l("Client since"),
    "id": _l("Number"),
    "stage": _l("Stage"),
    "started_at": _l("Started"),
    "certificate_number": _l("Certificate number"),
    "decision_date": _l("Certification decision"),
    "expiry_date": _l("Expiry"),
    "closed_reason": _l("Reason closed"),
    "at": _l("When"),
    "engagement": _l("Engagement"),
    "kind": _l("Kind"),
    "by": _l("By"),
    "text": _l("Text"),
    "name": _l("File name"),
    "type": _l("Type"),
    "size_bytes": _l("Size (bytes)"),
    "added_at": _l("Added"),
    "written_at": _l("Written"),
    "to": _l("To"),
    "subject": _l("E-mail subject"),
    "sent_at": _l("Sent"),
    "event": _l("Event"),
    "queued_at": _l("Queued"),
    "sent_to": _l("Sent to"),
    "body": _l("Content"),
    "expires_at": _l("Expires"),
    "revoked_at": _l("Revoked"),
}

RULE_LABELS = {
    "spam": _l("Spam leads"),
    "unqualified": _l("Unqualified leads"),
    "closed_engagements": _l("Closed engagements"),
}


def shown_value(value: Any) -> str:
    """A value of the export as text: lists joined, structures as JSON, nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def labelled_rows(rows: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    """Each exported row as (label, text) pairs, in the export's field order."""
    return [[(str(FIELD_LABELS.get(key, key)), shown_value(value)) for key, value in row.items()] for row in rows]
