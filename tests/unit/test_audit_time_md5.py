"""The second pass on audit time against the documents (issue 15): sector defaults per MD 5's annex,
special cases, multi-site caps and sampling (IAF MD 1:2018), MD 5's rounding, effective personnel,
standards outside MD 5, and the lead score reading the same table."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.audit_time import (
    MAX_SITE_REDUCTION_PERCENT,
    Adjustment,
    AuditKind,
    AuditTimeError,
    AuditTimeInputs,
    ComplexityChoiceError,
    NoSampling,
    StandardSpec,
    compute_figures,
    effective_personnel,
    estimate,
    least_initial_days,
    round_half_day,
    table_days,
)
from portal.domain.lead_scoring import HIGH_COMPLEXITY_SECTORS, MEDIUM_COMPLEXITY_SECTORS, LeadFacts, score_lead
from portal.domain.md5_tables import Complexity
from portal.domain.quote_costs import DaysVerdict, check_days
from portal.domain.sector_complexity import (
    SECTOR_COMPLEXITY,
    default_complexity,
    highest_complexity,
    is_special_case,
    lowest_complexity,
    possible_complexities,
)

QMS = StandardSpec("ISO 9001", "qms")
EMS = StandardSpec("ISO 14001", "ems")
OHS = StandardSpec("ISO 45001", "ohs")
H, M, L, LTD = Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED
SECTORS_WITH_DEFAULTS = [c for c in SECTOR_COMPLEXITY if not (is_special_case("ems", c) or is_special_case("ohs", c))]


# 1. Sector defaults, EMS and OH&S apart (IAF MD 5:2019 annex examples).


def test_a_100_person_hospital_iso_45001_initial_audit_is_11_days_not_8():
    # Health and social work (IAF 38) is OH&S high: the OH&S table, high, 86-125 people, gives 11 days.
    result = estimate([OHS], 100, sector_code=38)
    assert result.standards[0].complexity == H
    assert result.days.initial == Decimal(11)


@pytest.mark.parametrize(
    ("code", "ems", "ohs"),
    [
        (38, M, H),  # hospitals, healthcare, social work
        (37, LTD, M),  # education
        (39, H, H),  # sewage, refuse and waste processing
        (24, H, H),  # recycling, hazardous where it is
        (21, M, H),  # aerospace
        (1, M, H),  # agriculture, forestry and fishing: EMS medium
        (25, M, H),  # electricity other than coal: EMS medium
        (26, M, H),  # gas supply
        (27, M, M),  # water supply
        (33, LTD, L),  # information technology
        (32, LTD, L),  # finance
        (8, LTD, L),  # publishing
    ],
)
def test_sector_defaults_follow_md5_annex_examples_for_each_table(code, ems, ohs):
    assert (default_complexity("ems", code), default_complexity("ohs", code)) == (ems, ohs)


def test_limited_is_a_possible_default_and_gives_the_limited_column():
    # 40 people in IT: EMS limited, 26-45 band = 3 days (EMS medium would be 5.5).
    result = estimate([EMS], 40, sector_code=33)
    assert result.standards[0].complexity == LTD and not result.standards[0].complexity_overridden
    assert result.days.initial == Decimal(3)


# 2. Special cases and codes spanning several categories.


@pytest.mark.parametrize(("code", "spec", "table"), [(11, EMS, "ems"), (11, OHS, "ohs"), (36, EMS, "ems")])
def test_special_cases_ask_for_the_category_instead_of_guessing(code, spec, table):
    with pytest.raises(ComplexityChoiceError) as needed:
        estimate([spec], 40, sector_code=code)
    assert needed.value.field == table
    chosen = estimate([spec], 40, sector_code=code, complexity={table: M})
    assert chosen.standards[0].complexity == M and chosen.standards[0].complexity_overridden


def test_public_administration_is_special_for_ems_only():
    assert estimate([OHS], 40, sector_code=36).standards[0].complexity == L
    assert estimate([QMS], 40, sector_code=36).days.initial == Decimal(4)  # the QMS table has no categories


@pytest.mark.parametrize("code", [17, 24, 29, 39])
def test_codes_spanning_several_categories_say_the_figure_may_differ(code):
    result = estimate([EMS, OHS], 40, sector_code=code)
    assert {n.params["table"] for n in result.notes if n.kind == "spans"} == {"ems", "ohs"}
    overridden = estimate([EMS, OHS], 40, sector_code=code, complexity={"ems": L, "ohs": L})
    assert not [n for n in overridden.notes if n.kind == "spans"]  # a chosen category needs no warning


def test_hazardous_storage_is_named_as_the_bodys_choice_where_it_happens():
    assert any(n.kind == "hazardous_storage" for n in estimate([EMS], 40, sector_code=31).notes)
    assert not any(n.kind == "hazardous_storage" for n in estimate([QMS], 40, sector_code=31).notes)
    assert not any(n.kind == "hazardous_storage" for n in estimate([EMS], 40, sector_code=33).notes)


# 3. Multi-site: the combined reduction cap and when sampling is not allowed (IAF MD 1:2018).


def test_md5_and_md1_reductions_together_stop_at_fifty_percent():
    # 400 people on 10 sites, 40 a site (QMS 4 days). MD 5 -30% and MD 1 -50% used to stack to -65%
    # (4 x 0.7 x 0.5 = 1.4 a sampled site); MD 1 7.3.1 caps a sampled site at -50% all together (EA FAQ 37.5):
    # central 4 x 0.7 = 2.8 + 3 sampled x 2 = 8.8 -> 9 days (more than 10 x 0.7 = 7 for one site of 400).
    result = estimate([QMS], 400, sites=10, adjustments=[Adjustment("mature", -30)], site_reduction_percent=50)
    assert result.sampling.site_reduction_percent == MAX_SITE_REDUCTION_PERCENT
    assert result.days.initial == Decimal(9)
    note = next(n for n in result.notes if n.kind == "multi_site")
    assert note.params["reduction"] == Decimal(50) and note.params["cap"] == 50


@given(
    personnel=st.integers(1, 20_000),
    sites=st.integers(3, 80),
    md5=st.integers(-40, 20),
    md1=st.integers(0, 50),
)
def test_a_sampled_sites_combined_reduction_never_exceeds_half_its_table_figure(personnel, sites, md5, md1):
    result = estimate([QMS], personnel, sites=sites, adjustments=[Adjustment("f", md5)], site_reduction_percent=md1)
    assert result.sampling.site_reduction_percent <= MAX_SITE_REDUCTION_PERCENT  # negative: a net increase
    # The initial audit covers the central function and the sample, each sampled site at half its figure or more.
    per_site = table_days("qms", -(-personnel // sites))
    sampled = result.sampling.visited[AuditKind.INITIAL] - 1
    at_least = per_site * Fraction(7, 10) + sampled * per_site / 2
    assert result.days.initial >= Decimal(float(round_half_day(at_least, tie_down=True)))


def test_sites_with_different_processes_are_all_audited_at_initial_and_recertification():
    # 90 people on 3 sites (30 each, QMS 4 days), different work: MD 1 6.2.1, every site at initial and
    # recertification (3 x 4 = 12; 8 at recertification), central + ceil(30% of 2) = 2 at surveillance (8/3 -> 2.5).
    result = estimate([QMS], 90, sites=3, sites_differ=True)
    assert result.sampling.not_sampled == NoSampling.DIFFERENT_SITES
    assert result.sampling.visited == {AuditKind.INITIAL: 3, AuditKind.SURVEILLANCE: 2, AuditKind.RECERTIFICATION: 3}
    assert (result.days.initial, result.days.surveillance, result.days.recertification) == (12, Decimal("2.5"), 8)
    assert [n.params["reason"] for n in result.notes if n.kind == "all_sites"] == [NoSampling.DIFFERENT_SITES]


def test_a_central_function_and_one_site_is_too_few_to_sample():
    # EA FAQ 46.5: MD 1 6.1 sampling needs N > 1 sites besides the central function.
    result = estimate([QMS], 80, sites=2, site_reduction_percent=50)
    assert result.sampling.not_sampled == NoSampling.TOO_FEW_SITES
    assert result.days.initial == Decimal(8)  # 2 sites x 4 days (40 each), no sampled-site reduction
    assert estimate([QMS], 120, sites=3).sampling.not_sampled is None


# 4. Rounding exactly per MD 5 2.2.3, in the estimate and the quote check.


def test_least_md5_allows_is_every_cap_then_md5_rounding():
    # 1,200 people in IT: QMS 14 + OH&S low 12 = 26 days, less 30% (MD 5) and 20% (MD 11): 14.56 -> 14.5.
    assert least_initial_days([QMS, OHS], 1200, sector_code=33) == Decimal("14.5")
    assert least_initial_days([QMS], 50) == Decimal("3.5")  # 5 x 0.7 = 3.5, a half day already


def test_least_md5_allows_takes_the_lowest_category_the_body_may_choose():
    # Sewage and refuse (39) defaults to OH&S high, but other social services are low: 40 people, low = 4 days.
    assert lowest_complexity("ohs", 39) == L and lowest_complexity("ems", 25) == M
    assert least_initial_days([OHS], 40, sector_code=39) == Decimal("3")  # 4 x 0.7 = 2.8 -> 3
    assert least_initial_days([EMS], 40, sector_code=11) == Decimal(2)  # special case: limited, 3 x 0.7 = 2.1


@given(
    standards=st.lists(st.sampled_from([QMS, EMS, OHS]), min_size=1, max_size=3, unique=True),
    personnel=st.integers(1, 20_000),
    sector=st.none() | st.integers(1, 39),
    sites=st.integers(1, 40),
    level=st.sampled_from([H, M, L, LTD]),
    md5=st.integers(-30, 0),
    md11=st.integers(0, 20),
    md1=st.integers(0, 50),
    tie_down=st.booleans(),
)
def test_rounding_never_makes_a_correct_quote_look_below_the_minimum(
    standards, personnel, sector, sites, level, md5, md11, md1, tie_down
):
    # A body following MD 5 (a category the sector allows, reductions within their caps) rounds its exact
    # figure to the nearest half day, a quarter either way: the quote check never calls that below the minimum.
    inputs = AuditTimeInputs(
        tuple(standards),
        personnel,
        sector_code=sector,
        sites=sites,
        complexity={t: allowed_level(t, sector, level) for t in ("ems", "ohs")},
        adjustments=(Adjustment("f", md5),),
        integration_saving_percent=md11,
        site_reduction_percent=md1,
    )
    offered = Decimal(float(round_half_day(compute_figures(inputs).exact_initial, tie_down=tie_down)))
    minimum = least_initial_days(standards, personnel, sector_code=sector, sites=sites)
    assert check_days(offered, offered, minimum).verdict != DaysVerdict.BELOW_MINIMUM


def allowed_level(table: str, sector: int | None, level: Complexity) -> Complexity:
    """`level` where the body may choose it for the sector, else the sector's first category."""
    possible = possible_complexities(table, sector)
    return level if level in possible else possible[0]


