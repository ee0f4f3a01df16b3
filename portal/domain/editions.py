"""When certificates to a superseded edition of a standard stop being valid.

IAF sets a transition per revision (e.g. IAF MD 26: ISO/IEC 27001:2013 certificates ended
31 October 2025). Pure dates in, a verdict out, so the public pages and the reminders
agree on what "ending soon" and "recently ended" mean.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

# How far ahead the owner of an engagement certified to the old edition is reminded.
REMINDER_WINDOW = timedelta(days=183)
# How long after its end a transition is still worth telling visitors about.
RECENTLY_ENDED = timedelta(days=365)


class TransitionState(StrEnum):
    RUNNING = "running"
    RECENTLY_ENDED = "recently_ended"


def transition_state(ends_on: date | None, today: date) -> TransitionState | None:
    """Running up to and including its last day, recently ended for a year after, else nothing to say."""
    if ends_on is None:
        return None
    if today <= ends_on:
        return TransitionState.RUNNING
    if today - ends_on <= RECENTLY_ENDED:
        return TransitionState.RECENTLY_ENDED
    return None


def transition_ending_soon(ends_on: date | None, today: date, window: timedelta = REMINDER_WINDOW) -> bool:
    """True while the transition has not ended yet and ends within `window` (its last day included)."""
    return ends_on is not None and today <= ends_on <= today + window
