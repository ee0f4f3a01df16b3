"""Registrar matching: every body eligible or excluded with its reasons, a score in parts, a stable order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.matching import _Context, accreditation_filter, accreditation_reasons, add_months, is_usable, match
from portal.domain.matching_types import (
    AccreditationBodyInfo,
    AccreditationFilter,
    AccreditationInfo,
    BodyInfo,
    EngagementNeeds,
    MatchSettings,
    Reason,
    StandardNeed,
    TrackRecord,
    WarningKind,
)
from portal.domain.md5_tables import Complexity

TODAY = date(2026, 11, 25)
TARGET = date(2027, 6, 1)
QMS = StandardNeed("ISO 9001", "qms", "quality")
OHS = StandardNeed("ISO 45001", "ohs", "ohs")
ISMS = StandardNeed("ISO/IEC 27001", None, "information_security")
GAC = AccreditationBodyInfo("GAC", "GCC Accreditation Center", True, frozenset({"QMS", "EMS", "OHSMS", "ISMS"}))
UKAS = AccreditationBodyInfo("UKAS", "UKAS", True, frozenset())  # sub-scopes not recorded
FAKE = AccreditationBodyInfo("UK-ABCB", "Look-alike", False)
ABS = (GAC, UKAS, FAKE)
NEEDS = EngagementNeeds(
    standards=(QMS, OHS),
    personnel=40,
    sector_code=28,
    region="sohar",
    governorate="north-al-batinah",
    language="ar",
    target_date=TARGET,
)


def body(body_id: int, name: str | None = None, **overrides) -> BodyInfo:
    values = {
        "day_rate": Decimal("300"),
        "serves_all_oman": True,
        "languages": frozenset({"ar", "en"}),
        "lead_time_days": 30,
    }
    values.update(overrides)
    return BodyInfo(body_id, name or f"Body {body_id:04d}", **values)


def accreditation(acc_id: int, body_id: int, standard: StandardNeed = QMS, **overrides) -> AccreditationInfo:
    values = {
        "accreditation_body": "GAC",
        "sectors": frozenset({28, 33}),
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2029, 1, 1),
        "status": "active",
        "number": f"ACC-{acc_id}",
    }
    values.update(overrides)
    return AccreditationInfo(acc_id, body_id, standard=standard.code, **values)


def both(body_id: int, first_id: int, **overrides) -> list[AccreditationInfo]:
    return [accreditation(first_id, body_id, QMS, **overrides), accreditation(first_id + 1, body_id, OHS, **overrides)]


def run(bodies, accreditations, needs=NEEDS, records=None, settings=None):
    return match(needs, bodies, accreditations, ABS, records, today=TODAY, settings=settings)


def excluded_reasons(result, body_id: int) -> set[tuple[str, str | None]]:
    found = next(e for e in result.excluded if e.body.id == body_id)
    return {(finding.kind, finding.standard) for finding in found.reasons}


def test_accredited_body_is_eligible_with_an_integrated_audit_and_its_three_year_cost():
    result = run([body(1)], both(1, 10))
    (candidate,) = result.eligible
    assert candidate.covered == (QMS.code, OHS.code)
    coverage = next(p for p in candidate.parts if p.name == "coverage")
    assert coverage.points == 30 and coverage.params["integrated"] is True
    # 40 staff, construction (OH&S high): 4 + 7 = 11 days, 10% integrated saving -> 10 initial, 3.5 per surveillance.
    assert candidate.estimate.days.initial == Decimal("10")
    assert candidate.three_year_cost == Decimal("300") * (Decimal("10") + 2 * Decimal("3.5"))
    assert result.excluded == ()


@pytest.mark.parametrize(
    ("accreditation_overrides", "reason"),
    [
        ({"sectors": frozenset({33})}, Reason.SECTOR_NOT_IN_SCOPE),
        ({"status": "suspended"}, Reason.SUSPENDED),
        ({"status": "withdrawn"}, Reason.WITHDRAWN),
        ({"valid_from": date(2020, 1, 1), "valid_until": date(2026, 1, 1)}, Reason.EXPIRED),
        ({"valid_until": date(2027, 3, 1)}, Reason.EXPIRES_BEFORE_TARGET),
        ({"valid_from": date(2027, 9, 1), "valid_until": date(2030, 9, 1)}, Reason.NOT_YET_VALID),
        ({"accreditation_body": "UK-ABCB"}, Reason.NOT_MLA_SIGNATORY),
        ({"accreditation_body": "NOT-IN-DIRECTORY"}, Reason.NOT_MLA_SIGNATORY),
    ],
)
def test_each_accreditation_problem_excludes_the_body_with_that_reason(accreditation_overrides, reason):
    result = run([body(1)], both(1, 10, **accreditation_overrides))
    assert result.eligible == ()
    assert excluded_reasons(result, 1) == {(reason, QMS.code), (reason, OHS.code)}


def test_mla_signatory_without_the_standards_subscope_is_excluded():
    gac_qms_only = replace(GAC, mla_scopes=frozenset({"QMS"}))
    result = match(NEEDS, [body(1)], both(1, 10), [gac_qms_only], today=TODAY)
    (candidate,) = result.eligible
    assert candidate.covered == (QMS.code,)
    assert {(f.kind, f.standard) for f in candidate.not_covered} == {(Reason.MLA_SUBSCOPE_MISSING, OHS.code)}


BCMS = StandardNeed("ISO 22301", None, "business_continuity", scope_scheme="own_wording")
ABMS = StandardNeed("ISO 37001", None, "anti_bribery", scope_scheme="own_wording")
ENMS = StandardNeed("ISO 50001", None, "energy", scope_scheme="energy_area")
ISMS_OWN = replace(ISMS, scope_scheme="own_wording")


def test_22301_and_37001_need_the_main_scope_not_a_sub_scope_that_does_not_exist():
    """IAF MLA Annex 1 (2022): no sub-scope for ISO 22301 or ISO 37001, so ISO/IEC 17021-1 counts."""
    main_only = AccreditationBodyInfo("GAC", "GCC Accreditation Center", True, frozenset({"MS"}))
    needs = replace(NEEDS, standards=(BCMS, ABMS, QMS))
    accreditations = [accreditation(10 + i, 1, need) for i, need in enumerate(needs.standards)]
    result = match(needs, [body(1)], accreditations, [main_only], today=TODAY)
    (candidate,) = result.eligible
    assert candidate.covered == (BCMS.code, ABMS.code)
    (reason,) = candidate.not_covered
    assert (reason.kind, reason.standard, reason.params["subscope"]) == (Reason.MLA_SUBSCOPE_MISSING, QMS.code, "QMS")


def test_a_signatory_only_for_other_main_scopes_is_not_recognised_for_22301():
    product_only = AccreditationBodyInfo("GAC", "GCC Accreditation Center", True, frozenset({"PRODUCT"}))
    needs = replace(NEEDS, standards=(BCMS,))
    result = match(needs, [body(1)], [accreditation(10, 1, BCMS)], [product_only], today=TODAY)
    assert excluded_reasons(result, 1) == {(Reason.MLA_MAIN_SCOPE_MISSING, BCMS.code)}


@pytest.mark.parametrize("need", [ENMS, ISMS_OWN])
def test_standards_not_scoped_by_iaf_sectors_never_compare_the_clients_sector(need):
    """ISO 50001 is scoped by ISO 50003 technical areas, ISO/IEC 27001 by the body's own wording."""
    needs = replace(NEEDS, standards=(need,))
    no_sectors = accreditation(10, 1, need, sectors=frozenset(), accreditation_body="UKAS")
    result = run([body(1)], [no_sectors], needs=needs)
    assert [c.covered for c in result.eligible] == [(need.code,)]
    assert need.code not in accreditation_filter(needs, TODAY).sector_scoped


