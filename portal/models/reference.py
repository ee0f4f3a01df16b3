"""Reference data: standards, IAF/EA sectors, Oman's regions, accreditation bodies.

Loaded from the files in portal/data/ by `flask seed reference`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain import mla
from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class Standard(db.Model):
    """A certifiable management-system standard, e.g. ISO 9001:2015."""

    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(String(40))
    # Which IAF MD 5 table applies ("qms", "ems", "ohs"), or None when the portal has none.
    md5_table: Mapped[str | None] = mapped_column(String(10))
    # How accreditation scopes are written for it: "iaf" sectors, "food_chain", "technical_area".
    scope_scheme: Mapped[str] = mapped_column(String(20), default="iaf")
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    # Its editions (portal.core.reference.current_edition picks the one in force).
    editions: Mapped[list[StandardEdition]] = relationship(
        back_populates="standard", cascade="all, delete-orphan", order_by="StandardEdition.edition"
    )

    def __repr__(self) -> str:
        return f"<Standard {self.code}>"


class StandardEdition(db.Model):
    """One published edition of a standard, and when certificates to the edition before it end.

    Editions and IAF transition deadlines change after the code is written (a revision is
    published, IAF sets the transition), so an admin keeps them, each with where it was read.
    """

    __tablename__ = "standard_editions"
    __table_args__ = (UniqueConstraint("standard_id", "edition", name="uq_standard_editions_standard_edition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"))
    edition: Mapped[str] = mapped_column(String(60))  # as written on certificates, e.g. "ISO/IEC 27001:2022"
    published_on: Mapped[date | None] = mapped_column(Date)  # None: only the month or year is sourced
    # Last day certificates to the previous edition are valid (IAF transition), when one is set.
    previous_edition_ends_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(500))  # where it was read (a URL or a document)
    recorded_on: Mapped[date] = mapped_column(Date)  # the day it was checked there

    standard: Mapped[Standard] = relationship(back_populates="editions")


class Sector(db.Model):
    """An IAF/EA sector (codes 1-39) as used in accreditation scopes."""

    __tablename__ = "sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Region(db.Model):
    """An Oman governorate or a main city/location within one."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # "governorate" or "city"
    governorate_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    is_capital: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    governorate: Mapped[Region | None] = relationship(remote_side=[id])


class AccreditationBody(db.Model):
    """A national accreditation body, with its IAF MLA status for management systems."""

    __tablename__ = "accreditation_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(80))
    website: Mapped[str] = mapped_column(String(200), default="")
    iaf_mla_signatory: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    # The MLA scopes it signed (portal.domain.mla.SCOPES); none recorded: the flag above decides.
    mla_signatures: Mapped[list[MlaSignature]] = relationship(
        back_populates="accreditation_body", cascade="all, delete-orphan", order_by="MlaSignature.scope"
    )

    @property
    def mla_scopes(self) -> frozenset[str]:
        return frozenset(signature.scope for signature in self.mla_signatures)

    def recognised_for(self, family: str) -> bool:
        """Whether its accreditations for a standard of `family` are recognised (portal.domain.mla);
        eager-load `mla_signatures` where many bodies are asked."""
        return mla.body_recognised(family, self.iaf_mla_signatory, self.mla_scopes)


class MlaSignature(db.Model):
    """One MLA scope an accreditation body signed (main scope "MS" or a sub-scope such as "ISMS").

    Recognitions change (scopes are added, suspended), so each row says where it was
    read and when the recognition dates from; an admin keeps them current.
    """

    __tablename__ = "mla_signatures"
    __table_args__ = (UniqueConstraint("accreditation_body_id", "scope", name="uq_mla_signatures_body_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    accreditation_body_id: Mapped[int] = mapped_column(ForeignKey("accreditation_bodies.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(10))
    recognised_on: Mapped[date | None] = mapped_column(Date)  # the recognition date as published, when known
    source: Mapped[str] = mapped_column(String(300))  # where it was read (a URL or a document)

    accreditation_body: Mapped[AccreditationBody] = relationship(back_populates="mla_signatures")
