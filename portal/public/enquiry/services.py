"""Enquiry intake: turn a validated enquiry into a lead, its activity and its e-mails.

`submit_enquiry` adds and flushes; the route commits once, so the lead, its
standards, the activity row and the outbox messages exist together or not at all.
E-mails go through the outbox, so a mail server that is down loses nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from portal.core import outbox, webhook_events
from portal.core.errors import ServiceError
from portal.core.firm import current_firm
from portal.domain.email_kind import EmailKind, email_kind
from portal.domain.lead_scoring import LeadFacts, months_to_target, score_lead
from portal.domain.normalise import normalise_company, normalise_email, normalise_phone
from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.leads.services.assignment import auto_assign
from portal.leads.tallies import count_new_standards
from portal.models import Activity, Lead, LeadStatus, lead_standards
from portal.models.types import utcnow
from portal.privacy.notices import record_consents
from portal.public.queries import ReferenceRows, RegionRow, SectorRow, StandardRow, reference_rows
from portal.web.links import absolute_url

logger = logging.getLogger(__name__)

REFERENCE_FORMAT = "ENQ-{year}-{number:06d}"

# Where an enquiry came from (the lead's `source`, and the context its consent was given
# in): the website's form, or another system through the intake API (portal/api).
SOURCE_FORM = "form"
SOURCE_API = "api"
RECEIVED_THROUGH = {
    SOURCE_FORM: _l("Enquiry received through the website form."),
    SOURCE_API: _l("Enquiry received through the API."),
}


@dataclass(frozen=True)
class EnquiryData:
    """A validated enquiry as plain values (choices by their public keys: slugs and sector code)."""

    contact_name: str
    email: str
    phone: str
    company: str
    standard_slugs: tuple[str, ...]
    consent: bool
    sector_code: int | None = None
    employees: int | None = None
    sites: int | None = None
    region_slug: str = ""
    job_title: str = ""
    existing_certifications: str = ""
    timeline: str = ""
    wanted_by: date | None = None
    heard_from: str = ""
    message: str = ""
    language: str = "en"
    utm: dict[str, str] = field(default_factory=dict)
    submission_token: str | None = None
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)
    spam_reason: str | None = None
    source: str = SOURCE_FORM
    # Marketing e-mails have their own consent, never ticked for the person (default: no).
    marketing_consent: bool = False
    # The address of the page the consent was given on (the API's own for an API enquiry).
    path: str = ""


def lead_for_submission(submission_token: str) -> Lead | None:
    """The lead an earlier POST of the same rendered form created, if any."""
    return db.session.scalar(select(Lead).where(Lead.submission_token == submission_token))


def make_reference(lead_id: int, created_at: datetime) -> str:
    """ENQ-YYYY-NNNNNN from the lead's id (unique by construction) and its year in Oman."""
    return REFERENCE_FORMAT.format(year=created_at.astimezone(MUSCAT).year, number=lead_id)


def _resolve(data: EnquiryData, rows: ReferenceRows) -> tuple[SectorRow | None, RegionRow | None, list[StandardRow]]:
    """The chosen rows; sector and location may be left out, but one that is named must exist."""
    sector = rows.sectors.get(data.sector_code) if data.sector_code is not None else None
    if data.sector_code is not None and sector is None:
        raise ServiceError(_("Choose a sector from the list."), "sector")
    region = rows.regions.get(data.region_slug) if data.region_slug else None
    if data.region_slug and region is None:
        raise ServiceError(_("Choose a location from the list."), "region")
    slugs = set(data.standard_slugs)
    standards = [standard for slug, standard in rows.standards.items() if slug in slugs]
    if not standards or len(standards) != len(slugs):
        raise ServiceError(_("Choose standards from the list."), "standards")
    return sector, region, standards


def _score(data: EnquiryData, kind: EmailKind, today: date) -> tuple[int, list[dict[str, object]]]:
    result = score_lead(
        LeadFacts(
            employees=data.employees,
            standards=len(set(data.standard_slugs)),
            sites=data.sites,
            months_to_target=months_to_target(data.timeline, data.wanted_by, today),
            timeline_given=bool(data.timeline) or data.wanted_by is not None,
            sector_code=data.sector_code,
            email_kind=kind,
            has_existing_certifications=bool(data.existing_certifications),
            has_phone=bool(data.phone),
            has_message=bool(data.message),
            has_job_title=bool(data.job_title),
            has_readiness="readiness" in data.attachments,
            has_estimate="estimate" in data.attachments,
        )
    )
    return result.score, [factor.as_dict() for factor in result.factors]


