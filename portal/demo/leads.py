"""About sixty fictional leads so the inbox and the dashboard look real on first run.

Spread over every status, source, standard and location and over the last twelve
weeks, with a few possible duplicates and notes. The history goes through the
triage services (status changes, assignment, conversion), so the timeline, the
clients and the engagements are the ones real work would leave; the activity
times are then spread after each lead's arrival. Idempotent: leads are matched on
their reference (ENQ-DEMO-0001 …) and only missing ones are made. Every address is
at demo.example.om, so nothing here can reach a real person.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from itertools import cycle

from sqlalchemy import select

from portal.domain import lead_status
from portal.domain.lead_scoring import LeadFacts, score_lead
from portal.domain.normalise import normalise_company, normalise_email
from portal.extensions import db
from portal.leads import services
from portal.leads.response import RESPONSE_KINDS
from portal.leads.services import conversion
from portal.models import Activity, Lead, Region, Role, Sector, Standard, User
from portal.models.types import utcnow

logger = logging.getLogger(__name__)

DEMO_COUNT = 60
DEMO_DOMAIN = "demo.example.om"
SOURCES = ("form", "phone", "email", "referral", "exhibition")

# Company names: a place and a trade (IAF sector code, typical employees). With 12 places and
# 10 trades, lead i gets place i % 12 and trade 7i % 10: sixty different companies.
PLACES = ("Al Wadi", "Sohar", "Dhofar", "Majan", "Nizwa", "Barka", "Sur", "Ibri", "Duqm", "Muttrah", "Seeb", "Rustaq")
TRADES = (
    ("Trading", 29, 35),
    ("Steel Fabrication", 17, 140),
    ("Fisheries", 3, 60),
    ("IT Solutions", 33, 25),
    ("Construction", 28, 320),
    ("Hotels", 30, 80),
    ("Private Academy", 37, 65),
    ("Oilfield Services", 10, 450),
    ("Water Services", 27, 110),
    ("Medical Supplies", 19, 30),
)
# A few leads write again, as real prospects do: (lead, the earlier lead whose detail it shares).
SHARED_EMAIL = {40: 12}
SHARED_PHONE = {26: 25}
SHARED_COMPANY = {8: 7}
FIRST_NAMES = (
    "Aisha",
    "Salim",
    "Maryam",
    "Hamed",
    "Fatma",
    "Yousuf",
    "Zainab",
    "Talal",
    "Noor",
    "Badr",
    "Huda",
    "Said",
)
FAMILY_NAMES = (
    "Al Harthy",
    "Al Balushi",
    "Al Rawahi",
    "Al Hinai",
    "Al Kindi",
    "Al Busaidi",
    "Al Shukaili",
    "Al Lawati",
)
JOB_TITLES = ("Quality Manager", "General Manager", "HSE Officer", "Operations Director", "Owner", "")
MESSAGES = (
    "We are asked by a government tender to hold ISO certification. What does the process look like?",
    "Our main client requires certification within the year. Can you help us prepare?",
    "We already hold one certificate and want to add another standard in an integrated system.",
    "Please call me to discuss the cost and the time needed.",
    "",
)
NOTES = (
    "Called the contact: they want a gap analysis first and a proposal by e-mail.",
    "Tender deadline is in four months; priority lead.",
    "Two sites (head office and warehouse); ask for site details.",
    "Sent our company profile; waiting for the organisation chart.",
)

# Index 0 is the newest lead. Recent leads are mostly new; older ones have moved on.
_EARLY = (lead_status.NEW,) * 3 + (lead_status.CONTACTED, lead_status.SPAM)
_MIDDLE = (lead_status.CONTACTED, lead_status.QUALIFIED, lead_status.UNQUALIFIED, lead_status.NEW)
_LATE = (lead_status.QUALIFIED, lead_status.CONVERTED, lead_status.UNQUALIFIED, lead_status.CONVERTED, lead_status.SPAM)
PATH = {
    lead_status.NEW: (),
    lead_status.CONTACTED: (lead_status.CONTACTED,),
    lead_status.QUALIFIED: (lead_status.CONTACTED, lead_status.QUALIFIED),
    lead_status.CONVERTED: (lead_status.CONTACTED, lead_status.QUALIFIED, lead_status.CONVERTED),
    lead_status.UNQUALIFIED: (lead_status.CONTACTED, lead_status.UNQUALIFIED),
    lead_status.SPAM: (lead_status.SPAM,),
}
REASONS = {
    lead_status.UNQUALIFIED: "Outside our scope: they need product certification, not a management system.",
    lead_status.SPAM: "Advertising, not an enquiry.",
}


def demo_status(index: int) -> str:
    if index < 15:
        return _EARLY[index % len(_EARLY)]
    if index < 35:
        return _MIDDLE[index % len(_MIDDLE)]
    return _LATE[index % len(_LATE)]


def demo_reference(index: int) -> str:
    return f"ENQ-DEMO-{index + 1:04d}"


def _company(index: int) -> tuple[str, int, int]:
    """(company, IAF sector code, employees) of lead `index`."""
    index = SHARED_COMPANY.get(index, index)
    trade, sector_code, employees = TRADES[(7 * index) % len(TRADES)]
    return f"{PLACES[index % len(PLACES)]} {trade}", sector_code, employees + 5 * (index % 3)


def _contact(index: int) -> tuple[str, str, str]:
    """(contact name, e-mail, phone) of lead `index`."""
    person = SHARED_EMAIL.get(index, index)
    # (person + person // 12) % 8 gives every one of the first 96 people a different name.
    first = FIRST_NAMES[person % len(FIRST_NAMES)]
    family = FAMILY_NAMES[(person + person // len(FIRST_NAMES)) % len(FAMILY_NAMES)]
    email = f"{first}.{family.replace(' ', '')}@{DEMO_DOMAIN}".lower()
    phone = f"+9689{(SHARED_PHONE.get(index, index) * 7919 + 1_234_567) % 10_000_000:07d}"
    return f"{first} {family}", email, phone


def _build_lead(index: int, now: datetime, standards: list[Standard], regions: list[Region], sectors: dict) -> Lead:
    company, sector_code, employees = _company(index)
    contact, email, phone = _contact(index)
    wanted = [standards[index % len(standards)]]
    if index % 3 == 0:
        wanted.append(standards[(index + 4) % len(standards)])
    message = MESSAGES[index % len(MESSAGES)]
    job_title = JOB_TITLES[index % len(JOB_TITLES)]
    score = score_lead(
        LeadFacts(
            employees=employees,
            standards=len(wanted),
            sites=1 + index % 3,
            sector_code=sector_code,
            has_existing_certifications=index % 4 == 0,
            has_phone=bool(phone),
            has_message=bool(message),
            has_job_title=bool(job_title),
        )
    )
    lead = Lead(
        reference=demo_reference(index),
        created_at=now - timedelta(hours=2 + index * 33),
        contact_name=contact,
        email=email,
        email_normalised=normalise_email(email),
        phone=phone,
        company=company + (" LLC" if index % 2 else " SAOC"),
        company_normalised=normalise_company(company),
        job_title=job_title,
        sector=sectors.get(sector_code),
        employees=employees,
        sites=1 + index % 3,
        region=regions[index % len(regions)],
        existing_certifications="ISO 9001:2015" if index % 4 == 0 else "",
        message=message,
        source=SOURCES[index % len(SOURCES)],
        language="ar" if index % 10 == 4 else "en",
        consent_at=now - timedelta(hours=2 + index * 33),
        status=lead_status.NEW,
        score=score.score,
        score_factors=[factor.as_dict() for factor in score.factors],
    )
    lead.standards = wanted
    return lead


def _play_history(lead: Lead, target: str, owner: User | None, index: int) -> None:
    """Take the lead to `target` through the services, as a consultant would have."""
    if owner is not None and (target != lead_status.NEW or index % 2):
        services.assign(lead, owner, owner)  # self-assignment: no e-mail to the demo consultant
    actor = owner
    for step in PATH[target]:
        if actor is None:
            break
        if step == lead_status.CONVERTED:
            conversion.convert(lead, actor, [standard.id for standard in lead.standards])
        else:
            services.change_status(lead, step, actor, REASONS.get(step, ""))
        if step == lead_status.CONTACTED and index % 4 == 1:
            services.add_note(lead, actor, NOTES[index % len(NOTES)])


def _spread_activity_times(lead: Lead, now: datetime, index: int) -> None:
    """Place the lead's timeline (and so its first response) after its arrival, in the order it was written.

    Most leads were handled within a couple of days; conversions take longer and end
    in the last days, so the dashboard shows conversions this month.
    """
    rows = list(db.session.scalars(select(Activity).where(Activity.lead_id == lead.id).order_by(Activity.id)))
    if not rows:
        return
    if lead.status == lead_status.CONVERTED:
        step = (now - timedelta(days=index % 5, hours=3) - lead.created_at) / len(rows)
    else:
        step = min((now - lead.created_at) / (len(rows) + 1), timedelta(days=2))
    for position, row in enumerate(rows, start=1):
        row.created_at = lead.created_at + step * position
    # The services stored the real time of the first response; it moves with its entry.
    responses = [row.created_at for row in rows if row.kind in RESPONSE_KINDS and row.author_id is not None]
    lead.first_response_at = min(responses, default=None)


def load_demo_leads(now: datetime | None = None) -> int:
    """Create the demo leads that are missing; return how many were created. Flushes, never commits."""
    now = now or utcnow()
    existing = set(db.session.scalars(select(Lead.reference).where(Lead.reference.like("ENQ-DEMO-%"))))
    standards = list(db.session.scalars(select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)))
    regions = list(db.session.scalars(select(Region).order_by(Region.position, Region.id)))
    sectors = {sector.code: sector for sector in db.session.scalars(select(Sector))}
    if not standards or not regions:
        raise RuntimeError("load the reference data first (flask seed reference)")
    staff = list(
        db.session.scalars(
            select(User).where(User.active.is_(True), User.role == Role.CONSULTANT.value).order_by(User.id)
        )
    )
    owners = cycle(staff or [None])
    created = 0
    for index in range(DEMO_COUNT):
        owner = next(owners)
        if demo_reference(index) in existing:
            continue
        lead = _build_lead(index, now, standards, regions, sectors)
        db.session.add(lead)
        db.session.flush()
        _play_history(lead, demo_status(index), owner, index)
        db.session.flush()
        _spread_activity_times(lead, now, index)
        created += 1
    db.session.flush()
    logger.info("demo leads: %d created", created)
    return created
