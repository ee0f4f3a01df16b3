"""Labels and read models of the personal-data pages: templates compare no raw status or clock state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.core.clock import today_in_oman
from portal.domain.privacy_deadlines import BreachClock, ClockState, days_left, whole_hours
from portal.models import PersonalDataBreach, PrivacyRequest

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
    "privacy_requests": _l("Requests about their data"),
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
    "privacy_requests": _l("Requests about their data"),
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
    "records": _l("Consent records"),
    "details": _l("Details"),
}


def count_rows(counts: dict[str, int], requests: int) -> list[tuple[str, int]]:
    """The person page's table: the rows of each kind, then their requests about their data
    (kept through an erasure, so not among the counts an erasure reports)."""
    return [(str(COUNT_LABELS[key]), n) for key, n in counts.items()] + [
        (str(COUNT_LABELS["privacy_requests"]), requests)
    ]


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


REQUEST_KIND_LABELS = {
    "access": _l("A copy of my data (access)"),
    "correction": _l("Correct my data"),
    "erasure": _l("Delete my data (erasure)"),
}
REQUEST_STATUS_LABELS = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "refused": _l("Refused"),
}
CONSENT_PURPOSE_LABELS = {
    "enquiry": _l("Contact about this enquiry"),
    "marketing": _l("News and offers by e-mail"),
}
CONSENT_PAGE_LABELS = {"form": _l("Website enquiry form"), "api": _l("API")}
# Bootstrap badge classes; the words always say the state, the colour only adds to it.
CLOCK_CLASSES = {
    ClockState.RUNNING: "text-bg-warning",
    ClockState.OVERDUE: "text-bg-danger",
    ClockState.ON_TIME: "text-bg-success",
    ClockState.LATE: "text-bg-secondary",
}


def consent_labels(purpose: str, page: str) -> tuple[str, str]:
    """A consent record's purpose and origin in words (the lead page's consent card)."""
    return str(CONSENT_PURPOSE_LABELS.get(purpose, purpose)), str(CONSENT_PAGE_LABELS.get(page, page))


@dataclass(frozen=True)
class ClockView:
    state: str
    badge: str
    badge_class: str
    summary: str
    deadline: datetime


def clock_view(clock: BreachClock, hours: int) -> ClockView:
    """The breach clock in words: how long since discovery against the deadline."""
    elapsed = whole_hours(clock.elapsed)
    if clock.state is ClockState.RUNNING:
        badge = _("Notify the authority")
        summary = _(
            "%(elapsed)s h since it was found; %(left)s h left of the %(hours)s h deadline.",
            elapsed=elapsed,
            left=whole_hours(clock.remaining),
            hours=hours,
        )
    elif clock.state is ClockState.OVERDUE:
        badge = _("Overdue")
        summary = _(
            "%(elapsed)s h since it was found: the %(hours)s h deadline passed %(over)s h ago.",
            elapsed=elapsed,
            hours=hours,
            over=whole_hours(-clock.remaining),
        )
    elif clock.state is ClockState.ON_TIME:
        badge = _("Notified in time")
        summary = _("The authority was notified %(elapsed)s h after it was found.", elapsed=elapsed)
    else:
        badge = _("Notified late")
        summary = _(
            "The authority was notified %(elapsed)s h after it was found, after the %(hours)s h deadline.",
            elapsed=elapsed,
            hours=hours,
        )
    return ClockView(clock.state.value, badge, CLOCK_CLASSES[clock.state], summary, clock.deadline)


@dataclass(frozen=True)
class BreachRow:
    breach: PersonalDataBreach
    clock: ClockView


@dataclass(frozen=True)
class RequestRow:
    request: PrivacyRequest
    kind: str
    status: str
    closed: bool
    due_text: str
    overdue: bool


def request_row(request: PrivacyRequest) -> RequestRow:
    """A request as the list and its page show it: labels and the days left to answer."""
    closed = request.status in ("done", "refused")
    left = days_left(request.due_on, today_in_oman())
    if closed:
        due_text = ""
    elif left < 0:
        due_text = ngettext("%(num)s day overdue", "%(num)s days overdue", -left)
    elif left == 0:
        due_text = _("Due today")
    else:
        due_text = ngettext("%(num)s day left", "%(num)s days left", left)
    return RequestRow(
        request=request,
        kind=str(REQUEST_KIND_LABELS.get(request.kind, request.kind)),
        status=str(REQUEST_STATUS_LABELS.get(request.status, request.status)),
        closed=closed,
        due_text=due_text,
        overdue=not closed and left < 0,
    )
