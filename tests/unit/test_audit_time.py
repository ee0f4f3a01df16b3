"""IAF MD 5 audit time: table figures, the continuation above 10,700, factors, integration, sampling."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.audit_time import (
    MAX_REDUCTION_PERCENT,
    Adjustment,
    AuditKind,
    AuditTimeError,
    StandardSpec,
    estimate,
    round_half_day,
    sample_size,
    table_days,
)
from portal.domain.md5_tables import BAND_UPPER_BOUNDS, COLUMNS, DAYS, Complexity
from portal.domain.sector_complexity import SECTOR_COMPLEXITY, default_complexity, is_special_case

QMS = StandardSpec("ISO 9001", "qms")
EMS = StandardSpec("ISO 14001", "ems")
OHS = StandardSpec("ISO 45001", "ohs")
ISMS = StandardSpec("ISO/IEC 27001", None)

COLUMN_ARGS = [
    ("qms", None),
    *[("ems", level) for level in (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED)],
    *[("ohs", level) for level in (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW)],
]
columns = st.sampled_from(COLUMN_ARGS)
personnel_counts = st.integers(min_value=1, max_value=60_000)
adjustment_lists = st.lists(
    st.builds(Adjustment, st.just("factor"), st.integers(min_value=-40, max_value=40)), max_size=5
)


def test_known_answer_40_staff_iso_9001():
    days = estimate([QMS], 40).days
    assert days.initial == Decimal("4")
    assert days.surveillance == Decimal("1.5")  # 4/3 = 1.33, to the nearest half day (IAF MD 5:2019 2.2.3)
    assert days.recertification == Decimal("2.5")  # 8/3 = 2.67, to the nearest half day
    assert days.stage1 + days.stage2 == days.initial


def test_known_answer_300_staff_iso_14001_construction_is_high_complexity():
    result = estimate([EMS], 300, sector_code=28)
    assert result.standards[0].complexity == Complexity.HIGH
    assert result.days.initial == Decimal("15")


def test_integrated_9001_and_45001_saves_a_share_of_the_summed_days():
    # 40 staff, IT (low OH&S complexity): 4 + 4 = 8 days; a 10% saving gives 7.2, to the nearest half day 7.
    integrated = estimate([QMS, OHS], 40, sector_code=33, integration_saving_percent=10)
    assert [s.adjusted_days for s in integrated.standards] == [Decimal("4"), Decimal("4")]
    assert integrated.days.initial == Decimal("7")
    assert estimate([QMS, OHS], 40, sector_code=33, integration_saving_percent=20).days.initial == Decimal("6.5")
    assert estimate([QMS, OHS], 40, sector_code=33, integration_saving_percent=0).days.initial == Decimal("8")
    assert any(note.kind == "integration" for note in integrated.notes)


def test_integration_saving_above_twenty_percent_is_refused():
    with pytest.raises(AuditTimeError) as error:
        estimate([QMS, OHS], 40, integration_saving_percent=25)
    assert error.value.field == "integration_saving_percent"


@pytest.mark.parametrize(("table", "level"), COLUMN_ARGS)
def test_band_edges_are_exact(table, level):
    column = table if level is None else f"{table}_{level}"
    days = DAYS[column]
    # Past 10,700 the next band continues the progression: the last band's increment again.
    following = [*days[1:], days[-1] + (days[-1] - days[-2])]
    for index, upper in enumerate(BAND_UPPER_BOUNDS):
        assert table_days(table, upper, level) == days[index]
        assert table_days(table, upper + 1, level) == following[index]


def test_table_rows_read_as_in_domain_md():
    assert table_days("qms", 5) == Fraction(3, 2) and table_days("qms", 6) == 2
    assert table_days("ems", 1175, Complexity.LIMITED) == 7
    assert table_days("ohs", 10_700, Complexity.MEDIUM) == 27
    assert set(DAYS) == set(COLUMNS)


def test_above_10700_the_last_band_width_and_increment_repeat():
    # The last band (8,501-10,700) is 2,200 wide and adds 1 QMS day, 2 EMS-high days.
    assert table_days("qms", 10_700) == 22
    assert table_days("qms", 10_701) == 23
    assert table_days("qms", 12_900) == 23
    assert table_days("qms", 12_901) == 24
    assert table_days("ems", 10_701, Complexity.HIGH) == 36
    assert table_days("ems", 15_101, Complexity.HIGH) == 40
    assert table_days("ems", 10_701, Complexity.LOW) == 21
    assert any(note.kind == "beyond_table" for note in estimate([QMS], 11_000).notes)


@given(columns, personnel_counts, personnel_counts)
def test_days_never_decrease_as_personnel_grow(column, a, b):
    table, level = column
    low, high = sorted((a, b))
    assert table_days(table, low, level) <= table_days(table, high, level)


@given(personnel_counts, personnel_counts, st.integers(min_value=1, max_value=40))
def test_estimated_days_never_decrease_as_personnel_grow_even_over_several_sites(a, b, sites):
    low, high = sorted((a, b))
    small = estimate([QMS, EMS], low, sector_code=12, sites=sites).days
    large = estimate([QMS, EMS], high, sector_code=12, sites=sites).days
    assert small.initial <= large.initial
    assert small.surveillance <= large.surveillance
    assert small.recertification <= large.recertification


@given(columns, personnel_counts, adjustment_lists)
def test_reductions_never_pass_thirty_percent(column, personnel, adjustments):
    table, level = column
    spec = StandardSpec("X", table)
    result = estimate([spec], personnel, complexity={table: level} if level else None, adjustments=adjustments)
    floor = Decimal(str(float(table_days(table, personnel, level)))) * Decimal("0.7")
    # 70% of the table, then to the nearest half day (MD 5 2.2.3): at most a quarter day below it.
    assert result.standards[0].adjusted_days >= floor - Decimal("0.25")
    assert result.reduction_capped == (sum(a.percent for a in adjustments) < -MAX_REDUCTION_PERCENT)


def test_reduction_cap_applies_to_the_net_adjustment_and_is_explained():
    adjustments = [Adjustment("Low-risk processes", -20), Adjustment("Mature system", -20)]
    result = estimate([QMS], 40, adjustments=adjustments)
    assert result.standards[0].adjusted_days == Decimal("3")  # 4 x 0.7 = 2.8, rounded up
    assert [n.params["reason"] for n in result.notes if n.kind == "adjustment"] == [
        "Low-risk processes",
        "Mature system",
    ]
    capped = next(n for n in result.notes if n.kind == "reduction_capped")
    assert capped.params == {"requested": Decimal(-40), "cap": 30}


def test_increases_are_not_capped():
    result = estimate([QMS], 40, adjustments=[Adjustment("Hazardous processes on site", 50)])
    assert result.standards[0].adjusted_days == Decimal("6")


@given(
    st.lists(st.sampled_from([QMS, EMS, OHS]), min_size=1, max_size=3),
    personnel_counts,
    st.integers(min_value=1, max_value=200),
    adjustment_lists,
)
def test_surveillance_at_most_recertification_at_most_initial(standards, personnel, sites, adjustments):
    days = estimate(standards, personnel, sector_code=3, sites=sites, adjustments=adjustments).days
    assert Decimal("0.5") <= days.surveillance <= days.recertification <= days.initial
    assert days.stage1 + days.stage2 == days.initial and days.stage2 > 0
    for figure in (days.initial, days.surveillance, days.recertification, days.stage1):
        assert (figure * 2) == (figure * 2).to_integral_value()


@given(st.integers(min_value=0, max_value=100_000), st.sampled_from(list(AuditKind)))
def test_sample_never_exceeds_the_sites(other_sites, kind):
    assert 0 <= sample_size(other_sites, kind) <= other_sites


@pytest.mark.parametrize(
    ("other_sites", "initial", "surveillance", "recertification"),
    [(1, 1, 1, 1), (4, 2, 2, 2), (9, 3, 2, 3), (25, 5, 3, 4), (26, 6, 4, 5), (100, 10, 6, 8)],
)
def test_sample_sizes_follow_iaf_md1_rounded_up(other_sites, initial, surveillance, recertification):
    assert sample_size(other_sites, AuditKind.INITIAL) == initial
    assert sample_size(other_sites, AuditKind.SURVEILLANCE) == surveillance
    assert sample_size(other_sites, AuditKind.RECERTIFICATION) == recertification


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=1, max_value=5000))
def test_sites_visited_include_the_central_function_and_never_exceed_the_sites(sites, personnel):
    sampling = estimate([QMS], personnel, sites=sites).sampling
    if sites == 1:
        assert sampling is None
        return
    for kind in AuditKind:
        assert 2 <= sampling.visited[kind] <= sites


def test_multi_site_visits_the_central_function_and_a_reduced_sample():
    # 400 staff on 10 sites: 40 a site (4 days). Initial: central 4 + 3 sampled x 4 x (1 - 30%) = 12.4 -> 12.5.
    result = estimate([QMS], 400, sites=10, site_reduction_percent=30)
    assert result.sampling.visited[AuditKind.INITIAL] == 4
    assert result.days.initial == Decimal("12.5")
    # With the 50% maximum reduction: 4 + 3 x 2 = 10, the single-site figure for 400 staff (10) is the floor.
    assert estimate([QMS], 400, sites=10, site_reduction_percent=50).days.initial == Decimal("10")


def test_multi_site_never_below_the_single_site_figure():
    # 100 staff on 50 sites: 2 a site (1.5 days); central 1.5 + 7 sampled x 0.75 = 6.75 < 7 for 100 staff at one site.
    assert estimate([QMS], 100, sites=50, site_reduction_percent=50).days.initial == table_days("qms", 100) == 7


def test_site_reduction_above_fifty_percent_is_refused():
    with pytest.raises(AuditTimeError) as error:
        estimate([QMS], 100, sites=3, site_reduction_percent=60)
    assert error.value.field == "site_reduction_percent"


def test_standard_without_table_says_so_instead_of_guessing():
    result = estimate([ISMS], 40)
    assert result.days is None
    assert result.without_table == ("ISO/IEC 27001",)
    assert result.notes[0].kind == "no_table"
    assert result.notes[0].params == {"code": "ISO/IEC 27001", "document": "ISO/IEC 27006-1"}


def test_standards_without_table_are_listed_beside_those_estimated():
    result = estimate([QMS, ISMS], 40)
    assert result.days.initial == Decimal("4")
    assert result.without_table == ("ISO/IEC 27001",)


def test_complexity_override_wins_over_the_sector_default():
    default = estimate([EMS], 300, sector_code=28)
    overridden = estimate([EMS], 300, sector_code=28, complexity={"ems": Complexity.LOW})
    assert overridden.standards[0].complexity == Complexity.LOW and overridden.standards[0].complexity_overridden
    assert overridden.days.initial == Decimal("8") < default.days.initial


def test_limited_complexity_does_not_apply_to_ohs():
    with pytest.raises(AuditTimeError) as error:
        estimate([OHS], 40, complexity={"ohs": Complexity.LIMITED})
    assert error.value.field == "complexity"


@pytest.mark.parametrize("personnel", [0, -3])
def test_personnel_must_be_positive(personnel):
    with pytest.raises(AuditTimeError) as error:
        estimate([QMS], personnel)
    assert error.value.field == "personnel"


def test_every_iaf_sector_has_a_default_or_is_a_special_case():
    assert set(SECTOR_COMPLEXITY) == set(range(1, 40))
    for code in (2, 10, 12, 13, 16, 17, 28):
        assert default_complexity("ems", code) == Complexity.HIGH == default_complexity("ohs", code)
    for code in range(1, 40):
        for table in ("ems", "ohs"):
            assert (default_complexity(table, code) is None) == is_special_case(table, code)
    assert default_complexity("ems", 18) == Complexity.MEDIUM
    assert default_complexity("ems", None) == Complexity.MEDIUM
    assert default_complexity("qms", 12) is None


def test_round_half_day_follows_md5_examples():
    # IAF MD 5:2019 2.2.3: "5.3 audit days becomes 5.5 audit days, 5.2 audit days becomes 5 audit days".
    assert round_half_day(Fraction("5.3")) == Fraction(11, 2)
    assert round_half_day(Fraction("5.2")) == 5
    assert round_half_day(Fraction(4, 3)) == Fraction(3, 2)
    assert round_half_day(Fraction(8, 3)) == Fraction(5, 2)
    assert round_half_day(Fraction(2)) == 2
    # MD 5 gives no quarter: the estimate rounds it up, the least MD 5 allows rounds it down.
    assert round_half_day(Fraction("5.25")) == Fraction(11, 2)
    assert round_half_day(Fraction("5.25"), tie_down=True) == 5
