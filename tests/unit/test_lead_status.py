"""The lead status rules: the normal path, closing with a reason, reopening, and what is refused."""

from __future__ import annotations

import pytest

from portal.domain import lead_status as ls
from portal.domain.lead_status import TransitionProblem, manual_next, transition_problem


@pytest.mark.parametrize(
    ("current", "new"),
    [("new", "contacted"), ("contacted", "qualified"), ("unqualified", "new")],
)
def test_normal_path_and_reopen_are_allowed(current: str, new: str) -> None:
    assert transition_problem(current, new) is None


@pytest.mark.parametrize("current", sorted(ls.OPEN_STATUSES))
@pytest.mark.parametrize("closed", ["unqualified", "spam"])
def test_open_leads_close_as_unqualified_or_spam_only_with_a_reason(current: str, closed: str) -> None:
    assert transition_problem(current, closed, "") is TransitionProblem.REASON_REQUIRED
    assert transition_problem(current, closed, "   ") is TransitionProblem.REASON_REQUIRED
    assert transition_problem(current, closed, "No budget this year") is None


@pytest.mark.parametrize(
    ("current", "new"),
    [
        ("new", "qualified"),  # skipping contacted
        ("contacted", "new"),
        ("qualified", "contacted"),
        ("spam", "new"),
        ("spam", "contacted"),
        ("converted", "qualified"),
        ("converted", "unqualified"),
        ("unqualified", "qualified"),
        ("new", "converted"),
        ("contacted", "converted"),
    ],
)
def test_other_moves_are_refused(current: str, new: str) -> None:
    assert transition_problem(current, new, "a reason") is TransitionProblem.NOT_ALLOWED


def test_converted_is_reached_only_through_conversion() -> None:
    assert transition_problem("qualified", "converted") is TransitionProblem.NEEDS_CONVERSION
    assert transition_problem("qualified", "converted", via_conversion=True) is None


def test_same_and_unknown_statuses_are_refused() -> None:
    assert transition_problem("new", "new") is TransitionProblem.SAME_STATUS
    assert transition_problem("new", "archived") is TransitionProblem.UNKNOWN_STATUS


def test_status_form_offers_the_allowed_manual_moves_in_path_order() -> None:
    assert manual_next("new") == ["contacted", "unqualified", "spam"]
    assert manual_next("contacted") == ["qualified", "unqualified", "spam"]
    assert manual_next("qualified") == ["unqualified", "spam"]
    assert manual_next("unqualified") == ["new"]
    assert manual_next("converted") == []
    assert manual_next("spam") == []


def test_every_status_of_the_model_has_its_transitions() -> None:
    from portal.models import LEAD_STATUSES

    assert set(ls.TRANSITIONS) == set(LEAD_STATUSES)
