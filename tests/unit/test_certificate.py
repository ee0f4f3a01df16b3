"""Certificate states (ISO/IEC 17021-1 9.6) and transfers (IAF MD 2), with worked dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.certificate import (
    Problem,
    State,
    StateChange,
    Transfer,
    current_state,
    state_problem,
    transfer_problem,
    transferred_schedule,
)
from portal.domain.schedule import initial_schedule

TODAY = date(2026, 12, 6)


def change(**overrides) -> StateChange:
    values = {
        "stored": "active",
        "target": "suspended",
        "on": TODAY,
        "reason": "Surveillance audit refused",
        "today": TODAY,
        "expiry": date(2028, 3, 9),
        "decision_date": date(2025, 3, 10),
    } | overrides
    return StateChange(**values)


def test_a_valid_certificate_reads_expired_the_day_after_its_expiry() -> None:
    assert current_state("active", date(2026, 12, 6), TODAY) == State.ACTIVE
    assert current_state("active", date(2026, 12, 5), TODAY) == State.EXPIRED
    assert current_state("restored", date(2026, 12, 5), TODAY) == State.EXPIRED


def test_a_withdrawn_or_suspended_certificate_keeps_its_state_after_expiry() -> None:
    assert current_state("withdrawn", date(2026, 1, 1), TODAY) == State.WITHDRAWN
    assert current_state("suspended", date(2026, 1, 1), TODAY) == State.SUSPENDED


@pytest.mark.parametrize(
    ("stored", "target", "allowed"),
    [
        ("active", "suspended", True),
        ("restored", "suspended", True),
        ("suspended", "restored", True),
        ("active", "restored", False),  # only a suspension is lifted
        ("suspended", "suspended", False),
        ("suspended", "withdrawn", True),
        ("active", "withdrawn", True),
        ("withdrawn", "restored", False),  # withdrawal is final: a new certification follows
        ("withdrawn", "suspended", False),
    ],
)
def test_which_states_follow_which(stored: str, target: str, allowed: bool) -> None:
    found = state_problem(change(stored=stored, target=target))
    assert (found is None) == allowed
    if not allowed:
        assert found == Problem.NOT_FROM_STATE


def test_a_state_needs_a_certificate_a_reason_and_a_plausible_date() -> None:
    assert state_problem(change(expiry=None)) == Problem.NO_CERTIFICATE
    assert state_problem(change(target="expired")) == Problem.UNKNOWN_STATE  # expired is never recorded
    assert state_problem(change(reason="  ")) == Problem.REASON_REQUIRED
    assert state_problem(change(on=TODAY + timedelta(days=1))) == Problem.DATE_IN_FUTURE
    assert state_problem(change(on=date(2025, 3, 9))) == Problem.DATE_BEFORE_DECISION


def test_an_expired_certificate_is_not_suspended_but_renewed_or_restored() -> None:
    assert state_problem(change(expiry=date(2026, 11, 30))) == Problem.NOT_FROM_STATE
    # Nor is a suspension lifted after the certificate expired: recertification restores it (9.6.3.2.5).
    lifted = change(stored="suspended", target="restored", expiry=date(2026, 11, 30))
    assert state_problem(lifted) == Problem.NOT_FROM_STATE
    # Recorded as of a day before expiry, it is still possible.
    assert state_problem(change(expiry=date(2026, 11, 30), on=date(2026, 11, 29))) is None


def transfer(**overrides) -> Transfer:
    values = {
        "expiry": date(2027, 6, 30),
        "eligible": True,
        "review_date": TODAY,
        "reviewer": "A. Reviewer",
        "review_outcome": "accepted",
        "today": TODAY,
    } | overrides
    return Transfer(**values)


def test_only_a_valid_eligible_reviewed_certificate_is_transferred() -> None:
    assert transfer_problem(transfer()) is None
    assert transfer_problem(transfer(expiry=TODAY)) is None  # valid through its expiry day
    assert transfer_problem(transfer(eligible=False)) == Problem.NOT_ELIGIBLE
    assert transfer_problem(transfer(expiry=TODAY - timedelta(days=1))) == Problem.EXPIRED_CERTIFICATE
    assert transfer_problem(transfer(reviewer=" ")) == Problem.REVIEWER_REQUIRED
    assert transfer_problem(transfer(review_date=TODAY + timedelta(days=1))) == Problem.REVIEW_IN_FUTURE
    assert transfer_problem(transfer(review_outcome="refused")) == Problem.UNKNOWN_OUTCOME


def test_a_transferred_certificate_keeps_its_cycle() -> None:
    """Issued on 10 March 2025 (expiry 9 March 2028): surveillance stays due 10 March 2026 and 2027."""
    schedule = transferred_schedule(date(2028, 3, 9))
    assert schedule == initial_schedule(date(2025, 3, 10))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_a_transfer_never_moves_the_issuing_bodys_dates(decision: date) -> None:
    """Whatever the decision date, the transfer rebuilds the issuing body's schedule from the expiry alone."""
    original = initial_schedule(decision)
    transferred = transferred_schedule(original.expiry)
    assert transferred.expiry == original.expiry
    assert transferred.surveillance_2_due == original.surveillance_2_due
    assert transferred.recertification_due == original.recertification_due
