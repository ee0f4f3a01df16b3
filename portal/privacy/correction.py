"""Correction: a person's name, e-mail address, phone number or company put right on every record.

The records are those `portal.privacy.person.find_records` finds: the person's leads (never
a colleague's lead merged with theirs) and the clients whose contact they are. Only the fields the admin fills in
change; the lead's comparison forms (normalised e-mail and company) follow, so duplicate
detection keeps working. A client's organisation name is the firm's business record and is
changed on the client's page, not here. The audit row says which fields changed on how many
records, and the person's keyed hash, never the old or new values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext as _

from portal.core import audit
from portal.core.errors import ServiceError
from portal.domain.email_kind import email_kind
from portal.domain.normalise import PhoneNumberError, normalise_company, normalise_email, normalise_phone
from portal.domain.personal_data import Identifiers
from portal.extensions import db
from portal.models import User
from portal.privacy.person import digest, find_records

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Correction:
    """The corrected values; an empty one leaves that field as it is."""

    name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""


def _checked_phone(phone: str) -> str:
    try:
        return normalise_phone(phone)
    except PhoneNumberError as error:
        raise ServiceError(_("Enter a valid phone number, e.g. +968 9123 4567."), field="new_phone") from error


def correct_person(identifiers: Identifiers, correction: Correction, actor: User | None) -> dict[str, int]:
    """Apply `correction` to every lead and client contact of the person; returns how many were changed."""
    fields = [name for name in ("name", "email", "phone", "company") if getattr(correction, name).strip()]
    if not fields:
        raise ServiceError(_("Fill in at least one corrected value."), field="new_name")
    phone = _checked_phone(correction.phone) if correction.phone.strip() else ""
    email = normalise_email(correction.email) if correction.email.strip() else ""
    records = find_records(identifiers)
    leads = records.leads
    if not (leads or records.clients):
        raise ServiceError(_("The portal holds nothing about this person."), field="email")
    for lead in leads:
        if correction.name.strip():
            lead.contact_name = correction.name.strip()
        if email:
            lead.email, lead.email_normalised, lead.email_kind = email, email, email_kind(email).value
        if phone:
            lead.phone = phone
        if correction.company.strip():
            lead.company = correction.company.strip()
            lead.company_normalised = normalise_company(lead.company)
    for client in records.clients:
        if correction.name.strip():
            client.contact_name = correction.name.strip()
        if email:
            client.contact_email = email
        if phone:
            client.contact_phone = phone
    counts = {"leads": len(leads), "clients": len(records.clients)}
    details = {"person": digest(identifiers), "fields": fields, "counts": counts}
    audit.record("privacy.corrected", actor, details=details, actor_email=None if actor else "cli")
    db.session.flush()
    logger.info("personal data corrected by %s: %s on %s", actor.email if actor else "cli", fields, counts)
    return counts
