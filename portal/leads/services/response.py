"""Answering in time: the first response to a lead, its target in Oman working hours, and the settings.

A lead's first response is the first call, e-mail or status change by a consultant (an
entry with an author: auto-assignment and other system steps have none). It is stored
on the lead, in the same transaction as that entry, with a guarded UPDATE: the first
writer wins, and the lead's version is left alone, so logging a call does not make a
colleague's open form "changed by someone else".

The target (admin setting, default 4 working hours) is counted with the business hours
and holidays of portal.domain.working_hours. A lead still waiting for its first answer
is "due soon" once it has used DUE_SOON_SHARE of the target (its owner is reminded then,
portal.leads.reminders) and "overdue" past it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.core import audit
from portal.core.errors import ServiceError
from portal.domain import lead_status
from portal.domain.working_hours import BusinessHours, HolidayCalendar, WorkingHours, parse_business_hours, parse_dates
from portal.extensions import db
from portal.models import Lead, Setting, User

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


@dataclass(frozen=True)
class ResponseSettingsInput:
    """The settings form's values, unchecked."""

    opens: time | None
    closes: time | None
    target_hours: int
    holidays_added: str
    holidays_removed: str


def _dates(text: str, field_name: str) -> frozenset[date]:
    try:
        days = parse_dates(text)
    except ValueError as error:
        raise ServiceError(
            _("%(value)s is not a date written YYYY-MM-DD.", value=str(error)), field=field_name
        ) from None
    if len(days) > MAX_HOLIDAY_DATES:
        raise ServiceError(_("Give at most %(n)s dates.", n=MAX_HOLIDAY_DATES), field=field_name)
    return days


def save_response_settings(data: ResponseSettingsInput, actor: User | None = None) -> ResponseSettings:
    """Check and store the admin's choice with its audit row (the caller commits)."""
    if data.opens is None or data.closes is None or data.closes <= data.opens:
        raise ServiceError(_("The office must close after it opens."), field="closes")
    if not 1 <= data.target_hours <= MAX_TARGET_HOURS:
        raise ServiceError(
            _("Give a target between 1 and %(n)s working hours.", n=MAX_TARGET_HOURS), field="target_hours"
        )
    settings = ResponseSettings(
        hours=BusinessHours(data.opens, data.closes),
        target_hours=data.target_hours,
        holidays_added=_dates(data.holidays_added, "holidays_added"),
        holidays_removed=_dates(data.holidays_removed, "holidays_removed"),
    )
    values = {
        BUSINESS_HOURS_KEY: f"{settings.hours.opens:%H:%M}-{settings.hours.closes:%H:%M}",
        TARGET_KEY: str(settings.target_hours),
        HOLIDAYS_ADDED_KEY: " ".join(sorted(day.isoformat() for day in settings.holidays_added)),
        HOLIDAYS_REMOVED_KEY: " ".join(sorted(day.isoformat() for day in settings.holidays_removed)),
    }
    stored = {setting.key: setting for setting in db.session.scalars(select(Setting).where(Setting.key.in_(KEYS)))}
    for key, value in values.items():
        if key in stored:
            stored[key].value = value
        else:
            db.session.add(Setting(key=key, value=value))
    audit.record("settings.response_target", actor, details=values)
    db.session.flush()
    return settings


def note_first_response(lead: Lead, kind: str, actor: User | None, moment: datetime) -> None:
    """Store `moment` as the lead's first response when this entry is one and none came before."""
    if actor is None or kind not in RESPONSE_KINDS or lead.first_response_at is not None or lead.id is None:
        return
    db.session.execute(
        update(Lead).where(Lead.id == lead.id, Lead.first_response_at.is_(None)).values(first_response_at=moment)
    )


def awaiting_response():
    """SQL condition: a lead nobody has answered yet (new, not merged, no first response)."""
    return (Lead.status == lead_status.NEW) & Lead.first_response_at.is_(None) & Lead.duplicate_of_id.is_(None)


class ResponseState(enum.StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Deadlines:
    """For a lead still awaiting its first answer at one moment: arrived before `overdue_before`
    means past the target, before `due_soon_before` close to it. Computed once per page."""

    overdue_before: datetime
    due_soon_before: datetime

    def state(self, lead: Lead) -> ResponseState | None:
        waiting = lead.status == lead_status.NEW and lead.first_response_at is None and lead.duplicate_of_id is None
        if not waiting or lead.created_at >= self.due_soon_before:
            return None
        return ResponseState.OVERDUE if lead.created_at < self.overdue_before else ResponseState.DUE_SOON


def deadlines(settings: ResponseSettings, now: datetime) -> Deadlines:
    office = settings.working_hours()
    return Deadlines(
        overdue_before=office.subtract(now, settings.target),
        due_soon_before=office.subtract(now, settings.target * DUE_SOON_SHARE),
    )
