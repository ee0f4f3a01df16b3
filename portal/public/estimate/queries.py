"""What the public estimate reads from the database: the chosen standards and the day-rate range.

The cost range is built from the day rates of the active certification bodies that
work in the visitor's location and are accredited for a chosen standard in the visitor's
sector, without naming any of them (impartiality: the
consultancy may not steer a client towards a body), and only when at least
MIN_BODIES_FOR_RANGE rates exist, so the range never reveals one body's price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from portal.domain.accreditation import sectors_required
from portal.domain.audit_time import AuditDays, StandardSpec
from portal.extensions import db
from portal.models import (
    Accreditation,
    AccreditationBody,
    AccreditationStatus,
    CertificationBody,
    Region,
    Sector,
    Standard,
)

MIN_BODIES_FOR_RANGE = 2


@dataclass(frozen=True)
class CostRange:
    """Indicative first-cycle cost (initial audit and two surveillances), excluding travel and VAT."""

    low: Decimal
    high: Decimal
    bodies: int


def specs(standards: list[Standard]) -> list[StandardSpec]:
    return [StandardSpec(standard.code, standard.md5_table) for standard in standards]


@dataclass(frozen=True)
class RateQuery:
    """Which bodies count: serving the location, accredited for a chosen standard in the sector."""

    region_slug: str
    standard_ids: tuple[int, ...]
    sector_code: int
    today: date


def _counts_for_its_standard(standard_ids: tuple[int, ...], sector_code: int) -> ColumnElement[bool]:
    """SQL: the accreditation is for one of the standards, by an accreditation body recognised
    for that standard, with the visitor's sector in scope where the standard's scopes are written
    in sectors (as matching compares them: portal.domain.accreditation.sectors_required). The
    rules run here in Python over the small reference tables, so SQL never restates them; three
    queries however many bodies."""
    standards = db.session.scalars(select(Standard).where(Standard.id.in_(standard_ids))).all()
    with_signatures = select(AccreditationBody).options(selectinload(AccreditationBody.mla_signatures))
    bodies = db.session.scalars(with_signatures).all()
    in_sector = Accreditation.sectors.any(Sector.code == sector_code)
    return or_(
        false(),
        *(
            and_(
                Accreditation.standard_id == standard.id,
                Accreditation.accreditation_body_id.in_([b.id for b in bodies if b.recognised_for(standard.family)]),
                in_sector if sectors_required(standard.scope_scheme) else true(),
            )
            for standard in standards
        ),
    )


def day_rate_range(query: RateQuery) -> tuple[Decimal, Decimal, int] | None:
    """(lowest, highest, how many) day rates of the active bodies that serve the location (or
    travel there) and hold a current accreditation, recognised under the IAF MLA for its
    standard, for one of the standards (with the sector in scope where its scopes name sectors)."""
    region = db.session.scalar(select(Region).where(Region.slug == query.region_slug))
    slugs = [query.region_slug] + ([region.governorate.slug] if region is not None and region.governorate else [])
    served = or_(
        CertificationBody.serves_all_oman,
        CertificationBody.travel_charged,
        CertificationBody.regions.any(Region.slug.in_(slugs)),
    )
    accredited = CertificationBody.accreditations.any(
        and_(
            Accreditation.standard_id.in_(query.standard_ids),
            Accreditation.status == AccreditationStatus.ACTIVE.value,
            Accreditation.valid_from <= query.today,
            Accreditation.valid_until >= query.today,
            _counts_for_its_standard(query.standard_ids, query.sector_code),
        )
    )
    low, high, count = db.session.execute(
        select(func.min(CertificationBody.day_rate), func.max(CertificationBody.day_rate), func.count()).where(
            CertificationBody.active, CertificationBody.day_rate > 0, served, accredited
        )
    ).one()
    if count < MIN_BODIES_FOR_RANGE:
        return None
    return Decimal(low), Decimal(high), count


def cost_range(audit_days: AuditDays | None, query: RateQuery) -> CostRange | None:
    """First-cycle days times the lowest and highest day rate; None without days or enough rates."""
    rates = day_rate_range(query) if audit_days else None
    if audit_days is None or rates is None:
        return None
    low, high, count = rates
    return CostRange(audit_days.first_cycle * low, audit_days.first_cycle * high, count)
