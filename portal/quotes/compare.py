"""The compare page's read model: received quotes side by side, ready for the template.

Each column carries the quote's three-year cost, its offered days against the IAF
MD 5 figures for this engagement, its validity and the body's accreditation for
every wanted standard. The template only shows these values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import selectinload

from portal.domain import accreditation as accreditation_rules
from portal.domain import audit_time
from portal.domain.quote_costs import CycleCost, DaysCheck, cheapest, check_days, cycle_cost
from portal.extensions import db
from portal.models import (
    OPEN_QUOTE_STATUSES,
    Accreditation,
    CertificationBody,
    Engagement,
    Quote,
    QuoteStatus,
    Standard,
)

SHOWN_SIDE_BY_SIDE = (QuoteStatus.RECEIVED.value, QuoteStatus.ACCEPTED.value)


@dataclass(frozen=True)
class Md5Figures:
    """The engagement's initial-audit days by MD 5: the plain estimate and the least MD 5 allows.

    `without_profile` is True when the engagement has no enquiry to read personnel and sites from.
    """

    estimate: Decimal | None
    minimum: Decimal | None
    without_table: tuple[str, ...]
    without_profile: bool = False


@dataclass(frozen=True)
class AccreditationLine:
    """One wanted standard for one body: the current accreditation (if any) and what to warn about."""

    standard: str
    accreditation: Accreditation | None
    warning: accreditation_rules.ExpiryWarning | None
    mla: bool


@dataclass(frozen=True)
class QuoteColumn:
    quote: Quote
    cost: CycleCost
    days: DaysCheck
    days_left: int | None
    cheapest: bool
    accreditation: tuple[AccreditationLine, ...]


def md5_figures(engagement: Engagement) -> Md5Figures:
    """Initial audit days for the engagement's standards, personnel, sector and sites (from its enquiry)."""
    lead = engagement.lead
    specs = [audit_time.StandardSpec(s.code, s.md5_table) for s in engagement.standards]
    if lead is None or not specs:
        return Md5Figures(None, None, (), without_profile=True)
    common = {"sector_code": lead.sector.code if lead.sector else None, "sites": lead.sites}
    try:
        plain = audit_time.estimate(specs, lead.employees, **common)
        floor = audit_time.estimate(
            specs,
            lead.employees,
            adjustments=[audit_time.Adjustment("every reduction at its cap", -audit_time.MAX_REDUCTION_PERCENT)],
            integration_saving_percent=audit_time.MAX_INTEGRATION_SAVING_PERCENT,
            site_reduction_percent=audit_time.MAX_SITE_REDUCTION_PERCENT,
            **common,
        )
    except audit_time.AuditTimeError:
        return Md5Figures(None, None, ())
    return Md5Figures(
        plain.days.initial if plain.days else None,
        floor.days.initial if floor.days else None,
        plain.without_table,
    )


def _accreditation_lines(
    body: CertificationBody, standards: Sequence[Standard], today: date
) -> tuple[AccreditationLine, ...]:
    lines = []
    for standard in standards:
        candidates = [a for a in body.accreditations if a.standard_id == standard.id]
        # The best one: current first, then the latest end date.
        candidates.sort(
            key=lambda a: (accreditation_rules.is_current(a.status, a.valid_from, a.valid_until, today), a.valid_until),
            reverse=True,
        )
        best = candidates[0] if candidates else None
        warning = accreditation_rules.warning_for(best.status, best.valid_until, today) if best else None
        mla = bool(best and best.accreditation_body.iaf_mla_signatory)
        lines.append(AccreditationLine(standard.code, best, warning, mla))
    return tuple(lines)


def engagement_quotes(engagement: Engagement) -> list[Quote]:
    """Every quote of the engagement with its body and the body's accreditations loaded."""
    return list(
        db.session.scalars(
            select(Quote)
            .where(Quote.engagement_id == engagement.id)
            .options(
                selectinload(Quote.certification_body)
                .selectinload(CertificationBody.accreditations)
                .selectinload(Accreditation.accreditation_body)
            )
            .order_by(Quote.requested_at, Quote.id)
        )
    )


def columns(quotes: Sequence[Quote], engagement: Engagement, md5: Md5Figures, today: date) -> list[QuoteColumn]:
    """Received and accepted quotes, each with its cost, days check, validity and accreditations."""
    shown = [q for q in quotes if q.status in SHOWN_SIDE_BY_SIDE]
    costs = {q.id: cycle_cost(q.initial_fee, q.surveillance_fee, q.recertification_fee, q.travel_fee) for q in shown}
    lowest = cheapest({qid: cost.three_year_total for qid, cost in costs.items()}) if len(shown) > 1 else set()
    return [
        QuoteColumn(
            quote=q,
            cost=costs[q.id],
            days=check_days(q.initial_audit_days, md5.estimate, md5.minimum),
            days_left=(q.valid_until - today).days if q.valid_until else None,
            cheapest=q.id in lowest,
            accreditation=_accreditation_lines(q.certification_body, engagement.standards, today),
        )
        for q in shown
    ]


def _holds_current(standard_id: int, today: date):
    """SQL: the body holds an active accreditation for the standard, valid today (as accreditation.is_current)."""
    return CertificationBody.accreditations.any(
        and_(
            Accreditation.standard_id == standard_id,
            Accreditation.status == "active",
            Accreditation.valid_from <= today,
            Accreditation.valid_until >= today,
        )
    )


def requestable_bodies(
    engagement: Engagement, quotes: Sequence[Quote], shortlisted: set[int], today: date
) -> list[CertificationBody]:
    """Active bodies without an open quote that are on the match page's shortlist or hold a current
    accreditation for every wanted standard; shortlisted ones first. Filtered in SQL, so a directory
    of thousands of bodies costs one query."""
    open_ids = {q.certification_body_id for q in quotes if q.status in OPEN_QUOTE_STATUSES}
    wanted = [s.id for s in engagement.standards]
    covers_all = and_(*(_holds_current(sid, today) for sid in wanted)) if wanted else false()
    bodies = db.session.scalars(
        select(CertificationBody)
        .where(
            CertificationBody.active.is_(True),
            CertificationBody.id.not_in(open_ids),
            or_(CertificationBody.id.in_(shortlisted), covers_all),
        )
        .order_by(CertificationBody.name)
    )
    return sorted(bodies, key=lambda b: b.id not in shortlisted)
