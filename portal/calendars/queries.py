"""The engagements and open quotes a calendar shows, read in two statements whatever their number."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import OPEN_QUOTE_STATUSES, Engagement, Quote


def engagements_of(owner_id: int | None) -> Sequence[Engagement]:
    """Every engagement owned by `owner_id` (None: the whole firm's), with its client."""
    statement = (
        select(Engagement)
        .options(joinedload(Engagement.client), selectinload(Engagement.standards))
        .order_by(Engagement.id)
    )
    if owner_id is not None:
        statement = statement.where(Engagement.owner_id == owner_id)
    return db.session.scalars(statement).all()


def open_quotes_of(engagement_ids: Sequence[int]) -> Sequence[Quote]:
    """The quotes still waiting for an answer or a decision, with a valid-until date, and their body."""
    if not engagement_ids:
        return []
    return db.session.scalars(
        select(Quote)
        .options(
            joinedload(Quote.certification_body),
            joinedload(Quote.engagement).joinedload(Engagement.client),
            joinedload(Quote.engagement).selectinload(Engagement.standards),
        )
        .where(
            Quote.engagement_id.in_(engagement_ids),
            Quote.status.in_(OPEN_QUOTE_STATUSES),
            Quote.valid_until.is_not(None),
        )
        .order_by(Quote.id)
    ).all()