def test_no_accreditation_for_any_wanted_standard():
    result = run([body(1)], [accreditation(10, 1, ISMS)])
    assert excluded_reasons(result, 1) == {(Reason.NO_ACCREDITATION, QMS.code), (Reason.NO_ACCREDITATION, OHS.code)}


def test_inactive_body_is_excluded():
    result = run([body(1, active=False)], both(1, 10))
    assert excluded_reasons(result, 1) == {(Reason.INACTIVE, None)}


def test_region_not_served_excludes_unless_the_body_charges_travel():
    elsewhere = {"serves_all_oman": False, "regions": frozenset({"muscat"})}
    result = run(
        [body(1, **elsewhere), body(2, **elsewhere, travel_charged=True, travel_fee=Decimal("150"))],
        both(1, 10) + both(2, 20),
    )
    assert excluded_reasons(result, 1) == {(Reason.REGION_NOT_SERVED, None)}
    (travelling,) = result.eligible
    assert travelling.body.id == 2
    assert WarningKind.TRAVEL_CHARGED in {w.kind for w in travelling.warnings}
    assert travelling.three_year_cost == Decimal("300") * 17 + 4 * Decimal("150")


def test_region_served_through_its_governorate():
    result = run([body(1, serves_all_oman=False, regions=frozenset({"north-al-batinah"}))], both(1, 10))
    assert [c.body.id for c in result.eligible] == [1]


