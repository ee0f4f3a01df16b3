"""The audit schedule of a three-year certification cycle (ISO/IEC 17021-1, DOMAIN.md).

Pure date arithmetic: no Flask, no database. Month arithmetic clamps to the end of
the month (31 January + 1 month = 28 or 29 February; 29 February + 12 months =
28 February), which is how certification bodies count "12 months after".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Stages whose outstanding audits follow the schedule, with the audits still to come.
SURVEILLANCE_1 = "surveillance_1"
SURVEILLANCE_2 = "surveillance_2"
RECERTIFICATION = "recertification"
OUTSTANDING_AUDITS: dict[str, tuple[str, ...]] = {
    "certified": (SURVEILLANCE_1, SURVEILLANCE_2, RECERTIFICATION),
    "surveillance_1": (SURVEILLANCE_1, SURVEILLANCE_2, RECERTIFICATION),
    "surveillance_2": (SURVEILLANCE_2, RECERTIFICATION),
    "recertification": (RECERTIFICATION,),
}


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` (may be negative), clamped to the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class ScheduleRules:
    """The figures of the cycle; the recertification lead times are practice, so settings."""

    cycle_years: int = 3
    surveillance_1_months: int = 12
    surveillance_2_months: int = 24
    recertification_start_months: int = 6  # start the work this long before expiry
    recertification_audit_months: int = 3  # plan the audit this long before expiry


@dataclass(frozen=True)
class Schedule:
    """One cycle's dates: when it started, when the certificate expires, when audits are due."""

    cycle_start: date
    expiry: date
    surveillance_1_due: date
    surveillance_2_due: date
    recertification_start: date
    recertification_due: date

    def due_date(self, audit: str) -> date:
        return {
            SURVEILLANCE_1: self.surveillance_1_due,
            SURVEILLANCE_2: self.surveillance_2_due,
            RECERTIFICATION: self.recertification_due,
        }[audit]


def cycle_from(cycle_start: date, rules: ScheduleRules = ScheduleRules()) -> Schedule:
    """The schedule of a cycle starting on `cycle_start` (expiry: + 3 years − 1 day)."""
    expiry = add_months(cycle_start, 12 * rules.cycle_years) - timedelta(days=1)
    return Schedule(
        cycle_start=cycle_start,
        expiry=expiry,
        surveillance_1_due=add_months(cycle_start, rules.surveillance_1_months),
        surveillance_2_due=add_months(cycle_start, rules.surveillance_2_months),
        recertification_start=add_months(expiry, -rules.recertification_start_months),
        recertification_due=add_months(expiry, -rules.recertification_audit_months),
    )


def initial_schedule(decision_date: date, rules: ScheduleRules = ScheduleRules()) -> Schedule:
    """The first cycle: it starts on the certification decision."""
    return cycle_from(decision_date, rules)


# ISO/IEC 17021-1:2015 9.6.3.2.5: after expiry a certification body can restore certification
# within six months, provided the outstanding recertification activities are completed;
# otherwise at least a stage 2 is conducted and a new cycle starts.
RESTORATION_MONTHS = 6


class RenewalKind(StrEnum):
    """How a recertification decision relates to the expiry of the certificate it renews."""

    CONTINUED = "continued"  # decided on or before expiry: no gap
    RESTORED = "restored"  # decided within six months after expiry: prior cycle kept, gap not certified
    NEW_CYCLE = "new_cycle"  # later (or no known expiry): a new cycle from the decision


@dataclass(frozen=True)
class Renewal:
    """The cycle a recertification decision opens, and the days without certification before it.

    `not_certified_from`..`not_certified_until` (both inclusive) is the gap between the old
    expiry and the decision; None when there is no such day.
    """

    kind: RenewalKind
    schedule: Schedule
    not_certified_from: date | None = None
    not_certified_until: date | None = None


def _continued_cycle(previous_expiry: date, rules: ScheduleRules) -> Schedule:
    """The cycle that follows the old one without a break: it starts the day after the old expiry."""
    schedule = cycle_from(previous_expiry + timedelta(days=1), rules)
    # Old expiry + 3 years, clamped; equal to cycle_from's expiry except where 29 February is involved.
    expiry = add_months(previous_expiry, 12 * rules.cycle_years)
    return Schedule(
        cycle_start=schedule.cycle_start,
        expiry=expiry,
        surveillance_1_due=schedule.surveillance_1_due,
        surveillance_2_due=schedule.surveillance_2_due,
        recertification_start=add_months(expiry, -rules.recertification_start_months),
        recertification_due=add_months(expiry, -rules.recertification_audit_months),
    )


def restoration_deadline(previous_expiry: date) -> date:
    """The last day a recertification decision still restores the certificate (17021-1 9.6.3.2.5)."""
    return add_months(previous_expiry, RESTORATION_MONTHS)


def renewal(decision_date: date, previous_expiry: date | None, rules: ScheduleRules = ScheduleRules()) -> Renewal:
    """The next cycle after a recertification decision.

    - Decided on or before the old expiry: the new cycle continues the old one (new expiry =
      old expiry + 3 years), as 17021-1 9.6.3.2 allows.
    - Decided within six months after expiry: the certificate is restored and its expiry is
      based on the prior cycle (17021-1 9.6.3.2.5), so the same dates as an on-time renewal;
      the days between the old expiry and the decision were without certification.
    - Decided later, or with no previous expiry known: at least a stage 2 was needed, and a
      new cycle starts from the decision.
    """
    if previous_expiry is None:
        return Renewal(RenewalKind.NEW_CYCLE, cycle_from(decision_date, rules))
    if decision_date <= previous_expiry:
        return Renewal(RenewalKind.CONTINUED, _continued_cycle(previous_expiry, rules))
    gap_from = previous_expiry + timedelta(days=1)
    gap_until = decision_date - timedelta(days=1)
    gap = (gap_from, gap_until) if gap_from <= gap_until else (None, None)
    if decision_date <= restoration_deadline(previous_expiry):
        return Renewal(RenewalKind.RESTORED, _continued_cycle(previous_expiry, rules), *gap)
    return Renewal(RenewalKind.NEW_CYCLE, cycle_from(decision_date, rules), *gap)


def outstanding_audits(stage: str, schedule: Schedule | None) -> list[tuple[str, date]]:
    """The audits still to come in this stage, with their due dates, soonest first."""
    if schedule is None:
        return []
    return [(audit, schedule.due_date(audit)) for audit in OUTSTANDING_AUDITS.get(stage, ())]


def next_due(stage: str, schedule: Schedule | None) -> tuple[str, date] | None:
    """The next audit due in this stage, if the stage follows the schedule."""
    audits = outstanding_audits(stage, schedule)
    return audits[0] if audits else None


class ScheduleError(Exception):
    """A hand-adjusted schedule that makes no sense; `field` names the date at fault."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def check_adjusted(schedule: Schedule) -> None:
    """Refuse an adjusted schedule whose dates are out of order (raises ScheduleError)."""
    if schedule.surveillance_1_due <= schedule.cycle_start:
        raise ScheduleError("surveillance_1_due")
    if schedule.surveillance_2_due <= schedule.surveillance_1_due:
        raise ScheduleError("surveillance_2_due")
    if schedule.recertification_due <= schedule.surveillance_2_due:
        raise ScheduleError("recertification_due")
    if schedule.expiry < schedule.recertification_due:
        raise ScheduleError("expiry")
