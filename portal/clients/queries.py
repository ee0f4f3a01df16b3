"""Reads of the clients pages: the searchable list with engagement counts, and one client's engagements."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import Client, Engagement
from portal.web.listing import like_pattern, search_terms

PER_PAGE = 25


def client_page(q: str, page: int) -> Pagination:
    """One page of clients whose name holds every search term, by name."""
    stmt = select(Client)
    for term in search_terms(q):
        stmt = stmt.where(func.lower(Client.name).like(like_pattern(term), escape="\\"))
    return db.paginate(stmt.order_by(func.lower(Client.name), Client.id), page=page, per_page=PER_PAGE, error_out=False)


def engagement_counts(clients: list[Client]) -> dict[int, int]:
    """Engagements per client, for the clients of one list page, in one query."""
    ids = [client.id for client in clients]
    return dict(
        db.session.execute(
            select(Engagement.client_id, func.count())
            .where(Engagement.client_id.in_(ids))
            .group_by(Engagement.client_id)
        ).all()
    )


def client_engagements(client: Client) -> list[Engagement]:
    """The client's engagements, newest first, with what their cards show."""
    return list(
        db.session.scalars(
            select(Engagement)
            .where(Engagement.client_id == client.id)
            .options(joinedload(Engagement.owner), joinedload(Engagement.lead), selectinload(Engagement.standards))
            .order_by(Engagement.created_at.desc(), Engagement.id.desc())
        )
    )