def test_every_reason_is_listed_not_just_the_first():
    bad = body(1, active=False, serves_all_oman=False, regions=frozenset({"muscat"}))
    accreditations = [
        accreditation(10, 1, QMS, status="suspended", sectors=frozenset({33}), accreditation_body="UK-ABCB"),
        accreditation(11, 1, QMS, valid_from=date(2020, 1, 1), valid_until=date(2026, 1, 1)),
    ]
    assert excluded_reasons(run([bad], accreditations), 1) == {
        (Reason.INACTIVE, None),
        (Reason.REGION_NOT_SERVED, None),
        (Reason.SUSPENDED, QMS.code),
        (Reason.SECTOR_NOT_IN_SCOPE, QMS.code),
        (Reason.NOT_MLA_SIGNATORY, QMS.code),
        (Reason.EXPIRED, QMS.code),
        (Reason.NO_ACCREDITATION, OHS.code),
    }


def test_partial_coverage_is_eligible_for_the_standards_covered():
    result = run([body(1), body(2)], both(1, 10) + [accreditation(20, 2, QMS)])
    partial = next(c for c in result.eligible if c.body.id == 2)
    assert partial.covered == (QMS.code,)
    assert [(f.kind, f.standard) for f in partial.not_covered] == [(Reason.NO_ACCREDITATION, OHS.code)]
    assert WarningKind.PARTIAL_COVERAGE in {w.kind for w in partial.warnings}
    assert partial.estimate.days.initial == Decimal("4")  # ISO 9001 alone
    assert [c.body.id for c in result.eligible] == [1, 2]  # full coverage ranks first


def test_expiry_within_six_months_after_the_target_is_a_warning():
    soon = run([body(1)], both(1, 10, valid_until=add_months(TARGET, 5)))
    later = run([body(1)], both(1, 10, valid_until=add_months(TARGET, 7)))
    warnings = [w for w in soon.eligible[0].warnings if w.kind == WarningKind.EXPIRES_SOON]
    assert [w.standard for w in warnings] == [QMS.code, OHS.code]
    assert warnings[0].params == {
        "number": "ACC-10",
        "valid_until": add_months(TARGET, 5),
        "target": TARGET,
        "months": 6,
    }
    assert not [w for w in later.eligible[0].warnings if w.kind == WarningKind.EXPIRES_SOON]


def test_without_a_target_date_expiry_within_six_months_from_today_is_a_warning():
    needs = replace(NEEDS, target_date=None)
    soon = run([body(1)], both(1, 10, valid_until=add_months(TODAY, 5)), needs=needs)
    [warning, _other] = [w for w in soon.eligible[0].warnings if w.kind == WarningKind.EXPIRES_SOON]
    assert warning.params["target"] is None
    later = run([body(1)], both(1, 10, valid_until=add_months(TODAY, 7)), needs=needs)
    assert not [w for w in later.eligible[0].warnings if w.kind == WarningKind.EXPIRES_SOON]


def test_a_valid_accreditation_wins_over_an_expired_one_for_the_same_standard():
    accreditations = both(1, 10) + [
        accreditation(12, 1, QMS, valid_from=date(2019, 1, 1), valid_until=date(2022, 1, 1))
    ]
    assert run([body(1)], accreditations).eligible[0].covered == (QMS.code, OHS.code)


def test_non_signatories_can_be_admitted_by_setting():
    result = run([body(1)], both(1, 10, accreditation_body="UK-ABCB"), settings=MatchSettings(require_mla=False))
    assert [c.body.id for c in result.eligible] == [1]


def test_sector_is_not_checked_for_standards_scoped_otherwise():
    food = StandardNeed("ISO 22000", None, "food_safety", scope_scheme="food_chain")
    needs = replace(NEEDS, standards=(food,))
    result = run([body(1)], [accreditation(10, 1, food, sectors=frozenset(), accreditation_body="UKAS")], needs=needs)
    assert [c.body.id for c in result.eligible] == [1]
    assert result.eligible[0].three_year_cost is None  # no MD 5 table: no days, no cost


