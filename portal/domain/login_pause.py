"""How long signing in pauses after wrong passwords: a growing delay rather than a lock.

A lock that lasts until someone lifts it lets anyone who knows an e-mail address keep
its owner out; a short pause that doubles with each further failure slows a guesser
just as well and always ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_PAUSE = timedelta(minutes=1)


def pause_after(failures: int, allowed: int, longest: timedelta) -> timedelta:
    """The pause after `failures` wrong passwords when `allowed` are free: none below it,
    then FIRST_PAUSE, doubling with each further failure, never more than `longest`."""
    if failures < allowed:
        return timedelta(0)
    doublings = min(failures - allowed, 20)  # 2**20 minutes is far beyond any sensible cap
    return min(FIRST_PAUSE * 2**doublings, longest)


def paused_until(failures: int, last_failure_at: datetime, allowed: int, longest: timedelta) -> datetime | None:
    """When signing in may resume after the last failure, or None if it is not paused at all."""
    pause = pause_after(failures, allowed, longest)
    return last_failure_at + pause if pause else None
