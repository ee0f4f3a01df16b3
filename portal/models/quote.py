"""Quotes: what a certification body asks to certify one engagement.

A quote is requested by a consultant, answered by the body through a signed link
(or typed in by hand), compared, and one of them is accepted. A partial unique index
backs the rule that matters most: at most one accepted quote per engagement, whatever
races the application loses.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.quote_costs import figures_fingerprint
from portal.extensions import db
from portal.models.engagement import Engagement
from portal.models.registrar import CertificationBody
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User


class QuoteStatus(enum.StrEnum):
    """requested -> received -> accepted | declined | expired | withdrawn."""

    REQUESTED = "requested"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


QUOTE_STATUSES = tuple(status.value for status in QuoteStatus)
OPEN_QUOTE_STATUSES = (QuoteStatus.REQUESTED.value, QuoteStatus.RECEIVED.value)


def new_token_nonce() -> str:
    """A per-quote secret mixed into its link, so one quote's link never opens another."""
    return secrets.token_hex(16)


class Quote(db.Model):
    """One certification body's price for one engagement's certification cycle."""

    __tablename__ = "quotes"
    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in QUOTE_STATUSES) + ")", name="status_known"),
        CheckConstraint(
            "initial_fee >= 0 AND surveillance_fee >= 0 AND recertification_fee >= 0 AND travel_fee >= 0",
            name="fees_not_negative",
        ),
        CheckConstraint("initial_audit_days IS NULL OR initial_audit_days > 0", name="days_positive"),
        Index(
            "uq_quotes_one_accepted_per_engagement",
            "engagement_id",
            unique=True,
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
        Index("ix_quotes_engagement_status", "engagement_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    certification_body_id: Mapped[int] = mapped_column(ForeignKey("certification_bodies.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=QuoteStatus.REQUESTED.value)
    token_nonce: Mapped[str] = mapped_column(String(32), default=new_token_nonce)

    initial_fee: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("0.000"))  # stage 1 + stage 2
    surveillance_fee: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("0.000"))  # each
    recertification_fee: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("0.000"))
    travel_fee: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("0.000"))  # over the cycle
    initial_audit_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # auditor-days, stage 1 + 2
    valid_until: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="OMR")
    notes: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str | None] = mapped_column(String(80))  # random name under instance/uploads/quotes
    original_name: Mapped[str] = mapped_column(String(200), default="")

    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    engagement: Mapped[Engagement] = relationship()
    certification_body: Mapped[CertificationBody] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        """Still waiting for an answer or a decision."""
        return self.status in OPEN_QUOTE_STATUSES

    @property
    def fingerprint(self) -> str:
        """The digest of the figures as they stand (the accept form carries the one the consultant saw)."""
        fees = (self.initial_fee, self.surveillance_fee, self.recertification_fee, self.travel_fee)
        return figures_fingerprint(fees, self.initial_audit_days, self.valid_until, self.notes, self.file_name)

    def status_on(self, today: date) -> str:
        """The status as of `today` (Oman): an open quote past its valid-until date reads expired,
        whether or not `flask reminders run` has stored that yet."""
        if self.is_open and self.valid_until is not None and self.valid_until < today:
            return QuoteStatus.EXPIRED.value
        return self.status

    def is_open_on(self, today: date) -> bool:
        """Still open on `today`: waiting for an answer or a decision, and not past its validity."""
        return self.status_on(today) in OPEN_QUOTE_STATUSES

    def __repr__(self) -> str:
        return f"<Quote {self.id} {self.status}>"
