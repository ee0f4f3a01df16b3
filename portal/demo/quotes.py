"""Fictional quotes in every status for the demo engagements (`flask seed demo`).

The engagement choosing its registrar gets quotes received (one offering far fewer
auditor-days than the others), requested, expired and withdrawn; engagements past registrar
selection get the accepted quote of their certification body and a declined one.
Fees are worked out from each sample body's day rate. Idempotent: an engagement that
has quotes already is left alone.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.domain import lifecycle
from portal.domain.money import MILLS
from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.models import CertificationBody, Engagement, Quote, QuoteStatus

logger = logging.getLogger(__name__)

# (status, initial auditor-days offered, days the quote stays valid from today)
SELECTION_QUOTES: tuple[tuple[QuoteStatus, Decimal | None, int], ...] = (
    (QuoteStatus.RECEIVED, Decimal("6.0"), 45),
    (QuoteStatus.RECEIVED, Decimal("5.5"), 20),
    (QuoteStatus.RECEIVED, Decimal("2.5"), 60),  # far fewer days than the others, and the cheapest
    (QuoteStatus.REQUESTED, None, 0),
    (QuoteStatus.EXPIRED, Decimal("5.0"), -10),
    (QuoteStatus.WITHDRAWN, None, 0),
)
REQUESTED_DAYS_AGO = 25
ANSWERED_AFTER_DAYS = 4
DECIDED_AFTER_DAYS = 12
DECIDED_STAGES = set(lifecycle.CYCLE[lifecycle.CYCLE.index(lifecycle.STAGE1_AUDIT) :])


def _at(day: date) -> datetime:
    """Mid-morning in Muscat on `day`."""
    return datetime.combine(day, time(10, 0), tzinfo=MUSCAT)


def _priced(
    engagement: Engagement, body: CertificationBody, status: QuoteStatus, days: Decimal | None, valid_for: int, today
) -> Quote:
    quote = Quote(engagement=engagement, certification_body=body, status=status.value, requested_by=engagement.owner)
    asked = _at(today - timedelta(days=REQUESTED_DAYS_AGO))
    quote.requested_at = asked
    if status not in (QuoteStatus.REQUESTED, QuoteStatus.WITHDRAWN):
        quote.received_at = asked + timedelta(days=ANSWERED_AFTER_DAYS)
    if status not in (QuoteStatus.REQUESTED, QuoteStatus.RECEIVED):
        quote.decided_at = asked + timedelta(days=DECIDED_AFTER_DAYS)
    if days is not None:
        rate = body.day_rate or Decimal("300")
        quote.initial_fee = (rate * days).quantize(MILLS)
        quote.surveillance_fee = (rate * days / 3).quantize(MILLS)
        quote.recertification_fee = (rate * days * 2 / 3).quantize(MILLS)
        quote.travel_fee = body.travel_fee if body.travel_charged else Decimal("0")
        quote.initial_audit_days = days
        quote.valid_until = today + timedelta(days=valid_for)
        quote.notes = "Fictional demo quotation."
    return quote


def _selection_quotes(engagement: Engagement, bodies: list[CertificationBody], today: date) -> list[Quote]:
    return [
        _priced(engagement, body, status, days, valid_for, today)
        for body, (status, days, valid_for) in zip(bodies, SELECTION_QUOTES, strict=False)
    ]


def _decided_quotes(engagement: Engagement, bodies: list[CertificationBody], today: date) -> list[Quote]:
    chosen = engagement.certification_body
    other = next((b for b in bodies if b.id != chosen.id), None)
    quotes = [_priced(engagement, chosen, QuoteStatus.ACCEPTED, Decimal("5.0"), 30, today)]
    if other is not None:
        quotes.append(_priced(engagement, other, QuoteStatus.DECLINED, Decimal("4.5"), 30, today))
    return quotes


def load_demo_quotes(today: date | None = None) -> int:
    """Create quotes for demo engagements that have none; return how many were created."""
    today = today or today_in_oman()
    bodies = list(
        db.session.scalars(
            select(CertificationBody).where(CertificationBody.active.is_(True)).order_by(CertificationBody.id)
        )
    )
    with_quotes = set(db.session.scalars(select(Quote.engagement_id).distinct()))
    created = 0
    for engagement in db.session.scalars(select(Engagement).order_by(Engagement.id)):
        if engagement.id in with_quotes or not bodies:
            continue
        if engagement.stage == lifecycle.REGISTRAR_SELECTION:
            quotes = _selection_quotes(engagement, bodies, today)
        elif engagement.stage in DECIDED_STAGES and engagement.certification_body is not None:
            quotes = _decided_quotes(engagement, bodies, today)
        else:
            continue
        db.session.add_all(quotes)
        created += len(quotes)
    db.session.flush()
    logger.info("demo quotes: %s created", created)
    return created
