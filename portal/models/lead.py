"""Enquiries (leads) and the activity timeline written on them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    event,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.lead_status import LeadStatus
from portal.extensions import db
from portal.models.reference import Region, Sector, Standard
from portal.models.tag import Tag, lead_tags
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User

LEAD_STATUSES = tuple(status.value for status in LeadStatus)

lead_standards = Table(
    "lead_standards",
    db.metadata,
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True),
    Column("standard_id", ForeignKey("standards.id"), primary_key=True),
    # The inbox's standard filter finds a standard's leads from this index alone.
    Index("ix_lead_standards_standard_lead", "standard_id", "lead_id"),
)


class Lead(db.Model):
    """One enquiry from a prospective client. Never deleted: spam is a status."""

    __tablename__ = "leads"
    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in LEAD_STATUSES) + ")", name="status_known"),
        CheckConstraint("employees >= 1", name="employees_positive"),
        CheckConstraint("sites >= 1", name="sites_positive"),
        Index("ix_leads_status_created", "status", "created_at"),
        Index("ix_leads_email_normalised", "email_normalised"),
        Index("ix_leads_company_normalised", "company_normalised"),
        Index("ix_leads_phone", "phone"),
        # Inbox sort orders (newest first, by score), read backwards with LIMIT instead of sorting every row.
        # The status rides along so the dashboard chart reads recent non-spam leads from the index alone.
        Index("ix_leads_created_at_id_status", "created_at", "id", "status"),
        Index("ix_leads_score_created_at_id", "score", "created_at", "id"),
        # Location (with a score range) filtered and counted from the index alone.
        Index("ix_leads_region_score", "region_id", "score", "id"),
        Index("ix_leads_sector_id", "sector_id"),
        # "My open leads" on the dashboard and assigned=me in the inbox, answered from the index alone.
        Index("ix_leads_assigned_status", "assigned_to_id", "status"),
        # The dashboard's first-response chart reads the last 30 days' answered leads along this
        # index alone, however many leads are waiting (portal.workspace.queries.response_samples).
        # The dashboard counts the leads of a day up to an instant (the edges of its kept counts,
        # portal.workspace.queries) from this index alone: every column those counts test.
        Index(
            "ix_leads_created_counted", "created_at", "status", "assigned_to_id", "first_response_at", "duplicate_of_id"
        ),
        Index(
            "ix_leads_answered_created",
            "created_at",
            postgresql_where=text("first_response_at IS NOT NULL"),
            sqlite_where=text("first_response_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    # Random token of the rendered form: a second POST of the same form finds this lead.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    contact_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    # company, free or disposable (portal.domain.email_kind): shown as a badge, used by the score.
    email_kind: Mapped[str] = mapped_column(String(20), default="company", server_default="company")
    phone: Mapped[str] = mapped_column(String(20), default="")  # E.164
    company: Mapped[str] = mapped_column(String(200))
    company_normalised: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"))
    # Optional on the enquiry form: None is "not given" (the lead page lists what is missing).
    employees: Mapped[int | None] = mapped_column(Integer)
    sites: Mapped[int | None] = mapped_column(Integer)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    existing_certifications: Mapped[str] = mapped_column(String(300), default="")
    wanted_by: Mapped[date | None] = mapped_column(Date)
    timeline: Mapped[str] = mapped_column(String(40), default="")
    heard_from: Mapped[str] = mapped_column(String(60), default="")
    message: Mapped[str] = mapped_column(Text, default="")

    source: Mapped[str] = mapped_column(String(40), default="form")
    utm: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(10), default="en")
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    readiness: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    estimate: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    status: Mapped[str] = mapped_column(String(20), default=LeadStatus.NEW.value, index=True)
    status_reason: Mapped[str] = mapped_column(String(300), default="")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    score_factors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    # The first call, e-mail or status change by a consultant (portal.leads.services.response),
    # kept on the row so the inbox and the dashboard read a column, not the timeline.
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the person's data was erased (portal/privacy/erasure.py): the row stays, anonymous, for the figures.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    sector: Mapped[Sector | None] = relationship()
    region: Mapped[Region | None] = relationship()
    assigned_to: Mapped[User | None] = relationship()
    standards: Mapped[list[Standard]] = relationship(secondary=lead_standards, order_by=Standard.position)
    duplicate_of: Mapped[Lead | None] = relationship(remote_side=[id])
    tags: Mapped[list[Tag]] = relationship(secondary=lead_tags, order_by=Tag.name)

    def __repr__(self) -> str:
        return f"<Lead {self.reference} {self.status}>"


_SPACE = literal_column("' '")
_leads = Lead.__table__.c
# The inbox's full-text search looks for each word in this one lower-cased text; the reference
# is in it, so "000123" or "2026-000123" finds ENQ-2026-000123 through the same index. (A column
# of the table must come first: the index is attached to the table of the first column found.)
LEAD_SEARCH_TEXT = func.lower(
    _leads.company
    + _SPACE
    + _leads.contact_name
    + _SPACE
    + _leads.email
    + _SPACE
    + _leads.phone
    + _SPACE
    + _leads.message
    + _SPACE
    + func.coalesce(_leads.reference, literal_column("''"), type_=String)
)
# On PostgreSQL a trigram index makes `LIKE '%word%'` on it an index scan (extension pg_trgm,
# trusted since PostgreSQL 13, so the database owner may create it). SQLite scans.
event.listen(
    Lead.__table__, "before_create", DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql")
)
Index(
    "ix_leads_search_trgm",
    LEAD_SEARCH_TEXT.label("search_text"),
    postgresql_using="gin",
    postgresql_ops={"search_text": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")


class Activity(db.Model):
    """A timeline entry: note, call, e-mail, status change, assignment … with author and time."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_lead_created", "lead_id", "created_at"),
        Index("ix_activities_engagement_created", "engagement_id", "created_at"),
        # The dashboard counts this month's conversions.
        Index("ix_activities_kind_created", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagements.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    author: Mapped[User | None] = relationship()
    lead: Mapped[Lead | None] = relationship()


class LeadAttachment(db.Model):
    """A file a consultant attached to a lead (a scope document, an org chart).

    The bytes live in shared storage under `leads/<stored_name>`; `original_name` is what the
    uploader called the file, only ever shown as escaped text, never used to name a download.
    """

    __tablename__ = "lead_attachments"
    __table_args__ = (
        CheckConstraint("size >= 1", name="size_positive"),
        Index("ix_lead_attachments_lead_created", "lead_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    extension: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)

    lead: Mapped[Lead] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<LeadAttachment {self.id} of lead {self.lead_id}>"
