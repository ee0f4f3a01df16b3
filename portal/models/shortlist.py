"""The certification bodies a consultant shortlisted for an engagement from the match page.

One row per engagement x body (the pair is the key, so a body is never listed twice),
with who added it and when, so the quote requests can start from a reasoned list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.registrar import CertificationBody
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User


class ShortlistEntry(db.Model):
    """A body on an engagement's shortlist."""

    __tablename__ = "engagement_shortlist"

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True)
    certification_body_id: Mapped[int] = mapped_column(
        ForeignKey("certification_bodies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    certification_body: Mapped[CertificationBody] = relationship()
    added_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ShortlistEntry {self.engagement_id}:{self.certification_body_id}>"
