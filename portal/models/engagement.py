"""Clients (organisations a converted lead becomes), their engagements and stage history.

An engagement walks the certification cycle of portal.domain.lifecycle; entering
`certified` fills its schedule (portal.domain.schedule). Every stage change leaves a
StageChange row, so the history is data rather than a reading of the timeline.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.calendar import EngagementDates
from portal.domain.certificate import STORED_STATES, State
from portal.domain.lifecycle import GAP_ANALYSIS, STAGES
from portal.extensions import db
from portal.models.lead import Lead
from portal.models.reference import Standard, StandardEdition
from portal.models.registrar import CertificationBody
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User

# The certification cycle of DESIGN.md, plus on_hold and closed: one list, the domain's.
ENGAGEMENT_STAGES = STAGES

engagement_standards = Table(
    "engagement_standards",
    db.metadata,
    Column("engagement_id", ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True),
    Column("standard_id", ForeignKey("standards.id"), primary_key=True),
)

# The edition of each standard the certificate is to (set when it is issued or renewed).
engagement_editions = Table(
    "engagement_editions",
    db.metadata,
    Column("engagement_id", ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True),
    Column("standard_edition_id", ForeignKey("standard_editions.id"), primary_key=True),
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
        CheckConstraint(
            "certificate_state IN (" + ", ".join(f"'{state}'" for state in STORED_STATES) + ")",
            name="certificate_state_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Unique: a lead converts at most once, whatever races the application loses.
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), unique=True)
    stage: Mapped[str] = mapped_column(String(30), default=GAP_ANALYSIS)
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    stage_before_hold: Mapped[str | None] = mapped_column(String(30))
    closed_reason: Mapped[str] = mapped_column(String(40), default="")
    certification_body_id: Mapped[int | None] = mapped_column(ForeignKey("certification_bodies.id"), index=True)
    # The initial certification audits, once agreed with the body (they go into calendar feeds).
    stage1_audit_on: Mapped[date | None] = mapped_column(Date)
    stage2_audit_on: Mapped[date | None] = mapped_column(Date)
    # The certificate and its three-year cycle (empty until the engagement is first certified).
    certificate_number: Mapped[str] = mapped_column(String(80), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    cycle_start: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date, index=True)
    surveillance_1_due: Mapped[date | None] = mapped_column(Date)
    surveillance_2_due: Mapped[date | None] = mapped_column(Date)
    recertification_due: Mapped[date | None] = mapped_column(Date)
    # The certificate's recorded state (portal.domain.certificate; "expired" is derived on read),
    # since when and why. A restoration after expiry also keeps the days without certification.
    certificate_state: Mapped[str] = mapped_column(String(20), default=State.ACTIVE.value, index=True)
    certificate_state_date: Mapped[date | None] = mapped_column(Date)
    certificate_state_reason: Mapped[str] = mapped_column(Text, default="")
    not_certified_from: Mapped[date | None] = mapped_column(Date)
    not_certified_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When the personal data of a closed engagement was erased (portal/privacy/erasure.py).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    client: Mapped[Client] = relationship()
    owner: Mapped[User | None] = relationship()
    lead: Mapped[Lead | None] = relationship()
    standards: Mapped[list[Standard]] = relationship(secondary=engagement_standards, order_by=Standard.position)
    certified_editions: Mapped[list[StandardEdition]] = relationship(
        secondary=engagement_editions, order_by=StandardEdition.edition
    )
    certification_body: Mapped[CertificationBody | None] = relationship()
    transfer: Mapped[CertificateTransfer | None] = relationship(back_populates="engagement", uselist=False)

    def calendar_dates(self) -> EngagementDates:
        """The dated facts the calendars read (portal.domain.calendar)."""
        return EngagementDates(
            id=self.id,
            stage=self.stage,
            certificate_state=self.certificate_state,
            stage1_audit_on=self.stage1_audit_on,
            stage2_audit_on=self.stage2_audit_on,
            surveillance_1_due=self.surveillance_1_due,
            surveillance_2_due=self.surveillance_2_due,
            recertification_due=self.recertification_due,
            expiry_date=self.expiry_date,
        )

    def __repr__(self) -> str:
        return f"<Engagement {self.id} {self.stage}>"


class StageChange(db.Model):
    """One move of an engagement between stages: who, when, from where to where, and why."""

    __tablename__ = "stage_changes"
    __table_args__ = (Index("ix_stage_changes_engagement_at", "engagement_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    from_stage: Mapped[str] = mapped_column(String(30))
    to_stage: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(40), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    engagement: Mapped[Engagement] = relationship()
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<StageChange {self.engagement_id} {self.from_stage}->{self.to_stage}>"


class CertificateTransfer(db.Model):
    """An engagement that took over a valid accredited certificate from another body (IAF MD 2).

    Records who issued it and the accepting body's pre-transfer review; the engagement keeps
    the certificate's existing cycle and never passes stage 1 or 2.
    """

    __tablename__ = "certificate_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), unique=True)
    issuing_body: Mapped[str] = mapped_column(String(200))
    review_date: Mapped[date] = mapped_column(Date)
    reviewer: Mapped[str] = mapped_column(String(120))
    review_outcome: Mapped[str] = mapped_column(String(30))
    review_notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    engagement: Mapped[Engagement] = relationship(back_populates="transfer")
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CertificateTransfer {self.engagement_id} from {self.issuing_body}>"