def submit_enquiry(data: EnquiryData, now: datetime | None = None, rows: ReferenceRows | None = None) -> Lead:
    """Create the lead with its standards, a "created" activity and (unless spam) two kinds of e-mail.

    The one intake of every enquiry: the website's form and the intake API both call it with
    data their forms validated by the same rules (portal.public.enquiry.forms.EnquiryForm),
    so scoring, duplicate keys (normalised e-mail and company), consent and e-mails are the same.

    A disposable address does not refuse the enquiry, nor close it as spam (a closed status
    with no way back): the lead stays new, its `email_kind` shown as "likely spam — review",
    so a consultant decides.

    `rows` are the reference rows the form was validated against, when the caller has them
    (the route does). Raises ServiceError when a choice no longer exists. Flushes; the caller
    commits. Every read comes before the first write and the rows after the lead's own insert
    go to the database together: four round trips write it all.
    """
    if not data.consent:
        raise ServiceError(_("We need your consent to contact you about your enquiry."), "consent")
    now = now or utcnow()
    sector, region, standards = _resolve(data, rows or reference_rows())
    kind = email_kind(data.email)
    score, factors = _score(data, kind, now.astimezone(MUSCAT).date())
    is_spam = data.spam_reason is not None
    staff_languages = {} if is_spam else outbox.languages_of(current_app.config["NOTIFY_EMAILS"])
    lead = Lead(
        created_at=now,
        submission_token=data.submission_token,
        contact_name=data.contact_name,
        email=data.email,
        email_normalised=normalise_email(data.email),
        email_kind=kind.value,
        phone=normalise_phone(data.phone) if data.phone else "",
        company=data.company,
        company_normalised=normalise_company(data.company),
        job_title=data.job_title,
        sector_id=sector.id if sector else None,
        employees=data.employees,
        sites=data.sites,
        region_id=region.id if region else None,
        existing_certifications=data.existing_certifications,
        wanted_by=data.wanted_by,
        timeline=data.timeline,
        heard_from=data.heard_from,
        message=data.message,
        source=data.source,
        utm=dict(data.utm),
        language=data.language,
        consent_at=now,
        readiness=data.attachments.get("readiness"),
        estimate=data.attachments.get("estimate"),
        status=LeadStatus.SPAM.value if is_spam else LeadStatus.NEW.value,
        status_reason=data.spam_reason or "",
        score=score,
        score_factors=factors,
    )
    db.session.add(lead)
    db.session.flush()  # the lead's id makes its reference
    db.session.execute(insert(lead_standards), [{"lead_id": lead.id, "standard_id": s.id} for s in standards])
    count_new_standards(db.session, lead, [s.id for s in standards])  # the INSERT is not the ORM's: count it
    lead.reference = make_reference(lead.id, now)
    record_consents(
        lead, marketing=data.marketing_consent, language=data.language, page=data.source, path=data.path, now=now
    )
    db.session.add(
        Activity(
            lead=lead,
            created_at=now,
            kind="created",
            body=str(RECEIVED_THROUGH[data.source]),
            details={"source": data.source, "spam_reason": data.spam_reason} if is_spam else {"source": data.source},
        )
    )
    if not is_spam:
        _enqueue_emails(lead, EnquiryWords(sector, region, standards), staff_languages)
        auto_assign(lead)  # no-op unless an admin switched auto-assignment on
    db.session.flush()
    if not is_spam:
        webhook_events.lead_created(lead)
    logger.info("enquiry %s received (lead %s, status %s, score %s)", lead.reference, lead.id, lead.status, score)
    return lead


@dataclass(frozen=True)
class EnquiryWords:
    """The chosen reference rows as the e-mails name them (the lead's relationships are not loaded)."""

    sector: SectorRow | None
    region: RegionRow | None
    standards: list[StandardRow]

    @property
    def standard_codes(self) -> str:
        return ", ".join(standard.code for standard in self.standards)


def _enqueue_emails(lead: Lead, words: EnquiryWords, staff_languages: dict[str, str | None]) -> None:
    """Acknowledge to the visitor in the language of their enquiry; notify each consultants'
    address, in its user's language (the firm's default for a shared mailbox), with a link to the lead."""
    with outbox.written_in(lead.language):
        outbox.enqueue(
            "enquiry_acknowledgement",
            lead.email,
            _("Your enquiry %(reference)s to %(firm)s", reference=lead.reference, firm=current_firm().name),
            render_template("emails/enquiry_acknowledgement.txt", lead=lead, words=words),
        )
    lead_url = absolute_url("leads.detail", id=lead.id)
    for address, language in staff_languages.items():
        with outbox.written_in(language):
            body = render_template("emails/enquiry_notification.txt", lead=lead, words=words, lead_url=lead_url)
            subject = _("New enquiry %(reference)s from %(company)s", reference=lead.reference, company=lead.company)
            outbox.enqueue("enquiry_notification", address, subject, body, reply_to=lead.email)
