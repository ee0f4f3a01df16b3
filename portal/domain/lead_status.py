"""Which status changes a lead may go through, as plain data and pure checks.

new -> contacted -> qualified -> converted is the normal path; an open lead
(new, contacted, qualified) may be closed as unqualified or spam with a reason,
and an unqualified lead may be reopened (it goes back to new). `converted` is
only reached through conversion, which also creates the client and engagement.
"""

from __future__ import annotations

import enum


class LeadStatus(enum.StrEnum):
    """A lead's status; stored as its string value (the model's check constraint lists them)."""

    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    CONVERTED = "converted"
    UNQUALIFIED = "unqualified"
    SPAM = "spam"


NEW, CONTACTED, QUALIFIED, CONVERTED, UNQUALIFIED, SPAM = LeadStatus

OPEN_STATUSES = frozenset({NEW, CONTACTED, QUALIFIED})
CLOSED_STATUSES = frozenset({CONVERTED, UNQUALIFIED, SPAM})
REASON_REQUIRED = frozenset({UNQUALIFIED, SPAM})
REOPEN_TO = NEW

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({CONTACTED, UNQUALIFIED, SPAM}),
    CONTACTED: frozenset({QUALIFIED, UNQUALIFIED, SPAM}),
    QUALIFIED: frozenset({CONVERTED, UNQUALIFIED, SPAM}),
    UNQUALIFIED: frozenset({REOPEN_TO}),
    CONVERTED: frozenset(),
    SPAM: frozenset(),
}


class TransitionProblem(enum.StrEnum):
    """Why a status change is refused; the service turns it into a message for people."""

    UNKNOWN_STATUS = "unknown_status"
    SAME_STATUS = "same_status"
    NOT_ALLOWED = "not_allowed"
    REASON_REQUIRED = "reason_required"
    NEEDS_CONVERSION = "needs_conversion"


def allowed_next(status: str) -> frozenset[str]:
    """Statuses reachable from `status` in one step (conversion included)."""
    return TRANSITIONS.get(status, frozenset())


def manual_next(status: str) -> list[str]:
    """Statuses a person may pick in the status form (conversion has its own form), in path order."""
    order = [NEW, CONTACTED, QUALIFIED, UNQUALIFIED, SPAM]
    return [s for s in order if s in allowed_next(status) and s != CONVERTED]


def transition_problem(
    current: str, new: str, reason: str = "", via_conversion: bool = False
) -> TransitionProblem | None:
    """None when `current -> new` is allowed with this reason, else what is wrong."""
    if new not in TRANSITIONS:
        return TransitionProblem.UNKNOWN_STATUS
    if new == current:
        return TransitionProblem.SAME_STATUS
    if new not in allowed_next(current):
        return TransitionProblem.NOT_ALLOWED
    if new == CONVERTED and not via_conversion:
        return TransitionProblem.NEEDS_CONVERSION
    if new in REASON_REQUIRED and not reason.strip():
        return TransitionProblem.REASON_REQUIRED
    return None


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES
