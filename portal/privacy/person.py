"""Everything the portal holds about one person, found by their e-mail address or phone number.

The one finder behind the export, the correction and the erasure, so the three always agree
on whose data is whose:

- leads whose normalised e-mail or E.164 phone is the person's (their duplicates, merged or
  not, share one of them; a lead merged with theirs under another address and phone is
  someone else's enquiry, such as a colleague's, and is left out);
- clients whose contact is the person, and the engagements of those clients and leads;
- timeline entries on those leads and engagements, and any other entry whose text
  mentions the person's address or phone number;
- outbox e-mails sent to the person (and, for erasure, any whose text names them or
  whose reply-to address is theirs, such as the team's new-enquiry notification);
- webhook events (sent or queued for the firm's other systems) whose body names them;
- the client status links sent to their address;
- the requests they made about their data (export only).

Another person of the same company, or with a similar name, is never matched: names and
companies are not identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from portal.core.errors import ServiceError
from portal.domain.normalise import PhoneNumberError
from portal.domain.personal_data import Identifiers, identifier_digest, identifiers_from
from portal.extensions import db
from portal.models import (
    Activity,
    Client,
    Engagement,
    Lead,
    LeadAttachment,
    OutboxMessage,
    PrivacyRequest,
    StatusLink,
    WebhookDelivery,
)


@dataclass
class PersonRecords:
    """The rows about one person, each list in id order."""

    identifiers: Identifiers
    leads: list[Lead] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    attachments: list[LeadAttachment] = field(default_factory=list)
    emails: list[OutboxMessage] = field(default_factory=list)
    # Events sent to the firm's other systems that carry the person's details.
    webhook_deliveries: list[WebhookDelivery] = field(default_factory=list)
    # Client status links sent to the person's address.
    status_links: list[StatusLink] = field(default_factory=list)
    # The requests the person made about their data: kept through an erasure, as the firm's
    # record of having answered them (listed in the export, never erased with the rest).
    privacy_requests: list[PrivacyRequest] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind (what the audit row and the CLI report: no values)."""
        return {
            "leads": len(self.leads),
            "clients": len(self.clients),
            "engagements": len(self.engagements),
            "activities": len(self.activities),
            "attachments": len(self.attachments),
            "emails": len(self.emails),
            "webhook_deliveries": len(self.webhook_deliveries),
            "status_links": len(self.status_links),
        }

    def __bool__(self) -> bool:
        return any(self.counts().values()) or bool(self.privacy_requests)


def parse_identifiers(email: str | None, phone: str | None) -> Identifiers:
    """The person asked about, normalised as the leads are; refused with a message on its field."""
    try:
        identifiers = identifiers_from(email, phone)
    except PhoneNumberError as error:
        raise ServiceError(_("Enter a valid phone number, e.g. +968 9123 4567."), field="phone") from error
    if not identifiers:
        raise ServiceError(_("Enter the person's e-mail address or phone number."), field="email")
    return identifiers


def digest(identifiers: Identifiers) -> str:
    """The audit log's stand-in for the person: a keyed hash, never the address itself."""
    return identifier_digest(identifiers, current_app.config["SECRET_KEY"])


def _text_mentions(columns: list, terms: tuple[str, ...]) -> ColumnElement[bool]:
    """Any of the text columns contains any of the terms (case-insensitive LIKE, escaped)."""
    conditions = []
    for term in terms:
        pattern = "%" + term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.extend(func.lower(column).like(pattern, escape="\\") for column in columns)
    return or_(*conditions)


def _matching_leads(identifiers: Identifiers) -> list[Lead]:
    matches = []
    if identifiers.emails:
        matches.append(Lead.email_normalised.in_(identifiers.emails))
    if identifiers.phones:
        matches.append(Lead.phone.in_(identifiers.phones))
    return list(db.session.scalars(select(Lead).where(or_(*matches)).order_by(Lead.id)))


def _matching_clients(identifiers: Identifiers) -> list[Client]:
    matches = []
    if identifiers.emails:
        matches.append(func.lower(Client.contact_email).in_(identifiers.emails))
    if identifiers.phones:
        matches.append(Client.contact_phone.in_(identifiers.phones))
    return list(db.session.scalars(select(Client).where(or_(*matches)).order_by(Client.id)))


