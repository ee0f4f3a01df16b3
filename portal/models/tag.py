"""Tags on leads (kept by admins) and the inbox's saved views (kept by each consultant)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.tag_palette import DEFAULT_COLOUR
from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User

lead_tags = Table(
    "lead_tags",
    db.metadata,
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # The inbox's tag filter finds a tag's leads from this index alone.
    Index("ix_lead_tags_tag_lead", "tag_id", "lead_id"),
)


class Tag(db.Model):
    """A label consultants put on leads; its colour is a key of portal.domain.tag_palette."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    colour: Mapped[str] = mapped_column(String(20), default=DEFAULT_COLOUR)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class SavedView(db.Model):
    """Inbox filters and sort saved under a name: the owner's own, or shared with the whole team.

    `query` is the query string as LeadFilter normalises it (no page), so equal filters give equal
    strings and the inbox can tell which tab is open.
    """

    __tablename__ = "saved_views"
    __table_args__ = (Index("ix_saved_views_owner", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    query: Mapped[str] = mapped_column(String(1000), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])

    def __repr__(self) -> str:
        return f"<SavedView {self.name}>"
