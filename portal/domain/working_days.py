"""Oman working time (Sunday to Thursday, Asia/Muscat) and the age labels of the inbox.

A lead that arrives on Thursday afternoon has not been "waiting two days" by
Sunday morning: the weekend (Friday and Saturday) does not count. Working time is
therefore measured in hours that fall on a working day in Muscat, and a working
day is 24 such hours. Pure functions: no Flask, no database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MUSCAT = ZoneInfo("Asia/Muscat")
# datetime.weekday(): Monday is 0 … Sunday is 6. Friday (4) and Saturday (5) are the weekend.
WEEKEND = frozenset({4, 5})
DAY = timedelta(days=1)


def is_working_day(day: date) -> bool:
    """True from Sunday to Thursday."""
    return day.weekday() not in WEEKEND


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    return moment.astimezone(MUSCAT)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=MUSCAT)


def _working_days_from(first: date, stop: date) -> int:
    """The working days from `first` up to, not including, `stop`: five a whole week, then the rest."""
    weeks, rest = divmod(max((stop - first).days, 0), 7)
    return weeks * 5 + sum(is_working_day(first + n * DAY) for n in range(rest))


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """The part of [start, end) that falls on Oman working days; zero if end is not after start.

    The first and the last day count in part, the whole days between by the week, so a lead
    that has waited a year costs no more to measure than one that waited a day.
    """
    start, end = _local(start), _local(end)
    if end <= start:
        return timedelta(0)
    first, last = start.date(), end.date()
    if first == last:
        return end - start if is_working_day(first) else timedelta(0)
    total = _working_days_from(first + DAY, last) * DAY
    if is_working_day(first):
        total += _midnight(first + DAY) - start
    if is_working_day(last):
        total += end - _midnight(last)
    return total


def working_days_between(start: datetime, end: datetime) -> float:
    """Working time between two instants, in working days of 24 hours."""
    return working_time_between(start, end) / DAY


def subtract_working_time(end: datetime, amount: timedelta) -> datetime:
    """The earliest instant whose working time up to `end` is at most `amount` (in UTC).

    Whatever was created before the returned instant has waited longer than
    `amount`, which turns "waiting over two working days" into one indexed
    comparison in SQL.
    """
    if amount < timedelta(0):
        raise ValueError("amount must not be negative")
    local_end = _local(end)
    day = local_end.date()
    available_today = local_end - _midnight(day)
    remaining = amount
    while True:
        available = available_today if is_working_day(day) else timedelta(0)
        if remaining < available:
            return (_midnight(day) + available_today - remaining).astimezone(UTC)
        remaining -= available
        day -= DAY
        available_today = DAY


def age_parts(start: datetime, now: datetime) -> tuple[int, str]:
    """Calendar age as (number, unit) with unit "min", "h" or "d", for a short label like "3 h".

    The unit is returned rather than a sentence so the caller can translate it.
    """
    elapsed = max(now - start, timedelta(0))
    if elapsed < timedelta(hours=1):
        return int(elapsed.total_seconds() // 60), "min"
    if elapsed < DAY:
        return int(elapsed.total_seconds() // 3600), "h"
    return elapsed.days, "d"
