"""The registrar directory: certification bodies and their accreditations.

A certificate is only worth the accreditation behind it, so an accreditation names
the accreditation body, the standard and the IAF/EA sectors in scope, with its
validity dates and status. Bodies are never deleted: they are deactivated.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.reference import AccreditationBody, Region, Sector, Standard
from portal.models.types import UTCDateTime, utcnow


class AccreditationStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


ACCREDITATION_STATUSES = tuple(status.value for status in AccreditationStatus)

certification_body_regions = Table(
    "certification_body_regions",
    db.metadata,
    Column("certification_body_id", ForeignKey("certification_bodies.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id"), primary_key=True),
)

accreditation_sectors = Table(
    "accreditation_sectors",
    db.metadata,
    Column("accreditation_id", ForeignKey("accreditations.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id"), primary_key=True),
    # Matching asks which accreditations have one sector in scope (see portal.matching.loader).
    Index("ix_accreditation_sectors_sector_id", "sector_id", "accreditation_id"),
)


class CertificationBodyLanguage(db.Model):
    """A language the body's auditors work in (ISO 639-1 code, e.g. "ar", "en")."""

    __tablename__ = "certification_body_languages"

    certification_body_id: Mapped[int] = mapped_column(
        ForeignKey("certification_bodies.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(10), primary_key=True)


class CertificationBody(db.Model):
    """A registrar the consultancy works with."""

    __tablename__ = "certification_bodies"
    __table_args__ = (
        CheckConstraint("day_rate >= 0", name="day_rate_not_negative"),
        CheckConstraint("travel_fee >= 0", name="travel_fee_not_negative"),
        CheckConstraint("lead_time_days IS NULL OR lead_time_days >= 0", name="lead_time_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    website: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")  # E.164
    country: Mapped[str] = mapped_column(String(80), default="")  # head office
    serves_all_oman: Mapped[bool] = mapped_column(Boolean, default=False)
    day_rate: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("0.000"))  # OMR per auditor-day
    travel_charged: Mapped[bool] = mapped_column(Boolean, default=False)  # outside the regions served
    travel_fee: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("0.000"))  # flat, OMR
    lead_time_days: Mapped[int | None] = mapped_column(Integer)  # order to stage 1
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    regions: Mapped[list[Region]] = relationship(secondary=certification_body_regions, order_by=Region.position)
    language_rows: Mapped[list[CertificationBodyLanguage]] = relationship(
        cascade="all, delete-orphan", order_by=CertificationBodyLanguage.code
    )
    accreditations: Mapped[list[Accreditation]] = relationship(
        back_populates="certification_body", cascade="all, delete-orphan"
    )

    @property
    def languages(self) -> list[str]:
        return [row.code for row in self.language_rows]

    def __repr__(self) -> str:
        return f"<CertificationBody {self.slug}>"


class Accreditation(db.Model):
    """One accreditation of a body: accreditation body x standard, with the sectors in scope."""

    __tablename__ = "accreditations"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'suspended', 'withdrawn')", name="status_known"),
        CheckConstraint("valid_until > valid_from", name="until_after_from"),
        UniqueConstraint("certification_body_id", "number", name="uq_accreditations_body_number"),
        Index("ix_accreditations_standard_status", "standard_id", "status", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    certification_body_id: Mapped[int] = mapped_column(ForeignKey("certification_bodies.id"), index=True)
    accreditation_body_id: Mapped[int] = mapped_column(ForeignKey("accreditation_bodies.id"))
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"))
    number: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=AccreditationStatus.ACTIVE.value)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    certification_body: Mapped[CertificationBody] = relationship(back_populates="accreditations")
    accreditation_body: Mapped[AccreditationBody] = relationship()
    standard: Mapped[Standard] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=accreditation_sectors, order_by=Sector.code)

    def __repr__(self) -> str:
        return f"<Accreditation {self.number}>"
