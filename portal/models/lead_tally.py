"""Lead counts kept as leads arrive and change, so the dashboard never counts the leads table.

One row per Muscat day and combination of what the dashboard asks about; kept exact by
portal.leads.tallies, which recounts a day from the leads in the same transaction as any
change to one of that day's leads (and `flask tallies rebuild` recounts every day).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class LeadTally(db.Model):
    """Leads created on `day` (Muscat) by status, owner (0: nobody), answered (a first response is
    recorded) and merged (it points to another lead)."""

    __tablename__ = "lead_tallies"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no foreign key: 0 is "unassigned"
    answered: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    merged: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    leads: Mapped[int] = mapped_column(Integer)


class LeadStandardTally(db.Model):
    """Non-spam leads created on `day` (Muscat) asking for a standard: the dashboard's weekly chart."""

    __tablename__ = "lead_standard_tallies"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    standard_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leads: Mapped[int] = mapped_column(Integer)
