"""When a superseded edition's certificates end: what the pages and the reminders say."""

from __future__ import annotations

from datetime import date

from portal.domain.editions import TransitionState, transition_ending_soon, transition_state

ENDS = date(2025, 10, 31)  # IAF MD 26: the last day of ISO/IEC 27001:2013 certificates


def test_a_transition_runs_through_its_last_day_then_is_recently_ended_for_a_year():
    assert transition_state(ENDS, date(2025, 10, 31)) is TransitionState.RUNNING
    assert transition_state(ENDS, date(2025, 11, 1)) is TransitionState.RECENTLY_ENDED
    assert transition_state(ENDS, date(2026, 10, 31)) is TransitionState.RECENTLY_ENDED
    assert transition_state(ENDS, date(2026, 11, 1)) is None


def test_no_transition_end_recorded_means_nothing_to_say():
    assert transition_state(None, date(2026, 1, 1)) is None
    assert not transition_ending_soon(None, date(2026, 1, 1))


def test_ending_soon_within_six_months_not_after_it_ended_nor_too_early():
    assert transition_ending_soon(ENDS, date(2025, 10, 31))
    assert transition_ending_soon(ENDS, date(2025, 5, 1))
    assert not transition_ending_soon(ENDS, date(2025, 4, 30))
    assert not transition_ending_soon(ENDS, date(2025, 11, 1))
