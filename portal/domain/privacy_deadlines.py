"""The clocks the personal-data law runs: a breach must be notified within a number of hours
of its discovery, a person's request answered within a number of days of its receipt.
The figures are settings (BREACH_NOTIFICATION_HOURS, PRIVACY_REQUEST_DEADLINE_DAYS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class ClockState(StrEnum):
    RUNNING = "running"  # not notified, deadline ahead
    OVERDUE = "overdue"  # not notified, deadline passed
    ON_TIME = "on_time"  # notified before the deadline
    LATE = "late"  # notified, but after the deadline


@dataclass(frozen=True)
class BreachClock:
    deadline: datetime
    elapsed: timedelta  # since discovery, up to the notification (or now)
    remaining: timedelta  # to the deadline from now; negative once passed
    state: ClockState

    @property
    def is_overdue(self) -> bool:
        return self.state is ClockState.OVERDUE


def breach_clock(discovered_at: datetime, notified_at: datetime | None, now: datetime, hours: int) -> BreachClock:
    """Where the authority's notification stands against its deadline (`hours` after discovery).

    Once notified the clock stops at the notification; until then it runs with `now`."""
    deadline = discovered_at + timedelta(hours=hours)
    end = notified_at or now
    if notified_at is not None:
        state = ClockState.ON_TIME if notified_at <= deadline else ClockState.LATE
    else:
        state = ClockState.OVERDUE if now > deadline else ClockState.RUNNING
    return BreachClock(
        deadline=deadline, elapsed=max(end - discovered_at, timedelta(0)), remaining=deadline - now, state=state
    )


def whole_hours(span: timedelta) -> int:
    """A span in whole hours, rounded towards zero (a clock shows 71 h until 72 h have passed)."""
    return int(span.total_seconds() // 3600) if span >= timedelta(0) else -int(-span.total_seconds() // 3600)


def request_due_on(received_on: date, days: int) -> date:
    """The last day to answer a request received on `received_on` (calendar days, the day of receipt not counted)."""
    return received_on + timedelta(days=days)


def days_left(due_on: date, today: date) -> int:
    """Days until the due date: 0 on the day itself, negative once it has passed."""
    return (due_on - today).days
