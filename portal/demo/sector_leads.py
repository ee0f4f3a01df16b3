"""Two hand-written demo leads from sectors the audit-time rules treat apart (issue 15).

A hospital (IAF 38, health and social work, OH&S complexity high by IAF MD 5's annex)
asking for ISO 45001, and a private school (IAF 37, education) asking for ISO 9001 with
ISO 21001 in mind, so a consultant trying the portal sees those sectors in the inbox,
the lead score and the estimate. Fictional names, addresses at demo.example.om;
idempotent on their references. Kept apart from the generated leads (portal.demo.leads)
so that list's spread stays as its tests expect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.domain import lead_status
from portal.domain.lead_scoring import LeadFacts, score_lead
from portal.domain.normalise import normalise_company, normalise_email
from portal.extensions import db
from portal.models import Lead, Region, Sector, Standard
from portal.models.types import utcnow

logger = logging.getLogger(__name__)

DEMO_DOMAIN = "demo.example.om"


@dataclass(frozen=True)
class SectorLead:
    """One fictional enquiry, as the form would have recorded it."""

    reference: str
    company: str
    contact_name: str
    job_title: str
    sector_code: int
    employees: int
    sites: int
    region: str
    standards: tuple[str, ...]
    message: str
    days_ago: int


SECTOR_LEADS = (
    SectorLead(
        reference="ENQ-DEMO-H001",
        company="Al Rawdha Specialty Hospital LLC",
        contact_name="Dr. Maryam Al Harthy",
        job_title="Head of Patient and Staff Safety",
        sector_code=38,
        employees=180,
        sites=1,
        region="muscat-governorate",
        standards=("iso-45001",),
        message=(
            "A 120-bed private hospital in Bawshar. We want ISO 45001 for staff safety: needle-stick "
            "injuries, patient handling, infection control and shift work in the wards and theatres."
        ),
        days_ago=3,
    ),
    SectorLead(
        reference="ENQ-DEMO-S001",
        company="Al Multaqa Private School SAOC",
        contact_name="Salim Al Rawahi",
        job_title="Principal",
        sector_code=37,
        employees=95,
        sites=2,
        region="ad-dakhiliyah",
        standards=("iso-9001",),
        message=(
            "A bilingual school in Nizwa, kindergarten to grade 12, on two campuses. We would start with "
            "ISO 9001 and would like to hear whether ISO 21001 for educational organisations suits us better."
        ),
        days_ago=6,
    ),
)


def _lead(demo: SectorLead, now: datetime, standards: dict[str, Standard], region: Region, sector: Sector) -> Lead:
    email = f"{demo.contact_name.split()[-1].lower()}.{demo.reference[-4:].lower()}@{DEMO_DOMAIN}"
    score = score_lead(
        LeadFacts(
            employees=demo.employees,
            standards=len(demo.standards),
            sites=demo.sites,
            sector_code=demo.sector_code,
            has_phone=True,
            has_message=True,
            has_job_title=True,
        )
    )
    arrived = now - timedelta(days=demo.days_ago, hours=5)
    lead = Lead(
        reference=demo.reference,
        created_at=arrived,
        contact_name=demo.contact_name,
        email=email,
        email_normalised=normalise_email(email),
        phone=f"+9689{demo.employees * 10_007:07d}",
        company=demo.company,
        company_normalised=normalise_company(demo.company),
        job_title=demo.job_title,
        sector=sector,
        employees=demo.employees,
        sites=demo.sites,
        region=region,
        existing_certifications="",
        message=demo.message,
        source="form",
        language="en",
        consent_at=arrived,
        status=lead_status.NEW,
        score=score.score,
        score_factors=[factor.as_dict() for factor in score.factors],
    )
    lead.standards = [standards[slug] for slug in demo.standards]
    return lead


def load_demo_sector_leads(now: datetime | None = None) -> int:
    """Create the hospital and school leads that are missing; return how many. Flushes, never commits."""
    now = now or utcnow()
    references = [demo.reference for demo in SECTOR_LEADS]
    existing = set(db.session.scalars(select(Lead.reference).where(Lead.reference.in_(references))))
    standards = {standard.slug: standard for standard in db.session.scalars(select(Standard))}
    regions = {region.slug: region for region in db.session.scalars(select(Region))}
    sectors = {sector.code: sector for sector in db.session.scalars(select(Sector))}
    if not standards or not regions:
        raise RuntimeError("load the reference data first (flask seed reference)")
    created = 0
    for demo in SECTOR_LEADS:
        if demo.reference not in existing:
            db.session.add(_lead(demo, now, standards, regions[demo.region], sectors[demo.sector_code]))
            created += 1
    db.session.flush()
    logger.info("demo sector leads (hospital, school): %d created", created)
    return created