# 5. Standards outside MD 5: named, and no number invented.


@pytest.mark.parametrize(
    ("code", "document"),
    [
        ("ISO/IEC 27001", "ISO/IEC 27006-1"),
        ("ISO 22000", "ISO 22003-1"),
        ("ISO 50001", "ISO 50003"),
        ("ISO 13485", "IAF MD 9"),
        ("ISO 37001", None),
    ],
)
def test_standards_outside_md5_name_their_document_and_show_no_number(code, document):
    result = estimate([StandardSpec(code, None)], 40)
    assert result.days is None and result.without_table == (code,)
    assert result.notes[0].params == {"code": code, "document": document}


# 6. Effective personnel (IAF MD 5).


def test_part_time_staff_count_by_their_hours():
    # 90 full-time + 20 part-time at 20 of 40 hours = 90 + 10 = 100 effective personnel.
    people = effective_personnel(90, 20, 20, 40)
    assert people.count == 100
    assert effective_personnel(10, 3, 10, 40).count == 11  # 0.75 of a person rounds up to a whole one


def test_part_time_hours_must_fit_in_a_full_time_week():
    with pytest.raises(AuditTimeError) as error:
        effective_personnel(10, 2, 45, 40)
    assert error.value.field == "part_time_hours"


@given(st.integers(1, 5000), st.integers(0, 5000), st.integers(1, 40))
def test_effective_personnel_lies_between_the_full_time_staff_and_the_headcount(full, part, hours):
    count = effective_personnel(full, part, hours, 40).count
    assert full <= count <= full + part


# 7. The lead score reads the estimate's table.


def test_lead_score_high_sectors_are_those_with_a_high_default_in_the_estimates_table():
    for code in SECTORS_WITH_DEFAULTS:
        defaults = {default_complexity("ems", code), default_complexity("ohs", code)}
        assert (code in HIGH_COMPLEXITY_SECTORS) == (H in defaults)
        assert (code in MEDIUM_COMPLEXITY_SECTORS) == (H not in defaults and M in defaults)
    assert highest_complexity(11) == H  # nuclear: both tables left to the body, the tables' top category


def test_a_hospital_lead_scores_as_a_high_complexity_sector():
    factor = next(f for f in score_lead(LeadFacts(100, 1, sector_code=38)).factors if f.name == "sector")
    assert (factor.detail, factor.points) == ("sector_high", 10)
