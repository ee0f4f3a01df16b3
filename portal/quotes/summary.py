"""What a certification body is shown to price a job, and nothing more.

The body needs the scope (standards, sector, size, sites, locations, wanted dates),
not who the client is: no company name, contact, e-mail or phone leaves the portal
through a quote link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.models import Quote


@dataclass(frozen=True)
class JobSummary:
    reference: str
    body_name: str
    standards: tuple[str, ...]
    sector: str
    employees: int | None
    sites: int | None
    locations: tuple[str, ...]
    wanted_by: date | None


def job_summary(quote: Quote) -> JobSummary:
    engagement = quote.engagement
    lead = engagement.lead
    sector = f"{lead.sector.code} · {lead.sector.name}" if lead and lead.sector else ""
    return JobSummary(
        reference=f"Q-{quote.id}",
        body_name=quote.certification_body.name,
        standards=tuple(f"{s.code} ({s.title})" for s in engagement.standards),
        sector=sector,
        employees=lead.employees if lead else None,
        sites=lead.sites if lead else None,
        locations=(lead.region.name,) if lead and lead.region else (),
        wanted_by=lead.wanted_by if lead else None,
    )
