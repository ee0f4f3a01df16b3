"""Oman working time: Sunday to Thursday in Asia/Muscat, weekend Friday and Saturday."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.working_days import (
    MUSCAT,
    age_parts,
    is_working_day,
    subtract_working_time,
    working_days_between,
    working_time_between,
)

TWO_DAYS = timedelta(days=2)


def muscat(*args: int) -> datetime:
    return datetime(*args, tzinfo=MUSCAT)


def test_sunday_to_thursday_are_working_days_friday_and_saturday_are_not():
    # 2026-11-22 is a Sunday.
    week = [muscat(2026, 11, 22 + offset).date() for offset in range(7)]
    assert [is_working_day(day) for day in week] == [True, True, True, True, True, False, False]


def test_the_weekend_does_not_count():
    thursday_afternoon = muscat(2026, 11, 26, 15, 0)
    sunday_morning = muscat(2026, 11, 29, 9, 0)
    assert working_time_between(thursday_afternoon, sunday_morning) == timedelta(hours=9 + 9)


def test_a_full_working_week_is_five_days():
    assert working_days_between(muscat(2026, 11, 22), muscat(2026, 11, 29)) == 5


def test_days_are_counted_in_muscat_not_utc():
    # Thursday 22:00 in Muscat is Thursday 18:00 UTC; Friday starts two hours later in Oman.
    start = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
    end = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    assert working_time_between(start, end) == timedelta(hours=2)


def test_end_before_start_is_zero():
    assert working_time_between(muscat(2026, 11, 25), muscat(2026, 11, 24)) == timedelta(0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        working_time_between(datetime(2026, 11, 24), muscat(2026, 11, 25))


def test_cutoff_for_two_working_days_skips_the_weekend():
    sunday_noon = muscat(2026, 11, 29, 12, 0)
    # Sunday 12 h + Thursday 24 h + Wednesday 12 h.
    assert subtract_working_time(sunday_noon, TWO_DAYS) == muscat(2026, 11, 25, 12, 0)


def test_a_lead_from_the_weekend_has_not_waited_when_the_week_starts():
    # Created on Saturday, seen on Tuesday at midnight: exactly two working days, not over.
    cutoff = subtract_working_time(muscat(2026, 12, 1, 0, 0), TWO_DAYS)
    assert cutoff == muscat(2026, 11, 27, 0, 0)  # Thursday 24:00
    assert muscat(2026, 11, 28, 10, 0) >= cutoff


aware = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@given(end=aware, hours=st.integers(min_value=0, max_value=24 * 20))
def test_cutoff_separates_leads_that_waited_longer_from_the_others(end: datetime, hours: int):
    amount = timedelta(hours=hours)
    cutoff = subtract_working_time(end, amount)
    assert working_time_between(cutoff, end) <= amount
    assert working_time_between(cutoff - timedelta(minutes=1), end) > amount


@given(start=aware, middle=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_working_time_adds_up_and_never_exceeds_calendar_time(start: datetime, middle: timedelta):
    split = start + middle
    end = split + timedelta(days=3)
    whole = working_time_between(start, end)
    assert whole == working_time_between(start, split) + working_time_between(split, end)
    assert whole <= end - start


def _day_by_day(start: datetime, end: datetime) -> timedelta:
    """Working time summed one Muscat day at a time: the rule as written, to check the counting by weeks."""
    start, end = start.astimezone(MUSCAT), end.astimezone(MUSCAT)
    total, day = timedelta(0), start.date()
    while start < end and day <= end.date():
        midnight = datetime.combine(day, time.min, tzinfo=MUSCAT)
        if is_working_day(day):
            total += min(end, midnight + timedelta(days=1)) - max(start, midnight)
        day += timedelta(days=1)
    return total


@given(start=aware, length=st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=800)))
def test_working_time_counted_by_weeks_equals_counting_each_day(start: datetime, length: timedelta):
    assert working_time_between(start, start + length) == _day_by_day(start, start + length)


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (timedelta(minutes=5), (5, "min")),
        (timedelta(hours=3, minutes=59), (3, "h")),
        (timedelta(days=2, hours=23), (2, "d")),
        (timedelta(minutes=-5), (0, "min")),
    ],
)
def test_age_label_parts(elapsed: timedelta, expected: tuple[int, str]):
    now = muscat(2026, 11, 25, 12, 0)
    assert age_parts(now - elapsed, now) == expected
