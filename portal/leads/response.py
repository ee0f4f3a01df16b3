"""Answering in time, the read side: the response settings, and which leads are close to or past the target.

A lead's first response (`Lead.first_response_at`, written by portal.leads.services.response)
is the first call, e-mail or status change by a consultant. The target (admin setting,
default 4 working hours) is counted with the business hours and holidays of
portal.domain.working_hours. A lead still waiting for its first answer is "due soon"
once it has used DUE_SOON_SHARE of the target (its owner is reminded then,
portal.leads.reminders) and "overdue" past it. The inbox, the dashboard and the
reminders all read these rules from here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, select

from portal.domain import lead_status
from portal.domain.working_hours import BusinessHours, HolidayCalendar, WorkingHours, parse_business_hours, parse_dates
from portal.extensions import db
from portal.models import Lead, Setting

BUSINESS_HOURS_KEY = "leads.business_hours"
TARGET_KEY = "leads.response_target_hours"
HOLIDAYS_ADDED_KEY = "leads.holidays_added"
HOLIDAYS_REMOVED_KEY = "leads.holidays_removed"
KEYS = (BUSINESS_HOURS_KEY, TARGET_KEY, HOLIDAYS_ADDED_KEY, HOLIDAYS_REMOVED_KEY)

DEFAULT_TARGET_HOURS = 4
MAX_TARGET_HOURS = 40
MAX_HOLIDAY_DATES = 40  # each list is kept in one 500-character setting
DUE_SOON_SHARE = 0.75
# Timeline entries that answer the client; notes, assignments and merges do not.
RESPONSE_KINDS = frozenset({"call", "email", "status_change"})


@dataclass(frozen=True)
class ResponseSettings:
    """What the admin chose: business hours, the target in working hours, holiday corrections."""

    hours: BusinessHours = field(default_factory=BusinessHours)
    target_hours: int = DEFAULT_TARGET_HOURS
    holidays_added: frozenset[date] = frozenset()
    holidays_removed: frozenset[date] = frozenset()

    @property
    def target(self) -> timedelta:
        return timedelta(hours=self.target_hours)

    def working_hours(self) -> WorkingHours:
        return WorkingHours(self.hours, HolidayCalendar(self.holidays_added, self.holidays_removed))


def _parsed(raw: dict[str, str], key: str, parse, default):
    """A stored value read by `parse`; the default when missing or unreadable (never a 500)."""
    try:
        return parse(raw[key]) if key in raw else default
    except ValueError:
        return default


def load_response_settings() -> ResponseSettings:
    """The settings in one query, defaults for what was never saved."""
    rows = db.session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(KEYS)))
    raw = {key: value for key, value in rows}
    defaults = ResponseSettings()
    return ResponseSettings(
        hours=_parsed(raw, BUSINESS_HOURS_KEY, parse_business_hours, defaults.hours),
        target_hours=_parsed(raw, TARGET_KEY, int, defaults.target_hours),
        holidays_added=_parsed(raw, HOLIDAYS_ADDED_KEY, parse_dates, frozenset()),
        holidays_removed=_parsed(raw, HOLIDAYS_REMOVED_KEY, parse_dates, frozenset()),
    )


def awaiting_response() -> ColumnElement[bool]:
    """SQL condition: a lead nobody has answered yet (new, not merged, no first response)."""
    return (Lead.status == lead_status.NEW) & Lead.first_response_at.is_(None) & Lead.duplicate_of_id.is_(None)


def is_awaiting(lead: Lead) -> bool:
    """The row form of `awaiting_response`: new, not merged, nobody has answered it yet."""
    return lead.status == lead_status.NEW and lead.first_response_at is None and lead.duplicate_of_id is None


class ResponseState(enum.StrEnum):
    """Where an unanswered lead stands against the target (the inbox badge's class and wording)."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Deadlines:
    """For a lead still awaiting its first answer at one moment: arrived before `overdue_before`
    means past the target, before `due_soon_before` close to it. Computed once per page."""

    overdue_before: datetime
    due_soon_before: datetime

    def state(self, lead: Lead) -> ResponseState | None:
        if not is_awaiting(lead) or lead.created_at >= self.due_soon_before:
            return None
        return ResponseState.OVERDUE if lead.created_at < self.overdue_before else ResponseState.DUE_SOON


def deadlines(settings: ResponseSettings, now: datetime) -> Deadlines:
    """The two cutoffs at `now`, so pages and counts compare `created_at` instead of counting hours per lead."""
    office = settings.working_hours()
    return Deadlines(
        overdue_before=office.subtract(now, settings.target),
        due_soon_before=office.subtract(now, settings.target * DUE_SOON_SHARE),
    )


def upcoming_holidays(settings: ResponseSettings, today: date, days: int = 366) -> list[date]:
    """The holidays (library and admin's, less the removed) from `today` on, for the settings page."""
    calendar = settings.working_hours().holidays
    return [today + timedelta(n) for n in range(days) if today + timedelta(n) in calendar]
