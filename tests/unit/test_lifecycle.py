"""The engagement stage machine: every pair of stages, the notes, reasons and guards."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import lifecycle
from portal.domain.lifecycle import CLOSED, CYCLE, ON_HOLD, STAGES, Move, Problem

TODAY = date(2026, 5, 10)

# Written out by hand from the issue, not derived from the module under test.
FORWARD_STEPS = {
    ("gap_analysis", "implementation"),
    ("implementation", "internal_audit"),
    ("internal_audit", "registrar_selection"),
    ("registrar_selection", "stage1_audit"),
    ("stage1_audit", "stage2_audit"),
    ("stage2_audit", "certified"),
    ("certified", "surveillance_1"),
    ("surveillance_1", "surveillance_2"),
    ("surveillance_2", "recertification"),
    ("recertification", "certified"),
}
WORKING = [
    "gap_analysis",
    "implementation",
    "internal_audit",
    "registrar_selection",
    "stage1_audit",
    "stage2_audit",
    "certified",
    "surveillance_1",
    "surveillance_2",
    "recertification",
]


def move(current: str, target: str, **extra) -> Move:
    """A move whose guards are all satisfied unless `extra` says otherwise."""
    values = {
        "has_accepted_quote": True,
        "certificate_number": "QMS-2026-0042",
        "decision_date": TODAY,
        "reason": "no_budget" if target == CLOSED else "",
        **extra,
    }
    return Move(current=current, target=target, today=TODAY, **values)


def test_the_stages_are_the_cycle_plus_hold_and_closed() -> None:
    assert list(CYCLE) == WORKING
    assert set(STAGES) == {*WORKING, ON_HOLD, CLOSED}


@pytest.mark.parametrize(("current", "target"), sorted(FORWARD_STEPS))
def test_one_step_forward_needs_no_note(current: str, target: str) -> None:
    assert lifecycle.problem(move(current, target)) is None
    assert lifecycle.reachable(current)[0] == target


SKIPS_AND_BACKS = [
    (current, target)
    for current, target in itertools.permutations(WORKING, 2)
    if (current, target) not in FORWARD_STEPS
]


@pytest.mark.parametrize(("current", "target"), SKIPS_AND_BACKS)
def test_skipping_or_going_back_needs_a_note(current: str, target: str) -> None:
    assert lifecycle.problem(move(current, target)) is Problem.NOTE_REQUIRED
    assert lifecycle.problem(move(current, target, note="   ")) is Problem.NOTE_REQUIRED
    assert lifecycle.problem(move(current, target, note="Client already had stage 1 elsewhere")) is None


@pytest.mark.parametrize("current", WORKING)
def test_every_working_stage_may_go_on_hold_or_close_without_a_note(current: str) -> None:
    assert lifecycle.problem(move(current, ON_HOLD)) is None
    assert lifecycle.problem(move(current, CLOSED, reason="won_elsewhere")) is None


@pytest.mark.parametrize("held", WORKING)
def test_on_hold_resumes_only_where_it_was_or_closes(held: str) -> None:
    assert lifecycle.reachable(ON_HOLD, held) == [held, CLOSED]
    assert lifecycle.problem(move(ON_HOLD, held, stage_before_hold=held)) is None
    assert lifecycle.problem(move(ON_HOLD, CLOSED, stage_before_hold=held)) is None
    for other in WORKING:
        if other != held:
            refused = lifecycle.problem(move(ON_HOLD, other, stage_before_hold=held, note="why not"))
            assert refused is Problem.NOT_FROM_HOLD


def test_on_hold_cannot_go_on_hold_again() -> None:
    assert lifecycle.problem(move(ON_HOLD, ON_HOLD, stage_before_hold="implementation")) is Problem.SAME_STAGE


@pytest.mark.parametrize("target", STAGES)
def test_closed_is_final(target: str) -> None:
    assert lifecycle.problem(move(CLOSED, target, note="reopen")) is Problem.ALREADY_CLOSED
    assert lifecycle.reachable(CLOSED) == []


@pytest.mark.parametrize("stage", WORKING)
def test_moving_to_the_same_stage_is_refused(stage: str) -> None:
    assert lifecycle.problem(move(stage, stage, note="again")) is Problem.SAME_STAGE


@pytest.mark.parametrize(("current", "target"), [("gap_analysis", "finished"), ("somewhere", "implementation")])
def test_unknown_stages_are_refused(current: str, target: str) -> None:
    assert lifecycle.problem(move(current, target, note="x")) is Problem.UNKNOWN_STAGE


@given(st.sampled_from(STAGES), st.sampled_from(STAGES), st.sampled_from([None, *WORKING]), st.text(max_size=5))
def test_the_reachable_list_and_the_checks_agree(current: str, target: str, held: str | None, note: str) -> None:
    """Whatever the input, a move is allowed only to a stage the page would offer."""
    result = lifecycle.problem(move(current, target, stage_before_hold=held, note=note))
    if result is None:
        assert target in lifecycle.reachable(current, held)


def test_closing_needs_a_known_reason() -> None:
    assert lifecycle.problem(move("implementation", CLOSED, reason="")) is Problem.REASON_REQUIRED
    assert lifecycle.problem(move("implementation", CLOSED, reason="bored")) is Problem.UNKNOWN_REASON
    for reason in ("won_elsewhere", "no_budget", "no_response", "certificate_withdrawn"):
        assert lifecycle.problem(move("implementation", CLOSED, reason=reason)) is None


def test_closing_for_another_reason_needs_a_note() -> None:
    assert lifecycle.problem(move("implementation", CLOSED, reason="other")) is Problem.NOTE_REQUIRED
    assert lifecycle.problem(move("implementation", CLOSED, reason="other", note="Merged group")) is None


def test_stage1_audit_needs_an_accepted_quote_even_with_a_note() -> None:
    assert lifecycle.problem(move("registrar_selection", "stage1_audit", has_accepted_quote=False)) is (
        Problem.QUOTE_REQUIRED
    )
    skipped = move("implementation", "stage1_audit", has_accepted_quote=False, note="fast track")
    assert lifecycle.problem(skipped) is Problem.QUOTE_REQUIRED
    assert lifecycle.problem(move("registrar_selection", "stage1_audit", has_accepted_quote=True)) is None


def test_other_stages_do_not_look_at_quotes() -> None:
    assert lifecycle.problem(move("stage1_audit", "stage2_audit", has_accepted_quote=False)) is None


@pytest.mark.parametrize("current", ["stage2_audit", "recertification"])
def test_certified_needs_a_certificate_number_and_a_decision_date(current: str) -> None:
    assert lifecycle.problem(move(current, "certified", certificate_number=" ")) is (
        Problem.CERTIFICATE_NUMBER_REQUIRED
    )
    assert lifecycle.problem(move(current, "certified", decision_date=None)) is Problem.DECISION_DATE_REQUIRED
    tomorrow = TODAY + timedelta(days=1)
    assert lifecycle.problem(move(current, "certified", decision_date=tomorrow)) is Problem.DECISION_DATE_IN_FUTURE
    assert lifecycle.problem(move(current, "certified")) is None


def test_every_problem_names_the_form_field_it_belongs_to() -> None:
    assert set(lifecycle.FIELDS) == set(Problem)


def test_only_recertification_to_certified_renews_the_cycle() -> None:
    assert lifecycle.starts_new_cycle("recertification", "certified")
    assert not lifecycle.starts_new_cycle("stage2_audit", "certified")


def test_the_database_knows_the_same_stages() -> None:
    from portal.models import ENGAGEMENT_STAGES

    assert set(ENGAGEMENT_STAGES) == set(STAGES)
