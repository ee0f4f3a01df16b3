"""The cycle schedule: month arithmetic at month ends and leap years, and the three-year cycle."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.schedule import (
    RenewalKind,
    Schedule,
    ScheduleError,
    ScheduleRules,
    add_months,
    check_adjusted,
    initial_schedule,
    next_due,
    outstanding_audits,
    renewal,
    restoration_deadline,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 5, 31), -3, date(2025, 2, 28)),
        (date(2024, 8, 31), -6, date(2024, 2, 29)),
        (date(2024, 6, 10), 0, date(2024, 6, 10)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(days, st.integers(min_value=-120, max_value=120))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last)


def test_first_cycle_from_an_ordinary_decision_date() -> None:
    schedule = initial_schedule(date(2025, 3, 10))
    assert schedule == Schedule(
        cycle_start=date(2025, 3, 10),
        expiry=date(2028, 3, 9),
        surveillance_1_due=date(2026, 3, 10),
        surveillance_2_due=date(2027, 3, 10),
        recertification_start=date(2027, 9, 9),
        recertification_due=date(2027, 12, 9),
    )


def test_first_cycle_from_29_february() -> None:
    schedule = initial_schedule(date(2024, 2, 29))
    assert schedule.expiry == date(2027, 2, 27)  # 28 Feb 2027 − 1 day
    assert schedule.surveillance_1_due == date(2025, 2, 28)
    assert schedule.surveillance_2_due == date(2026, 2, 28)
    assert schedule.recertification_due == date(2026, 11, 27)


def test_first_cycle_from_the_first_of_a_month_expires_at_the_previous_month_end() -> None:
    schedule = initial_schedule(date(2025, 3, 1))
    assert schedule.expiry == date(2028, 2, 29)  # 2028 is a leap year
    assert schedule.recertification_start == date(2027, 8, 29)
    assert schedule.recertification_due == date(2027, 11, 29)


def test_first_cycle_at_a_month_end_before_a_shorter_month() -> None:
    schedule = initial_schedule(date(2025, 8, 31))
    assert schedule.expiry == date(2028, 8, 30)
    assert schedule.recertification_due == date(2028, 5, 30)
    assert schedule.recertification_start == date(2028, 2, 29)


def test_recertification_lead_times_are_settings() -> None:
    rules = ScheduleRules(recertification_start_months=9, recertification_audit_months=4)
    schedule = initial_schedule(date(2025, 3, 10), rules)
    assert schedule.recertification_start == date(2027, 6, 9)
    assert schedule.recertification_due == date(2027, 11, 9)


@given(days)
def test_every_cycle_lasts_three_years_less_a_day_with_audits_in_order(decision: date) -> None:
    schedule = initial_schedule(decision)
    assert schedule.expiry == add_months(decision, 36) - timedelta(days=1)
    assert 3 * 365 - 1 <= (schedule.expiry - decision).days <= 3 * 366
    assert decision < schedule.surveillance_1_due < schedule.surveillance_2_due < schedule.recertification_due
    assert schedule.recertification_start < schedule.recertification_due < schedule.expiry
    assert (schedule.surveillance_1_due - decision).days <= 366  # no later than 12 months after the decision
    check_adjusted(schedule)


def test_recertification_before_expiry_continues_from_the_old_expiry() -> None:
    old = initial_schedule(date(2025, 3, 10))
    renewed = renewal(date(2027, 12, 20), old.expiry)
    assert renewed.kind == RenewalKind.CONTINUED
    assert (renewed.not_certified_from, renewed.not_certified_until) == (None, None)
    assert renewed.schedule.cycle_start == date(2028, 3, 10)
    assert renewed.schedule.expiry == date(2031, 3, 9)
    assert renewed.schedule.surveillance_1_due == date(2029, 3, 10)
    assert renewed.schedule.surveillance_2_due == date(2030, 3, 10)
    assert renewed.schedule.recertification_due == date(2030, 12, 9)


def test_recertification_on_the_expiry_day_still_continues_the_cycle() -> None:
    renewed = renewal(date(2028, 3, 9), date(2028, 3, 9))
    assert renewed.kind == RenewalKind.CONTINUED
    assert renewed.schedule.expiry == date(2031, 3, 9)


def test_recertification_keeps_a_29_february_expiry_as_old_expiry_plus_three_years() -> None:
    renewed = renewal(date(2027, 11, 1), date(2028, 2, 28))
    assert renewed.schedule.expiry == date(2031, 2, 28)
    assert renewed.schedule.cycle_start == date(2028, 2, 29)


def test_recertification_five_weeks_after_expiry_restores_the_prior_cycle() -> None:
    """17021-1 9.6.3.2.5: certificate expired 9 March 2028, decision 15 April 2028 (within six months).

    The restored certificate expires 9 March 2031 (prior expiry + 3 years), not 14 April 2031,
    and 10 March to 14 April 2028 is shown as a period without certification.
    """
    renewed = renewal(date(2028, 4, 15), date(2028, 3, 9))
    assert renewed.kind == RenewalKind.RESTORED
    assert renewed.schedule.expiry == date(2031, 3, 9)
    assert renewed.schedule.cycle_start == date(2028, 3, 10)
    assert renewed.schedule.surveillance_1_due == date(2029, 3, 10)
    assert (renewed.not_certified_from, renewed.not_certified_until) == (date(2028, 3, 10), date(2028, 4, 14))


def test_restoration_window_ends_six_months_after_expiry() -> None:
    """Expired 31 August 2028: 28 February 2029 is the last day to restore (month end clamped)."""
    assert restoration_deadline(date(2028, 8, 31)) == date(2029, 2, 28)
    assert renewal(date(2029, 2, 28), date(2028, 8, 31)).kind == RenewalKind.RESTORED
    late = renewal(date(2029, 3, 1), date(2028, 8, 31))
    assert late.kind == RenewalKind.NEW_CYCLE
    assert late.schedule == initial_schedule(date(2029, 3, 1))
    assert (late.not_certified_from, late.not_certified_until) == (date(2028, 9, 1), date(2029, 2, 28))


def test_decision_the_day_after_expiry_restores_without_a_gap_day() -> None:
    renewed = renewal(date(2028, 3, 10), date(2028, 3, 9))
    assert renewed.kind == RenewalKind.RESTORED
    assert (renewed.not_certified_from, renewed.not_certified_until) == (None, None)


def test_recertification_without_a_known_expiry_starts_from_the_decision() -> None:
    renewed = renewal(date(2028, 4, 15), None)
    assert renewed.kind == RenewalKind.NEW_CYCLE
    assert renewed.schedule == initial_schedule(date(2028, 4, 15))


@given(days, st.integers(min_value=0, max_value=400))
def test_renewed_expiry_is_always_old_expiry_plus_three_years(first_decision: date, days_before: int) -> None:
    old = initial_schedule(first_decision)
    renewed = renewal(old.expiry - timedelta(days=days_before), old.expiry).schedule
    assert renewed.expiry == add_months(old.expiry, 36)
    assert renewed.cycle_start == old.expiry + timedelta(days=1)


@given(days, st.integers(min_value=1, max_value=184))
def test_restoration_never_moves_later_dates_off_the_prior_cycle(first_decision: date, days_late: int) -> None:
    """Restored late or renewed on time, the surveillance, recertification and expiry dates are the same."""
    old = initial_schedule(first_decision)
    decision = old.expiry + timedelta(days=days_late)
    restored = renewal(decision, old.expiry)
    if decision > restoration_deadline(old.expiry):
        assert restored.kind == RenewalKind.NEW_CYCLE
        return
    assert restored.kind == RenewalKind.RESTORED
    assert restored.schedule == renewal(old.expiry, old.expiry).schedule
    assert restored.not_certified_until is None or restored.not_certified_until < decision


def test_outstanding_audits_follow_the_stage() -> None:
    schedule = initial_schedule(date(2025, 3, 10))
    assert [audit for audit, _ in outstanding_audits("certified", schedule)] == [
        "surveillance_1",
        "surveillance_2",
        "recertification",
    ]
    assert outstanding_audits("surveillance_2", schedule) == [
        ("surveillance_2", date(2027, 3, 10)),
        ("recertification", date(2027, 12, 9)),
    ]
    assert next_due("recertification", schedule) == ("recertification", date(2027, 12, 9))
    assert next_due("implementation", schedule) is None
    assert next_due("certified", None) is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"surveillance_1_due": date(2025, 3, 1)}, "surveillance_1_due"),
        ({"surveillance_2_due": date(2026, 1, 1)}, "surveillance_2_due"),
        ({"recertification_due": date(2027, 1, 1)}, "recertification_due"),
        ({"expiry": date(2027, 11, 30)}, "expiry"),
    ],
)
def test_an_adjusted_schedule_out_of_order_is_refused_on_its_field(change: dict, field: str) -> None:
    from dataclasses import replace

    schedule = replace(initial_schedule(date(2025, 3, 10)), **change)
    with pytest.raises(ScheduleError) as raised:
        check_adjusted(schedule)
    assert raised.value.field == field
