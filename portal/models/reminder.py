"""Reminders already sent, so `flask reminders run` never sends one twice.

The unique key is what a reminder is about: its kind, its subject (an engagement or
a quote) and the due date it warns of. A run inserts the row in the same transaction
as the outbox e-mail; a second run (or a concurrent one) finds the key taken.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class Reminder(db.Model):
    """One reminder e-mail that was queued for a subject's due date."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("kind", "subject_type", "subject_id", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(254), default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Reminder {self.kind} {self.subject_type}:{self.subject_id} {self.due_date}>"