def test_cheaper_body_scores_more_on_cost_and_missing_language_scores_none():
    result = run(
        [body(1, day_rate=Decimal("400")), body(2, day_rate=Decimal("250"), languages=frozenset({"en"}))],
        both(1, 10) + both(2, 20),
    )
    parts = {c.body.id: {p.name: p.points for p in c.parts} for c in result.eligible}
    assert parts[2]["cost"] == 30 and parts[1]["cost"] == 0
    assert parts[2]["language"] == 0 and parts[1]["language"] == 10
    cheaper = next(c for c in result.eligible if c.body.id == 2)
    assert WarningKind.LANGUAGE_MISSING in {w.kind for w in cheaper.warnings}


def test_lead_time_against_the_target_date():
    quick = body(1, lead_time_days=30)
    late = body(2, lead_time_days=(TARGET - TODAY).days + 45)  # 45 of the 90 days late
    unknown = body(3, lead_time_days=None)
    result = run([quick, late, unknown], both(1, 10) + both(2, 20) + both(3, 30))
    points = {c.body.id: next(p.points for p in c.parts if p.name == "lead_time") for c in result.eligible}
    assert points == {1: 15, 2: Decimal("7.5"), 3: Decimal("7.5")}


def test_track_record_neutral_without_history_and_rewards_fast_answers():
    records = {1: TrackRecord(requested=4, answered=4, median_answer_days=1), 2: TrackRecord(4, 1, 20)}
    result = run([body(1), body(2), body(3)], both(1, 10) + both(2, 20) + both(3, 30), records=records)
    points = {c.body.id: next(p.points for p in c.parts if p.name == "track_record") for c in result.eligible}
    assert points == {1: 15, 2: Decimal("2.3"), 3: Decimal("7.5")}  # 15 x (0.6 x 1/4) = 2.25 -> 2.3


def test_ties_break_by_name_then_id():
    bodies = [body(3, "Beta"), body(2, "alpha"), body(1, "Beta")]
    result = run(bodies, both(1, 10) + both(2, 20) + both(3, 30))
    assert [c.body.id for c in result.eligible] == [2, 1, 3]


def test_complexity_override_changes_the_days():
    low = replace(NEEDS, complexity_overrides={"ohs": Complexity.LOW})
    # (4 + 4) less 10% = 7.2 days, to the nearest half day (IAF MD 5:2019 2.2.3)
    assert run([body(1)], both(1, 10), needs=low).eligible[0].estimate.days.initial == Decimal(7)


def test_matching_without_standards_is_refused():
    with pytest.raises(ValueError, match="at least one standard"):
        run([body(1)], [], needs=replace(NEEDS, standards=()))


