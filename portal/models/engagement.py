"""Clients (organisations a converted lead becomes) and their engagements.

Kept minimal for lead conversion; the engagement board and stage machine extend it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.lead import Lead
from portal.models.reference import Standard
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User

# The certification cycle of DESIGN.md, plus on_hold and closed.
ENGAGEMENT_STAGES = (
    "gap_analysis",
    "implementation",
    "internal_audit",
    "registrar_selection",
    "stage1_audit",
    "stage2_audit",
    "certified",
    "surveillance_1",
    "surveillance_2",
    "recertification",
    "on_hold",
    "closed",
)

engagement_standards = Table(
    "engagement_standards",
    db.metadata,
    Column("engagement_id", ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True),
    Column("standard_id", ForeignKey("standards.id"), primary_key=True),
)


class Client(db.Model):
    """An organisation the consultancy works for. One row per normalised company name."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_normalised: Mapped[str] = mapped_column(String(200), unique=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")  # E.164
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Client {self.id} {self.name}>"


class Engagement(db.Model):
    """The consultancy's work with a client towards certification to some standards."""

    __tablename__ = "engagements"
    __table_args__ = (
        CheckConstraint(
            "stage IN (" + ", ".join(f"'{stage}'" for stage in ENGAGEMENT_STAGES) + ")", name="stage_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Unique: a lead converts at most once, whatever races the application loses.
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), unique=True)
    stage: Mapped[str] = mapped_column(String(30), default="gap_analysis")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    client: Mapped[Client] = relationship()
    owner: Mapped[User | None] = relationship()
    lead: Mapped[Lead | None] = relationship()
    standards: Mapped[list[Standard]] = relationship(secondary=engagement_standards, order_by=Standard.position)

    def __repr__(self) -> str:
        return f"<Engagement {self.id} {self.stage}>"
