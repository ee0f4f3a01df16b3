"""The minutes a reset link has left, as the e-mail words them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.auth.services import minutes_left


def test_minutes_left_rounds_up_and_is_never_zero():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert minutes_left(now + timedelta(minutes=15), now) == 15
    assert minutes_left(now + timedelta(minutes=14, seconds=1), now) == 15
    assert minutes_left(now + timedelta(seconds=5), now) == 1
