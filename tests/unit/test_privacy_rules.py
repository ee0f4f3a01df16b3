"""The personal-data clocks and the notice's plain-text format, as pure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from portal.domain.notice_text import Block, blocks, content_hash
from portal.domain.privacy_deadlines import ClockState, breach_clock, days_left, request_due_on, whole_hours

FOUND = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_the_clock_runs_until_the_deadline_then_is_overdue():
    running = breach_clock(FOUND, None, FOUND + timedelta(hours=71, minutes=59), 72)
    assert (running.state, whole_hours(running.elapsed), whole_hours(running.remaining)) == (ClockState.RUNNING, 71, 0)
    assert running.deadline == FOUND + timedelta(hours=72)
    overdue = breach_clock(FOUND, None, FOUND + timedelta(hours=80), 72)
    assert overdue.is_overdue and whole_hours(-overdue.remaining) == 8


def test_the_clock_stops_at_the_notification():
    on_time = breach_clock(FOUND, FOUND + timedelta(hours=72), FOUND + timedelta(days=30), 72)
    assert (on_time.state, whole_hours(on_time.elapsed)) == (ClockState.ON_TIME, 72)
    late = breach_clock(FOUND, FOUND + timedelta(hours=73), FOUND + timedelta(days=30), 72)
    assert (late.state, late.is_overdue) == (ClockState.LATE, False)


def test_the_deadline_follows_the_setting():
    assert breach_clock(FOUND, None, FOUND + timedelta(hours=30), 24).state is ClockState.OVERDUE
    assert breach_clock(FOUND, None, FOUND + timedelta(hours=30), 72).state is ClockState.RUNNING


@given(st.integers(min_value=0, max_value=10_000))
def test_notified_clocks_are_on_time_exactly_up_to_the_deadline(minutes):
    clock = breach_clock(FOUND, FOUND + timedelta(minutes=minutes), FOUND + timedelta(days=400), 72)
    assert (clock.state is ClockState.ON_TIME) == (minutes <= 72 * 60)


def test_a_request_is_due_a_number_of_calendar_days_after_receipt():
    assert request_due_on(date(2026, 12, 6), 45) == date(2027, 1, 20)
    assert days_left(date(2027, 1, 20), date(2027, 1, 20)) == 0
    assert days_left(date(2027, 1, 20), date(2027, 1, 22)) == -2


def test_the_notice_reads_headings_lists_and_paragraphs():
    text = "Intro line one\nline two\n\n## Rights\n- see\n- correct\nAfter the list\r\n\r\n\n## End"
    assert blocks(text) == [
        Block("paragraph", ("Intro line one line two",)),
        Block("heading", ("Rights",)),
        Block("list", ("see", "correct")),
        Block("paragraph", ("After the list",)),
        Block("heading", ("End",)),
    ]


def test_the_hash_ignores_line_endings_and_trailing_space_but_not_words():
    assert content_hash("a\r\nb  \n", "ع") == content_hash("a\nb", "ع")
    assert content_hash("a b", "ع") != content_hash("a c", "ع")
    assert content_hash("a", "b") != content_hash("b", "a")
