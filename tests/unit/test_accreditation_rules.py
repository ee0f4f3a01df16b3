"""The accreditation rules: dates in order, sectors where the standard's scopes use them,
no overlapping active accreditations, and the warnings consultants see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import accreditation as rules
from portal.domain.accreditation import AccreditationFacts, ExpiryWarning, Problem

TODAY = date(2026, 6, 1)


def facts(key="A-1", start=date(2025, 1, 1), end=date(2027, 12, 31), status="active", **overrides):
    values = {"certification_body": 1, "accreditation_body": "GAC", "standard": "ISO 9001"}
    values.update(overrides)
    return AccreditationFacts(key=key, valid_from=start, valid_until=end, status=status, **values)


def test_end_date_must_be_after_start_date():
    assert rules.check_dates(date(2026, 1, 1), date(2026, 1, 2)) is None
    same_day = rules.check_dates(date(2026, 1, 1), date(2026, 1, 1))
    assert same_day.problem == Problem.UNTIL_NOT_AFTER_FROM
    assert same_day.field == "valid_until"
    assert rules.check_dates(date(2026, 1, 2), date(2026, 1, 1)).problem == Problem.UNTIL_NOT_AFTER_FROM


@pytest.mark.parametrize(
    ("scheme", "sectors", "problem"),
    [
        ("iaf", [], Problem.SECTORS_REQUIRED),
        ("iaf", [28], None),
        ("food_chain", [], None),
        ("technical_area", [], None),
    ],
)
def test_sectors_are_required_only_for_standards_scoped_by_iaf_sectors(scheme, sectors, problem):
    violation = rules.check_sectors(scheme, sectors)
    assert (violation.problem if violation else None) == problem
    if violation:
        assert violation.field == "sectors"


def test_overlapping_active_accreditations_for_the_same_body_ab_and_standard_are_refused():
    existing = facts(key="OLD", start=date(2023, 1, 1), end=date(2026, 3, 1))
    clash = rules.find_overlap(facts(key="NEW", start=date(2026, 3, 1), end=date(2029, 3, 1)), [existing])
    assert clash.problem == Problem.OVERLAP
    assert clash.other == "OLD"
    # The day after the old one ends is fine: a renewal follows on.
    assert rules.find_overlap(facts(key="NEW", start=date(2026, 3, 2), end=date(2029, 3, 1)), [existing]) is None


@pytest.mark.parametrize(
    "other",
    [
        facts(key="B", status="suspended"),
        facts(key="B", status="withdrawn"),
        facts(key="B", accreditation_body="UKAS"),
        facts(key="B", standard="ISO 14001"),
        facts(key="B", certification_body=2),
        facts(key="A-1"),  # the same accreditation, being edited
    ],
)
def test_no_overlap_when_anything_differs_or_one_is_not_active(other):
    assert rules.find_overlap(facts(), [other]) is None


def test_validate_reports_every_problem_and_skips_overlap_for_reversed_dates():
    others = [facts(key="B")]
    reversed_dates = facts(start=date(2027, 1, 1), end=date(2026, 1, 1))
    problems = {v.problem for v in rules.validate(reversed_dates, "iaf", [], others)}
    assert problems == {Problem.UNTIL_NOT_AFTER_FROM, Problem.SECTORS_REQUIRED}
    assert {v.problem for v in rules.validate(facts(), "iaf", [35], others)} == {Problem.OVERLAP}
    assert rules.validate(facts(), "iaf", [35], []) == []


@pytest.mark.parametrize(
    ("status", "until", "expected"),
    [
        ("active", TODAY + timedelta(days=400), None),
        ("active", TODAY + timedelta(days=91), None),
        ("active", TODAY + timedelta(days=90), ExpiryWarning.EXPIRING),
        ("active", TODAY, ExpiryWarning.EXPIRING),
        ("active", TODAY - timedelta(days=1), ExpiryWarning.EXPIRED),
        ("suspended", TODAY + timedelta(days=400), ExpiryWarning.SUSPENDED),
        ("withdrawn", TODAY + timedelta(days=400), ExpiryWarning.WITHDRAWN),
    ],
)
def test_warnings(status, until, expected):
    assert rules.warning_for(status, until, TODAY) == expected


def test_nearest_expiry_counts_only_current_accreditations():
    periods = [
        ("active", date(2024, 1, 1), TODAY - timedelta(days=1)),  # expired
        ("suspended", date(2024, 1, 1), TODAY + timedelta(days=5)),
        ("active", date(2024, 1, 1), TODAY + timedelta(days=50)),
        ("active", date(2024, 1, 1), TODAY + timedelta(days=500)),
        ("active", TODAY + timedelta(days=1), TODAY + timedelta(days=20)),  # not started
    ]
    assert rules.nearest_expiry(periods, TODAY) == TODAY + timedelta(days=50)
    assert rules.nearest_expiry([], TODAY) is None


day = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1))


@given(a_start=day, a_len=st.integers(1, 2000), b_start=day, b_len=st.integers(1, 2000))
def test_overlap_is_symmetric_and_means_a_shared_day(a_start, a_len, b_start, b_len):
    a = facts(key="A", start=a_start, end=a_start + timedelta(days=a_len))
    b = facts(key="B", start=b_start, end=b_start + timedelta(days=b_len))
    shared = max(a.valid_from, b.valid_from) <= min(a.valid_until, b.valid_until)
    assert rules.overlaps(a, b) == rules.overlaps(b, a) == shared
