"""Oman working hours: how long a lead waited for its first answer, counted as a client would.

A lead that arrives on Thursday at 15:00 and is called on Sunday at 09:00 was answered
within two working hours (with business hours 08:00-16:00), not 66 clock hours. Working
hours are the business hours of Oman working days (Sunday to Thursday, the week of
portal.domain.working_days) that are not public holidays. Oman's public holidays come
from the `holidays` library; its Islamic dates follow the Hijri calendar and are
estimates that Oman confirms by moon sighting, so an admin can add and remove days.
Pure functions: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from portal.domain.working_days import MUSCAT, is_working_day

DAY = timedelta(days=1)
# Walking day by day never needs more than this; a calendar with no working day at all
# (every day a holiday) would otherwise loop for ever.
MAX_DAYS = 3660


@lru_cache(maxsize=128)
def oman_public_holidays(year: int) -> frozenset[date]:
    """Oman's public holidays in `year` as the `holidays` library estimates them."""
    return frozenset(holidays.country_holidays("OM", years=year))


@dataclass(frozen=True)
class HolidayCalendar:
    """The library's Oman holidays, with the days an admin added (announced) or removed (moved)."""

    added: frozenset[date] = frozenset()
    removed: frozenset[date] = frozenset()

    def __contains__(self, day: date) -> bool:
        if day in self.added:
            return True
        return day not in self.removed and day in oman_public_holidays(day.year)


@dataclass(frozen=True)
class BusinessHours:
    """The office's opening hours in Muscat, the same every working day."""

    opens: time = time(8, 0)
    closes: time = time(16, 0)

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError("business hours must close after they open")

    @property
    def length(self) -> timedelta:
        return datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)


def parse_business_hours(text: str) -> BusinessHours:
    """Read "08:00-16:00"; ValueError when it is not two times with the second later."""
    opens, _, closes = text.strip().partition("-")
    return BusinessHours(time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip()))


def parse_dates(text: str) -> frozenset[date]:
    """Dates written YYYY-MM-DD, separated by spaces, commas or new lines; ValueError names the first bad one."""
    days = set()
    for word in text.replace(",", " ").split():
        try:
            days.add(date.fromisoformat(word))
        except ValueError:
            raise ValueError(word) from None
    return frozenset(days)


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    return moment.astimezone(MUSCAT)


@dataclass(frozen=True)
class WorkingHours:
    """Business hours on Oman working days that are not holidays."""

    hours: BusinessHours = field(default_factory=BusinessHours)
    holidays: HolidayCalendar = field(default_factory=HolidayCalendar)

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day) and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """When the office is open on `day` (Muscat), or None on a weekend or holiday."""
        if not self.is_working_day(day):
            return None
        return datetime.combine(day, self.hours.opens, tzinfo=MUSCAT), datetime.combine(
            day, self.hours.closes, tzinfo=MUSCAT
        )

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The working time in [start, end); zero if end is not after start."""
        start, end = _local(start), _local(end)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            window = self.window(day)
            if window is not None:
                total += max(min(end, window[1]) - max(start, window[0]), timedelta(0))
            day += DAY
        return total

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The earliest instant by which `amount` of working time has passed since `start` (in UTC).

        A lead that arrived at `start` reaches a response target of `amount` then.
        """
        if amount < timedelta(0):
            raise ValueError("amount must not be negative")
        local = _local(start)
        remaining = amount
        day = local.date()
        for _ in range(MAX_DAYS):
            window = self.window(day)
            if window is not None:
                begin = max(local, window[0])
                available = max(window[1] - begin, timedelta(0))
                if remaining <= available:
                    return (begin + remaining).astimezone(UTC)
                remaining -= available
            elif remaining == timedelta(0):
                return local.astimezone(UTC)
            day += DAY
        raise ValueError("no working day in ten years: check the holidays")

    def subtract(self, end: datetime, amount: timedelta) -> datetime:
        """The earliest instant whose working time up to `end` is at most `amount` (in UTC).

        Whatever arrived before it has waited longer than `amount`: one indexed
        comparison in SQL instead of a computation per row.
        """
        if amount < timedelta(0):
            raise ValueError("amount must not be negative")
        local = _local(end)
        remaining = amount
        day = local.date()
        for _ in range(MAX_DAYS):
            window = self.window(day)
            if window is not None and local > window[0]:
                finish = min(local, window[1])
                available = finish - window[0]
                if remaining < available:
                    return (finish - remaining).astimezone(UTC)
                remaining -= available
            day -= DAY
        raise ValueError("no working day in ten years: check the holidays")


def percentile(values: Iterable[timedelta], share: float) -> timedelta | None:
    """The `share` quantile (0 to 1) of the values, interpolated between neighbours; None when empty.

    Linear interpolation (numpy's default) makes percentile(values, 0.5) the usual median.
    """
    ordered = sorted(values)
    if not ordered:
        return None
    position = share * (len(ordered) - 1)
    low = int(position)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (ordered[low + 1] - ordered[low]) * (position - low)
