"""The three-year cost of a quote and the MD 5 days check."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.quote_costs import DaysVerdict, cheapest, check_days, cycle_cost

D = Decimal


def test_three_year_cost_is_initial_two_surveillances_and_travel_with_recertification_apart():
    cost = cycle_cost(D("2400.5"), D("900.250"), D("1800"), D("150.125"))
    assert cost.surveillance_total == D("1800.500")
    assert cost.three_year_total == D("4351.125")
    assert cost.recertification == D("1800.000")
    assert str(cost.three_year_total) == "4351.125"  # three decimals: the rial has 1,000 baisa


def test_negative_fees_are_refused():
    with pytest.raises(ValueError, match="negative"):
        cycle_cost(D("1"), D("-1"), D("0"), D("0"))


money = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@given(money, money, money, money)
def test_total_never_includes_recertification(initial, surveillance, recert, travel):
    with_recert = cycle_cost(initial, surveillance, recert, travel)
    without = cycle_cost(initial, surveillance, D(0), travel)
    assert with_recert.three_year_total == without.three_year_total
    assert with_recert.three_year_total == initial + 2 * surveillance + travel


@pytest.mark.parametrize(
    ("offered", "verdict", "shortfall"),
    [
        (D("6"), DaysVerdict.MEETS, None),
        (D("5"), DaysVerdict.MEETS, None),
        (D("4"), DaysVerdict.BELOW_ESTIMATE, D("1")),
        (D("3.5"), DaysVerdict.BELOW_ESTIMATE, D("1.5")),
        (D("3"), DaysVerdict.BELOW_MINIMUM, D("0.5")),
    ],
)
def test_offered_days_against_estimate_and_minimum(offered, verdict, shortfall):
    check = check_days(offered, estimate=D("5"), minimum=D("3.5"))
    assert check.verdict is verdict
    assert check.shortfall == shortfall


def test_days_unknown_without_an_offer_or_an_estimate():
    assert check_days(None, D("5"), D("3.5")).verdict is DaysVerdict.UNKNOWN
    assert check_days(D("2"), None, None).verdict is DaysVerdict.UNKNOWN


def test_without_a_minimum_fewer_days_are_only_below_the_estimate():
    assert check_days(D("1"), D("5"), None).verdict is DaysVerdict.BELOW_ESTIMATE


def test_cheapest_marks_every_quote_sharing_the_lowest_total():
    assert cheapest({1: D("10"), 2: D("9.5"), 3: D("9.500")}) == {2, 3}
    assert cheapest({}) == set()
