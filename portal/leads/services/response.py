"""Answering in time, the use cases: record a lead's first response, and save the response settings.

The first call, e-mail or status change by a consultant (an entry with an author:
auto-assignment and other system steps have none) is stored on the lead in the same
transaction as that entry, with a guarded UPDATE: the first writer wins, and the lead's
version is left alone, so logging a call does not make a colleague's open form "changed
by someone else". The rules that read it are in portal.leads.response.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal.core import audit
from portal.core.errors import ServiceError
from portal.domain.working_hours import BusinessHours, parse_dates
from portal.extensions import db
from portal.leads.response import (
    BUSINESS_HOURS_KEY,
    HOLIDAYS_ADDED_KEY,
    HOLIDAYS_REMOVED_KEY,
    KEYS,
    MAX_HOLIDAY_DATES,
    MAX_TARGET_HOURS,
    RESPONSE_KINDS,
    TARGET_KEY,
    ResponseSettings,
)
from portal.leads.tallies import day_of, recount
from portal.models import Activity, Lead, Setting, User


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
    answered = db.session.execute(
        update(Lead).where(Lead.id == lead.id, Lead.first_response_at.is_(None)).values(first_response_at=moment)
    ).rowcount
    if answered:  # a bulk UPDATE: the flush listener does not see it
        recount(db.session, [day_of(lead.created_at)])


def recompute_first_response(lead: Lead) -> None:
    """Read the lead's first response again from its timeline, by the same rule (the earliest
    call, e-mail or status change with an author): after a merge its timeline holds the
    duplicate's entries too, and whichever lead was answered first answered the client."""
    first = (
        select(func.min(Activity.created_at))
        .where(Activity.lead_id == lead.id, Activity.author_id.is_not(None), Activity.kind.in_(RESPONSE_KINDS))
        .scalar_subquery()
    )
    db.session.execute(
        update(Lead).where(Lead.id == lead.id).values(first_response_at=first),
        execution_options={"synchronize_session": False},
    )
    db.session.expire(lead, ["first_response_at"])
    recount(db.session, [day_of(lead.created_at)])  # a bulk UPDATE: the flush listener does not see it
