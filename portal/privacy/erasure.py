"""Erasure: a person's data removed for good, while the firm's counts and statistics stay true.

A lead stays a lead (its status, dates, standards, consultant and first response are what
the dashboard counts), but its personal fields read `[erased]`, its free text is cleared,
its timeline keeps only what happened (kinds, dates, statuses), its files are deleted from
storage, and the e-mails to or about the person lose their address, subject and body. The
same code serves an admin's erasure (`erase_person`) and the retention purge
(`portal.privacy.retention`), in the caller's one transaction.

Refused while a legal reason to keep the data applies (`legal_holds`): an engagement still
open (a running contract), or an accepted quote on an engagement closed less than the
closed-engagement retention period ago (the firm's commercial records). The audit row says
who erased, the person's keyed hash and how many rows, never what was erased.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from portal.core import audit, formats
from portal.core.errors import ServiceError
from portal.core.uploads import delete_stored
from portal.domain import lifecycle
from portal.domain.personal_data import (
    ERASED,
    Identifiers,
    RetentionPeriods,
    scrubbed_details,
    scrubbed_webhook_body,
)
from portal.extensions import db
from portal.models import AuditLog, OutboxStatus, Quote, QuoteStatus, StageChange, User
from portal.models.types import utcnow
from portal.privacy.person import PersonRecords, digest, find_records

logger = logging.getLogger(__name__)

ATTACHMENT_FOLDER = "leads"  # where portal.leads.services.attachments stores a lead's files


def legal_holds(records: PersonRecords, periods: RetentionPeriods, now: datetime) -> list[str]:
    """Why the data must be kept for now (empty: it may be erased)."""
    reasons = []
    accepted = set(
        db.session.scalars(
            select(Quote.engagement_id).where(
                Quote.engagement_id.in_([e.id for e in records.engagements]), Quote.status == QuoteStatus.ACCEPTED.value
            )
        )
    )
    for engagement in records.engagements:
        if engagement.stage != lifecycle.CLOSED:
            reasons.append(
                _(
                    "The engagement with %(client)s is still open: its contract is a legal reason to keep the data.",
                    client=engagement.client.name,
                )
            )
        elif engagement.id in accepted and periods.closed_engagement_due(engagement.stage_entered_at) > now:
            reasons.append(
                _(
                    "The engagement with %(client)s has an accepted quote: its commercial records are kept until %(date)s.",
                    client=engagement.client.name,
                    date=formats.format_day(periods.closed_engagement_due(engagement.stage_entered_at)),
                )
            )
    return reasons


def _erase_leads(records: PersonRecords, now: datetime) -> None:
    for lead in records.leads:
        lead.contact_name = ERASED
        lead.email = ERASED
        lead.email_normalised = ""
        lead.phone = ""
        lead.company = ERASED
        lead.company_normalised = ""
        lead.job_title = ""
        lead.message = ""
        lead.status_reason = ""
        lead.existing_certifications = ""
        lead.heard_from = ""
        lead.erased_at = lead.erased_at or now
    for attachment in records.attachments:
        delete_stored(ATTACHMENT_FOLDER, attachment.stored_name)
        db.session.delete(attachment)
    for activity in records.activities:
        activity.body = ""
        activity.details = scrubbed_details(activity.details)
    lead_ids = [lead.id for lead in records.leads]
    for row in db.session.scalars(
        select(AuditLog).where(AuditLog.subject_type == "leads", AuditLog.subject_id.in_(lead_ids))
    ):
        row.details = scrubbed_details(row.details)


def _erase_engagements(records: PersonRecords, now: datetime) -> None:
    """A closed engagement keeps its stages and dates; its notes and reasons go."""
    ids = [engagement.id for engagement in records.engagements]
    for change in db.session.scalars(select(StageChange).where(StageChange.engagement_id.in_(ids))):
        change.note = ""
    for engagement in records.engagements:
        engagement.certificate_state_reason = ""
        if engagement.transfer is not None:
            engagement.transfer.review_notes = ""
        engagement.erased_at = engagement.erased_at or now
    for client in records.clients:
        client.contact_name = ERASED
        client.contact_email = ""
        client.contact_phone = ""


def _erase_emails(records: PersonRecords) -> None:
    """The e-mails keep their kind, dates and delivery state (what was sent, and when), nothing else."""
    addresses = set(records.identifiers.emails)
    for message in records.emails:
        if message.recipient.lower() in addresses:
            message.recipient = ERASED
        if (message.reply_to or "").lower() in addresses:
            message.reply_to = None
        message.subject = ERASED
        message.body_text = ""
        message.body_html = None
        if message.status == OutboxStatus.PENDING.value:
            message.status = OutboxStatus.FAILED.value
            message.last_error = ERASED


def _erase_webhook_bodies(records: PersonRecords) -> None:
    """Events for other systems keep their id, type and dates (a queued one is still sent, without
    the person); the receiver's answer may have echoed the body, so it goes too."""
    lead_ids = {lead.id for lead in records.leads}
    for delivery in records.webhook_deliveries:
        delivery.body = scrubbed_webhook_body(delivery.body, lead_ids)
        delivery.last_response = None


def _erase_status_links(records: PersonRecords, now: datetime) -> None:
    """A status link sent to the person loses its address and stops working."""
    for link in records.status_links:
        link.recipient = ERASED
        link.revoked_at = link.revoked_at or now


def erase_records(records: PersonRecords, now: datetime) -> None:
    """Erase every row of `records` (the holds were checked by the caller); flushed, not committed."""
    _erase_leads(records, now)
    _erase_engagements(records, now)
    _erase_emails(records)
    _erase_webhook_bodies(records)
    _erase_status_links(records, now)
    db.session.flush()


def erasure_holds(identifiers: Identifiers, periods: RetentionPeriods) -> tuple[PersonRecords, list[str]]:
    """The person's rows and the reasons (if any) they may not be erased yet: the confirmation page's view."""
    records = find_records(identifiers, for_erasure=True)
    return records, legal_holds(records, periods, utcnow())


def erase_person(identifiers: Identifiers, actor: User | None, periods: RetentionPeriods) -> dict[str, int]:
    """Erase everything about the person, or refuse with the reasons; returns the counts erased.
    `periods`: the retention settings (how long an accepted quote's records are kept)."""
    records, holds = erasure_holds(identifiers, periods)
    if holds:
        raise ServiceError(" ".join(holds))
    if not records:
        raise ServiceError(_("The portal holds nothing about this person."), field="email")
    counts = records.counts()
    erase_records(records, utcnow())
    details = {"person": digest(identifiers), "counts": counts}
    audit.record("privacy.erased", actor, details=details, actor_email=None if actor else "cli")
    db.session.flush()
    logger.info("personal data erased by %s: %s", actor.email if actor else "cli", counts)
    return counts
