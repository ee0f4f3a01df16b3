"""The pause after wrong passwords grows, but always ends, and the account page names devices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.auth.presentation import device_name
from portal.domain.login_pause import pause_after, paused_until

LONGEST = timedelta(minutes=15)


@pytest.mark.parametrize(
    ("failures", "minutes"), [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (8, 8), (9, 15), (10, 15), (10_000, 15)]
)
def test_the_pause_starts_at_one_minute_and_doubles_up_to_the_longest(failures: int, minutes: int) -> None:
    assert pause_after(failures, allowed=5, longest=LONGEST) == timedelta(minutes=minutes)


def test_paused_until_counts_from_the_last_failure() -> None:
    last = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
    assert paused_until(6, last, allowed=5, longest=LONGEST) == last + timedelta(minutes=2)
    assert paused_until(4, last, allowed=5, longest=LONGEST) is None


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
            "Chrome on Linux",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1",
            "Safari on iPhone",
        ),
        ("Werkzeug/3.1.9", "Unknown browser"),
    ],
)
def test_a_session_is_named_by_browser_and_system(user_agent: str, name: str) -> None:
    assert device_name(user_agent) == name
