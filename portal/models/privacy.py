"""Personal-data records the law asks the firm to keep: privacy-notice versions and the
consents given against them, the breach register, and the requests people make about
their data (Royal Decree 6/2022 and its executive regulation, Ministerial Decision 34/2024)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.extensions import db
from portal.models.lead import Lead
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User

CONSENT_PURPOSES = ("enquiry", "marketing")
REQUEST_KINDS = ("access", "correction", "erasure")
REQUEST_STATUSES = ("open", "in_progress", "done", "refused")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class PrivacyNotice(db.Model):
    """One published version of the privacy notice, in both languages. Never edited: a changed
    text is a new row with the next number, so a consent always points at what was shown."""

    __tablename__ = "privacy_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    body_en: Mapped[str] = mapped_column(Text)
    body_ar: Mapped[str] = mapped_column(Text)
    # SHA-256 of both texts: publishing the same words again is not a new version.
    content_hash: Mapped[str] = mapped_column(String(64))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    published_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PrivacyNotice v{self.number}>"


class ConsentRecord(db.Model):
    """What a person agreed to, when, in which language and from where: one row per purpose
    (the enquiry itself; marketing e-mails, given or refused, recorded on its own)."""

    __tablename__ = "consent_records"
    __table_args__ = (
        CheckConstraint(_in("purpose", CONSENT_PURPOSES), name="purpose_known"),
        Index("ix_consent_records_lead", "lead_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    notice_id: Mapped[int] = mapped_column(ForeignKey("privacy_notices.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    language: Mapped[str] = mapped_column(String(10))
    page: Mapped[str] = mapped_column(String(20))  # "form" (the website) or "api"
    path: Mapped[str] = mapped_column(String(300), default="")

    notice: Mapped[PrivacyNotice] = relationship(lazy="joined")
    lead: Mapped[Lead] = relationship(
        backref=backref("consent_records", order_by="ConsentRecord.id", cascade="all, delete-orphan")
    )


class PersonalDataBreach(db.Model):
    """An entry of the breach register (executive regulation, art. 28): what happened, whom it
    touches, what was done, and when the authority and the people were told."""

    __tablename__ = "personal_data_breaches"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    discovered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data_categories: Mapped[str] = mapped_column(String(500), default="")
    people_categories: Mapped[str] = mapped_column(String(500), default="")
    people_affected: Mapped[int | None] = mapped_column(Integer)
    measures: Mapped[str] = mapped_column(Text, default="")
    authority_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    people_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PersonalDataBreach {self.id}>"


class PrivacyRequest(db.Model):
    """A person's request about their data, sent from the privacy page: a task with a deadline."""

    __tablename__ = "privacy_requests"
    __table_args__ = (
        CheckConstraint(_in("kind", REQUEST_KINDS), name="kind_known"),
        CheckConstraint(_in("status", REQUEST_STATUSES), name="status_known"),
        Index("ix_privacy_requests_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    # Random token of the rendered form: a second POST of the same form finds this request.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20), default="")  # E.164
    kind: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    spam_reason: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    notes: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<PrivacyRequest {self.reference} {self.status}>"