def find_records(identifiers: Identifiers, *, for_erasure: bool = False) -> PersonRecords:
    """Every row about the person. `for_erasure` adds the e-mails that name them to someone else."""
    leads = _matching_leads(identifiers)
    clients = _matching_clients(identifiers)
    lead_ids = [lead.id for lead in leads]
    client_ids = [client.id for client in clients]
    engagements = list(
        db.session.scalars(
            select(Engagement)
            .where(or_(Engagement.lead_id.in_(lead_ids), Engagement.client_id.in_(client_ids)))
            .order_by(Engagement.id)
        )
    )
    engagement_ids = [engagement.id for engagement in engagements]
    terms = identifiers.search_terms()
    activities = list(
        db.session.scalars(
            select(Activity)
            .where(
                or_(
                    Activity.lead_id.in_(lead_ids),
                    Activity.engagement_id.in_(engagement_ids),
                    _text_mentions([Activity.body], terms),
                )
            )
            .order_by(Activity.created_at, Activity.id)
        )
    )
    attachments = list(
        db.session.scalars(
            select(LeadAttachment).where(LeadAttachment.lead_id.in_(lead_ids)).order_by(LeadAttachment.id)
        )
    )
    sent_to = func.lower(OutboxMessage.recipient).in_(identifiers.emails)
    about = or_(
        sent_to,
        func.lower(OutboxMessage.reply_to).in_(identifiers.emails),
        _text_mentions([OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html], terms),
    )
    emails = list(
        db.session.scalars(
            select(OutboxMessage).where(about if for_erasure else sent_to).order_by(OutboxMessage.created_at)
        )
    )
    return PersonRecords(
        identifiers,
        leads,
        clients,
        engagements,
        activities,
        attachments,
        emails,
        _webhook_deliveries(terms),
        _status_links(identifiers.emails),
        _privacy_requests(identifiers),
    )


def _privacy_requests(identifiers: Identifiers) -> list[PrivacyRequest]:
    matches = []
    if identifiers.emails:
        matches.append(func.lower(PrivacyRequest.email).in_(identifiers.emails))
    if identifiers.phones:
        matches.append(PrivacyRequest.phone.in_(identifiers.phones))
    return list(db.session.scalars(select(PrivacyRequest).where(or_(*matches)).order_by(PrivacyRequest.id)))


def _status_links(addresses: tuple[str, ...]) -> list[StatusLink]:
    return list(
        db.session.scalars(
            select(StatusLink).where(func.lower(StatusLink.recipient).in_(addresses)).order_by(StatusLink.id)
        )
    )


def _webhook_deliveries(terms: tuple[str, ...]) -> list[WebhookDelivery]:
    """The webhook events whose body names the person (a lead's e-mail or phone is in it)."""
    if not terms:
        return []
    return list(
        db.session.scalars(
            select(WebhookDelivery).where(_text_mentions([WebhookDelivery.body], terms)).order_by(WebhookDelivery.id)
        )
    )


def records_of(leads: list[Lead], engagements: list[Engagement], clients: list[Client]) -> PersonRecords:
    """The rows of some finished records (what retention erases): the leads, engagements and client
    contacts given, their timelines and files, and the e-mails to or about the leads' addresses
    that no other record still in use shares."""
    found = {lead.id: lead for lead in leads}
    lead_ids = sorted(found)
    engagement_ids = [engagement.id for engagement in engagements]
    addresses = sorted({lead.email_normalised for lead in found.values() if lead.email_normalised})
    in_use = set(
        db.session.scalars(
            select(Lead.email_normalised).where(
                Lead.email_normalised.in_(addresses), Lead.id.not_in(lead_ids), Lead.erased_at.is_(None)
            )
        )
    ) | set(
        db.session.scalars(
            select(func.lower(Client.contact_email)).where(
                func.lower(Client.contact_email).in_(addresses), Client.id.not_in([c.id for c in clients])
            )
        )
    )
    free = [address for address in addresses if address not in in_use]
    phones = tuple(sorted({lead.phone for lead in found.values() if lead.phone}))
    emails = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(or_(func.lower(OutboxMessage.recipient).in_(free), func.lower(OutboxMessage.reply_to).in_(free)))
            .order_by(OutboxMessage.created_at)
        )
    )
    activities = list(
        db.session.scalars(
            select(Activity)
            .where(or_(Activity.lead_id.in_(lead_ids), Activity.engagement_id.in_(engagement_ids)))
            .order_by(Activity.id)
        )
    )
    attachments = list(
        db.session.scalars(
            select(LeadAttachment).where(LeadAttachment.lead_id.in_(lead_ids)).order_by(LeadAttachment.id)
        )
    )
    identifiers = Identifiers(emails=tuple(addresses), phones=phones)
    return PersonRecords(
        identifiers,
        [found[i] for i in lead_ids],
        clients,
        engagements,
        activities,
        attachments,
        emails,
        _webhook_deliveries(identifiers.search_terms()),
        _status_links(tuple(free)),
    )
