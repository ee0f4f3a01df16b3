"""Reads of the reference data every area needs, written once."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from portal.extensions import db
from portal.models import Standard


def active_standards(slugs: Iterable[str] | None = None) -> list[Standard]:
    """The standards the portal offers, in display order; only those `slugs` when given.

    Withdrawn standards stay in the table for old records but are never offered again.
    """
    stmt = select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)
    if slugs is not None:
        stmt = stmt.where(Standard.slug.in_(list(slugs)))
    return list(db.session.scalars(stmt))
