"""Oman working hours: business hours, Sunday to Thursday, Oman's public holidays left out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.response_times import missed_before, response_figures
from portal.domain.working_days import MUSCAT
from portal.domain.working_hours import (
    BusinessHours,
    HolidayCalendar,
    WorkingHours,
    oman_public_holidays,
    parse_business_hours,
    parse_dates,
    percentile,
)

OFFICE = WorkingHours()  # 08:00-16:00, the library's holidays


def muscat(*args: int) -> datetime:
    return datetime(*args, tzinfo=MUSCAT)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def test_thursday_afternoon_to_sunday_morning_is_one_working_hour():
    # 2026-12-03 is a Thursday; Friday and Saturday are the weekend.
    assert OFFICE.between(muscat(2026, 12, 3, 16, 0), muscat(2026, 12, 6, 9, 0)) == hours(1)
    assert OFFICE.between(muscat(2026, 12, 3, 15, 0), muscat(2026, 12, 6, 9, 30)) == hours(2.5)


def test_nights_and_the_weekend_count_nothing():
    assert OFFICE.between(muscat(2026, 12, 1, 16, 0), muscat(2026, 12, 2, 8, 0)) == timedelta(0)
    assert OFFICE.between(muscat(2026, 12, 4, 0, 0), muscat(2026, 12, 6, 0, 0)) == timedelta(0)


def test_a_public_holiday_counts_nothing():
    # National Day 2025: Thursday 20 November is a holiday in the library.
    assert date(2025, 11, 20) in oman_public_holidays(2025)
    assert OFFICE.between(muscat(2025, 11, 20, 8, 0), muscat(2025, 11, 20, 16, 0)) == timedelta(0)
    # Wednesday 15:00 to Sunday 09:00 across the holiday and the weekend: 1 + 1 hours.
    assert OFFICE.between(muscat(2025, 11, 19, 15, 0), muscat(2025, 11, 23, 9, 0)) == hours(2)


def test_eid_al_fitr_is_a_holiday_whole_week():
    # The library estimates Eid al-Fitr 2026 from the Hijri calendar: 18 to 22 March.
    eid = [date(2026, 3, day) for day in range(18, 23)]
    assert all(day in oman_public_holidays(2026) for day in eid)
    assert OFFICE.between(muscat(2026, 3, 17, 15, 0), muscat(2026, 3, 23, 9, 0)) == hours(2)


def test_an_admin_can_add_an_announced_holiday_and_remove_a_moved_one():
    tuesday = date(2026, 12, 1)
    calendar = HolidayCalendar(added=frozenset({tuesday}), removed=frozenset({date(2025, 11, 20)}))
    office = WorkingHours(holidays=calendar)
    assert office.between(muscat(2026, 12, 1, 8, 0), muscat(2026, 12, 2, 8, 0)) == timedelta(0)
    assert office.between(muscat(2025, 11, 20, 8, 0), muscat(2025, 11, 20, 16, 0)) == hours(8)


def test_other_business_hours_are_read_from_the_setting():
    office = WorkingHours(hours=parse_business_hours("07:30-14:30"))
    assert office.between(muscat(2026, 12, 1, 0, 0), muscat(2026, 12, 2, 0, 0)) == hours(7)
    assert office.hours.length == hours(7)


@pytest.mark.parametrize("text", ["16:00-08:00", "08:00-08:00", "eight to four", "08:00", "25:00-26:00"])
def test_business_hours_that_make_no_sense_are_refused(text: str):
    with pytest.raises(ValueError):
        parse_business_hours(text)


def test_dates_are_read_from_lines_or_commas_and_a_bad_one_is_named():
    assert parse_dates("2026-12-01\n2026-12-02, 2026-12-01") == {date(2026, 12, 1), date(2026, 12, 2)}
    assert parse_dates("  ") == frozenset()
    with pytest.raises(ValueError, match="2026-13-01"):
        parse_dates("2026-12-01 2026-13-01")


def test_the_target_is_reached_counting_working_hours_only():
    # Arrived Thursday 14:00 with a 4-hour target: 2 hours on Thursday, 2 on Sunday.
    assert OFFICE.add(muscat(2026, 12, 3, 14, 0), hours(4)) == muscat(2026, 12, 6, 10, 0)
    # Arrived on Friday: the clock starts on Sunday at 08:00.
    assert OFFICE.add(muscat(2026, 12, 4, 11, 0), hours(4)) == muscat(2026, 12, 6, 12, 0)
    # Exactly a day's hours end at closing time, not at the next opening.
    assert OFFICE.add(muscat(2026, 12, 1, 8, 0), hours(8)) == muscat(2026, 12, 1, 16, 0)


def test_the_cutoff_before_which_leads_are_overdue():
    # Sunday 10:00, 4-hour target: leads from before Thursday 14:00 have waited longer.
    assert OFFICE.subtract(muscat(2026, 12, 6, 10, 0), hours(4)) == muscat(2026, 12, 3, 14, 0)
    # Used up exactly at an opening: the earliest such instant is the previous closing.
    assert OFFICE.subtract(muscat(2026, 12, 6, 12, 0), hours(4)) == muscat(2026, 12, 3, 16, 0)


def test_naive_datetimes_and_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        OFFICE.between(datetime(2026, 12, 1), muscat(2026, 12, 2))
    with pytest.raises(ValueError):
        OFFICE.add(muscat(2026, 12, 1), hours(-1))


def test_a_calendar_without_working_days_fails_instead_of_looping():
    office = WorkingHours(
        holidays=HolidayCalendar(added=frozenset(date(2026, 1, 1) + timedelta(d) for d in range(4000)))
    )
    with pytest.raises(ValueError):
        office.add(muscat(2026, 1, 1), hours(1))


def test_percentiles_interpolate_and_the_median_is_the_usual_one():
    values = [hours(n) for n in (4, 1, 3, 2)]
    assert percentile(values, 0.5) == hours(2.5)
    assert percentile([hours(n) for n in range(1, 11)], 0.9) == hours(9.1)
    assert percentile([hours(7)], 0.9) == hours(7)
    assert percentile([], 0.5) is None


aware = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))
amounts = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=80))
offices = st.builds(
    WorkingHours,
    hours=st.tuples(st.integers(0, 22), st.integers(1, 12)).map(
        lambda t: BusinessHours(time(t[0]), time(min(t[0] + t[1], 23), 59))
    ),
)


@given(office=offices, start=aware, first=spans, second=spans)
def test_working_time_is_monotonic_additive_and_at_most_clock_time(
    office: WorkingHours, start: datetime, first: timedelta, second: timedelta
):
    split, end = start + first, start + first + second
    whole = office.between(start, end)
    assert whole == office.between(start, split) + office.between(split, end)
    assert office.between(start, split) <= whole <= end - start


@given(office=offices, start=aware, amount=amounts)
def test_adding_working_time_measures_back_exactly(office: WorkingHours, start: datetime, amount: timedelta):
    reached = office.add(start, amount)
    assert office.between(start, reached) == amount
    assert reached >= start


@given(office=offices, end=aware, amount=amounts)
def test_the_cutoff_separates_leads_that_waited_longer(office: WorkingHours, end: datetime, amount: timedelta):
    cutoff = office.subtract(end, amount)
    assert office.between(cutoff, end) <= amount
    assert office.between(cutoff - timedelta(minutes=1), end) > amount


@given(start=aware)
def test_a_weekend_or_holiday_day_holds_no_working_time(start: datetime):
    day = start.astimezone(MUSCAT).date()
    midnight = datetime.combine(day, time.min, tzinfo=MUSCAT)
    if not OFFICE.is_working_day(day):
        assert OFFICE.between(midnight, midnight + timedelta(days=1)) == timedelta(0)
    else:
        assert OFFICE.between(midnight, midnight + timedelta(days=1)) == hours(8)


def test_response_figures_count_waits_in_working_hours_and_missed_leads():
    now = muscat(2026, 12, 10, 12, 0)  # Thursday noon
    leads = [
        (muscat(2026, 12, 3, 15, 0), muscat(2026, 12, 6, 9, 0)),  # Thursday to Sunday: 2 h
        (muscat(2026, 12, 7, 8, 0), muscat(2026, 12, 7, 9, 0)),  # 1 h
        (muscat(2026, 12, 7, 8, 0), muscat(2026, 12, 8, 8, 0)),  # a whole day: 8 h, past a 4 h target
        (muscat(2026, 12, 8, 8, 0), None),  # unanswered for days: missed
        (muscat(2026, 12, 10, 11, 0), None),  # unanswered for an hour: not decided yet
    ]
    figures = response_figures(leads, OFFICE, hours(4), now)
    assert (figures.answered, figures.within_target, figures.decided) == (3, 2, 4)
    assert figures.median == hours(2)
    assert figures.p90 == hours(2 + 6 * 0.8)
    assert figures.share_within == 0.5
    assert response_figures([], OFFICE, hours(4), now).share_within is None


@given(office=offices, now=aware, wait=spans, target=amounts)
def test_an_unanswered_lead_is_missed_exactly_when_it_arrived_before_the_cutoff(
    office: WorkingHours, now: datetime, wait: timedelta, target: timedelta
):
    """The dashboard counts missed leads in SQL by arrival (missed_before), not by each lead's wait."""
    arrived = now - wait
    alone = response_figures([(arrived, None)], office, target, now)
    assert alone.decided == (office.between(arrived, now) > target)
    assert (arrived < missed_before(office, target, now)) == (office.between(arrived, now) > target)
