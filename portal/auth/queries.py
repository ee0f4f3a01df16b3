"""Reads about staff accounts that other areas need."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import User


def assignable_users() -> list[User]:
    """Active staff who may own work (a lead, an engagement), by name."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)))
