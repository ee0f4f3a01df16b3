"""Reads of the quotes area: an engagement's quotes, the bodies that may still be asked,
and the quote a body's link opens.

Quotes past their validity are read as expired (`Quote.status_on`) whether or not
`flask reminders run` has stored it yet, so no page has to write to show them right.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import selectinload

from portal.domain import lifecycle
from portal.extensions import db
from portal.models import (
    Accreditation,
    AccreditationBody,
    CertificationBody,
    Engagement,
    Quote,
    QuoteStatus,
    Standard,
)
from portal.quotes.tokens import LinkProblem, read_token


def open_link(token: str, today: date) -> Quote | LinkProblem:
    """The quote a link may still answer on `today`, or why it may not."""
    read = read_token(token)
    if isinstance(read, LinkProblem):
        return read
    quote_id, nonce = read
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.token_nonce != nonce:
        return LinkProblem.INVALID
    if quote.engagement.stage == lifecycle.CLOSED or not quote.certification_body.active:
        return LinkProblem.CLOSED  # whatever the quote's own status: nobody is waiting for it any more
    if quote.status_on(today) == QuoteStatus.EXPIRED:
        return LinkProblem.EXPIRED
    if not quote.is_open:
        return LinkProblem.DECIDED
    return quote


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
                .selectinload(AccreditationBody.mla_signatures)
            )
            .order_by(Quote.requested_at, Quote.id)
        )
    )


def _recognised_accreditation_bodies(family: str) -> list[int]:
    """Ids of the accreditation bodies whose accreditations for a standard of `family` are
    internationally recognised (portal.domain.mla): a short list, decided in Python once."""
    bodies = db.session.scalars(select(AccreditationBody).options(selectinload(AccreditationBody.mla_signatures)))
    return [body.id for body in bodies if body.recognised_for(family)]


def _holds_recognised(standard: Standard, today: date):
    """SQL: the body holds an active accreditation for the standard, valid today (as
    accreditation.is_current), from an accreditation body recognised for that standard."""
    return CertificationBody.accreditations.any(
        and_(
            Accreditation.standard_id == standard.id,
            Accreditation.status == "active",
            Accreditation.valid_from <= today,
            Accreditation.valid_until >= today,
            Accreditation.accreditation_body_id.in_(_recognised_accreditation_bodies(standard.family)),
        )
    )


def requestable_bodies(
    engagement: Engagement, quotes: Sequence[Quote], shortlisted: set[int], today: date
) -> list[CertificationBody]:
    """Active bodies without an open quote that are on the match page's shortlist or hold a current,
    internationally recognised accreditation for every wanted standard; shortlisted ones first
    (the consultant chose those on the match page, which says what each lacks). Filtered in
    SQL, so a directory of thousands of bodies costs one query (and one per standard for the
    short list of recognised accreditation bodies)."""
    open_ids = {q.certification_body_id for q in quotes if q.is_open_on(today)}
    wanted = engagement.standards
    covers_all = and_(*(_holds_recognised(standard, today) for standard in wanted)) if wanted else false()
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
