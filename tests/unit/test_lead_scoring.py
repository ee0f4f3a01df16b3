"""Lead score: each factor, its bounds, and that more promise never scores less."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.email_kind import EmailKind
from portal.domain.lead_scoring import (
    MAX_SCORE,
    TIMELINE_MONTHS,
    UNKNOWN_POINTS,
    LeadFacts,
    months_to_target,
    score_lead,
)

BASE = LeadFacts(employees=20, standards=1)


def points(facts: LeadFacts, name: str) -> int:
    return next(f.points for f in score_lead(facts).factors if f.name == name)


facts_strategy = st.builds(
    LeadFacts,
    employees=st.integers(1, 1_000_000),
    standards=st.integers(0, 14),
    sites=st.integers(1, 500),
    months_to_target=st.none() | st.floats(0, 60),
    timeline_given=st.booleans(),
    sector_code=st.none() | st.integers(1, 39),
    email_kind=st.sampled_from(EmailKind),
    has_existing_certifications=st.booleans(),
    has_phone=st.booleans(),
    has_message=st.booleans(),
    has_job_title=st.booleans(),
    has_readiness=st.booleans(),
    has_estimate=st.booleans(),
)


@pytest.mark.parametrize(
    ("employees", "expected"), [(1, 5), (9, 5), (10, 10), (49, 10), (50, 17), (250, 22), (999, 22), (1000, 25)]
)
def test_size_points_follow_the_number_of_employees(employees, expected):
    assert points(replace(BASE, employees=employees), "size") == expected


@pytest.mark.parametrize(("count", "expected"), [(0, 0), (1, 7), (2, 11), (3, 15), (9, 15)])
def test_several_standards_score_more(count, expected):
    assert points(replace(BASE, standards=count), "standards") == expected


@pytest.mark.parametrize(("months", "expected"), [(1, 20), (3, 20), (5, 15), (12, 10), (18, 4), (None, 2)])
def test_a_near_target_date_scores_more(months, expected):
    assert points(replace(BASE, months_to_target=months), "timeline") == expected


# Education (37) is OH&S medium and hospitals (38) OH&S high in IAF MD 5's annex: the estimate's table decides.
@pytest.mark.parametrize(("code", "expected"), [(28, 10), (12, 10), (38, 10), (3, 6), (37, 6), (33, 3)])
def test_complex_sectors_score_more(code, expected):
    assert points(replace(BASE, sector_code=code), "sector") == expected


def test_completeness_and_attachments_add_their_points():
    full = replace(BASE, has_phone=True, has_message=True, has_job_title=True, has_readiness=True, has_estimate=True)
    assert points(full, "completeness") == 5
    assert points(full, "prepared") == 10
    assert points(replace(BASE, has_readiness=True), "prepared") == 6
    assert points(replace(BASE, has_existing_certifications=True), "existing_certifications") == 5


def test_the_most_promising_lead_scores_exactly_the_maximum():
    best = LeadFacts(
        employees=5000,
        standards=4,
        sites=10,
        months_to_target=1,
        sector_code=28,
        has_existing_certifications=True,
        has_phone=True,
        has_message=True,
        has_job_title=True,
        has_readiness=True,
        has_estimate=True,
    )
    assert score_lead(best).score == MAX_SCORE


def test_wanted_by_date_wins_over_the_timeline_choice():
    today = date(2026, 1, 1)
    assert months_to_target("over_12_months", date(2026, 2, 1), today) == pytest.approx(1.02, abs=0.01)
    assert months_to_target("within_3_months", None, today) == 3
    assert months_to_target("", None, today) is None
    assert set(TIMELINE_MONTHS) >= {"within_3_months", "not_sure"}


@given(facts_strategy)
def test_score_is_bounded_and_equals_the_sum_of_its_factors(facts):
    result = score_lead(facts)
    assert 0 <= result.score <= MAX_SCORE
    assert result.score == sum(f.points for f in result.factors)
    assert all(f.explanation for f in result.factors)


@given(facts_strategy, st.integers(0, 1_000_000), st.integers(0, 10), st.integers(0, 400))
def test_more_employees_standards_or_sites_never_lower_the_score(facts, more_people, more_standards, more_sites):
    bigger = replace(
        facts,
        employees=facts.employees + more_people,
        standards=facts.standards + more_standards,
        sites=facts.sites + more_sites,
    )
    assert score_lead(bigger).score >= score_lead(facts).score


@given(facts_strategy, st.floats(0, 60), st.floats(0, 60))
def test_a_sooner_target_never_lowers_the_score(facts, a, b):
    sooner, later = sorted((a, b))
    assert (
        score_lead(replace(facts, months_to_target=sooner)).score
        >= score_lead(replace(facts, months_to_target=later)).score
    )


@given(
    facts_strategy,
    st.sampled_from(
        ["has_existing_certifications", "has_phone", "has_message", "has_job_title", "has_readiness", "has_estimate"]
    ),
)
def test_giving_more_information_never_lowers_the_score(facts, flag):
    assert score_lead(replace(facts, **{flag: True})).score >= score_lead(replace(facts, **{flag: False})).score


@given(facts_strategy)
def test_a_known_target_scores_at_least_not_sure(facts):
    assert points(replace(facts, months_to_target=60), "timeline") >= points(
        replace(facts, months_to_target=None), "timeline"
    )


# Unknown is not zero: an answer left out of the short enquiry form.

# factor: (the LeadFacts field, its least and its most promising answers)
KNOWN_ANSWERS = {"size": ("employees", 1, 5000), "sites": ("sites", 1, 10), "sector": ("sector_code", 33, 28)}


@pytest.mark.parametrize(
    ("field", "value", "name"), [("employees", None, "size"), ("sites", None, "sites"), ("sector_code", None, "sector")]
)
def test_an_answer_not_given_scores_the_middle_of_its_factor_not_zero(field, value, name):
    assert points(replace(BASE, **{field: value}), name) == UNKNOWN_POINTS[name] > 0


def test_a_timeline_not_given_scores_more_than_not_sure_and_less_than_soon():
    unknown = points(replace(BASE, timeline_given=False), "timeline")
    assert unknown == UNKNOWN_POINTS["timeline"]
    assert points(replace(BASE, months_to_target=None), "timeline") < unknown  # "not sure yet" is an answer
    assert points(replace(BASE, months_to_target=2), "timeline") > unknown


@given(facts_strategy, st.sampled_from(sorted(KNOWN_ANSWERS)))
def test_an_unknown_answer_scores_between_the_least_and_the_most_promising_answer(facts, name):
    field, least, most = KNOWN_ANSWERS[name]
    unknown = replace(facts, **{field: None})
    assert (
        points(replace(facts, **{field: least}), name)
        < points(unknown, name)
        < points(replace(facts, **{field: most}), name)
    )
    assert "not given" in next(f.explanation for f in score_lead(unknown).factors if f.name == name)


@given(facts_strategy)
def test_a_free_mail_or_disposable_address_scores_less_than_a_company_address(facts):
    company = score_lead(replace(facts, email_kind=EmailKind.COMPANY)).score
    for kind in (EmailKind.FREE, EmailKind.DISPOSABLE):
        assert score_lead(replace(facts, email_kind=kind)).score == company - 5
