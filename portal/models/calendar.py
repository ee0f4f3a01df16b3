"""Private calendar feeds: a secret link per consultant (and a firm-wide one per admin).

Only the token's SHA-256 is stored, so the table does not hold a working link; issuing a
new one replaces the row's hash, which is how a feed is regenerated or revoked.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User


class FeedScope(enum.StrEnum):
    """own: the audits and deadlines of the user's engagements; firm: everyone's (admins only)."""

    OWN = "own"
    FIRM = "firm"


class CalendarFeed(db.Model):
    """One live calendar link of one user, by its token's hash."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        UniqueConstraint("user_id", "scope"),
        CheckConstraint("scope IN ('own', 'firm')", name="scope_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(10), default=FeedScope.OWN.value)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.user_id} {self.scope}>"