# A random directory: bodies with random accreditations, activity, regions, rates and lead times.
@st.composite
def directories(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    bodies, accreditations = [], []
    for body_id in range(1, count + 1):
        bodies.append(
            body(
                body_id,
                draw(st.sampled_from(["Alpha", "Beta", "Gamma"])),
                active=draw(st.booleans()),
                serves_all_oman=draw(st.booleans()),
                travel_charged=draw(st.booleans()),
                day_rate=Decimal(draw(st.integers(min_value=100, max_value=600))),
                lead_time_days=draw(st.none() | st.integers(min_value=0, max_value=400)),
                languages=frozenset(draw(st.sets(st.sampled_from(["ar", "en"])))),
            )
        )
        for offset, standard in enumerate(draw(st.lists(st.sampled_from([QMS, OHS, ISMS]), max_size=4))):
            accreditations.append(
                accreditation(
                    body_id * 10 + offset,
                    body_id,
                    standard,
                    status=draw(st.sampled_from(["active", "active", "suspended", "withdrawn"])),
                    accreditation_body=draw(st.sampled_from(["GAC", "UKAS", "UK-ABCB"])),
                    sectors=frozenset(draw(st.sets(st.sampled_from([12, 28, 33]), min_size=1))),
                    valid_until=TODAY + timedelta(days=draw(st.integers(min_value=-400, max_value=1500))),
                    valid_from=date(2020, 1, 1),
                )
            )
    records = {
        b.id: TrackRecord(n, draw(st.integers(min_value=0, max_value=n)), draw(st.none() | st.floats(0, 30)))
        for b in bodies
        if (n := draw(st.integers(min_value=0, max_value=5)))
    }
    return bodies, accreditations, records


@given(directories(), st.randoms(use_true_random=False))
def test_every_body_once_eligible_xor_excluded_and_order_independent_of_input(directory, rnd):
    bodies, accreditations, records = directory
    result = run(bodies, accreditations, records=records)
    eligible_ids = [c.body.id for c in result.eligible]
    excluded_ids = [e.body.id for e in result.excluded]
    assert sorted(eligible_ids + excluded_ids) == sorted(b.id for b in bodies)
    assert not set(eligible_ids) & set(excluded_ids)
    assert all(e.reasons for e in result.excluded)
    assert all(c.body.active for c in result.eligible)

    shuffled_bodies, shuffled_accreditations = list(bodies), list(accreditations)
    rnd.shuffle(shuffled_bodies)
    rnd.shuffle(shuffled_accreditations)
    again = run(shuffled_bodies, shuffled_accreditations, records=records)
    assert [c.body.id for c in again.eligible] == eligible_ids
    assert [e.body.id for e in again.excluded] == excluded_ids
    assert [c.score for c in again.eligible] == [c.score for c in result.eligible]


@given(directories())
def test_score_parts_add_up_to_the_total_within_their_weights(directory):
    bodies, accreditations, records = directory
    for candidate in run(bodies, accreditations, records=records).eligible:
        assert candidate.score == sum(p.points for p in candidate.parts)
        assert all(0 <= p.points <= p.weight for p in candidate.parts)
        assert 0 <= candidate.score <= 100
    scores = [c.score for c in run(bodies, accreditations, records=records).eligible]
    assert scores == sorted(scores, reverse=True)


def test_body_without_a_day_rate_is_neutral_on_cost_not_the_cheapest():
    result = run([body(1, day_rate=Decimal("250")), body(2, day_rate=Decimal("0"))], both(1, 10) + both(2, 20))
    unknown = next(c for c in result.eligible if c.body.id == 2)
    cost = next(p for p in unknown.parts if p.name == "cost")
    assert cost.points == 15 and cost.params == {"known": False, "has_days": True}
    assert unknown.three_year_cost is None
    assert [c.body.id for c in result.eligible] == [1, 2]


@given(directories(), st.none() | st.integers(min_value=0, max_value=900))
def test_the_fast_usability_check_agrees_with_the_reasons(directory, days_to_target):
    """is_usable is the hot path; accreditation_reasons explains: they must never disagree."""
    needs = replace(NEEDS, target_date=None if days_to_target is None else TODAY + timedelta(days=days_to_target))
    context = _Context.build(needs, ABS, TODAY, MatchSettings())
    for acc in directory[1]:
        for need in (n for n in (QMS, OHS, ISMS) if n.code == acc.standard):
            assert is_usable(acc, need, context) == (not list(accreditation_reasons(acc, need, context)))


def passes(wanted: AccreditationFilter, acc: AccreditationInfo) -> bool:
    """The filter's contract, as a loader applies it in SQL."""
    in_scope = (
        wanted.sector_code is None or acc.standard not in wanted.sector_scoped or wanted.sector_code in acc.sectors
    )
    valid = acc.valid_from <= wanted.reference <= acc.valid_until
    return acc.status not in wanted.refused_statuses and valid and in_scope


def canonical(result) -> tuple:
    return (
        [
            (c.body, c.covered, c.not_covered, c.warnings, c.estimate, c.three_year_cost, c.parts)
            for c in result.eligible
        ],
        [(e.body, e.reasons) for e in result.excluded],
        result.estimate,
    )


@given(directories(), st.none() | st.integers(min_value=0, max_value=900), st.sampled_from([None, 12, 28]))
def test_matching_only_what_passes_the_filter_explained_from_all_changes_nothing(directory, days_to_target, sector):
    """A loader may fetch only the accreditations that pass accreditation_filter, and the rest on demand."""
    bodies, accreditations, records = directory
    target = None if days_to_target is None else TODAY + timedelta(days=days_to_target)
    needs = replace(NEEDS, standards=(QMS, OHS, ISMS), target_date=target, sector_code=sector)
    wanted = accreditation_filter(needs, TODAY)
    countable = [acc for acc in accreditations if passes(wanted, acc)]
    asked: list[int] = []

    def on_demand(body_id: int) -> list[AccreditationInfo]:
        asked.append(body_id)
        return [acc for acc in accreditations if acc.body_id == body_id]

    lazy = match(needs, bodies, countable, ABS, records, today=TODAY, explain_from=on_demand)
    assert not asked  # nothing is explained until a reason is read
    assert canonical(lazy) == canonical(run(bodies, accreditations, needs=needs, records=records))
