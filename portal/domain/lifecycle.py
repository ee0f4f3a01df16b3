"""The engagement stage machine, as plain data and pure checks.

gap_analysis → implementation → internal_audit → registrar_selection → stage1_audit →
stage2_audit → certified → surveillance_1 → surveillance_2 → recertification →
certified … Moving forward one stage is normal. Skipping ahead or going back between
these stages needs a note. Any open stage may be put on hold (it resumes where it was)
or closed with a reason; closed is final. Guards: stage1_audit needs an accepted quote,
certified needs a certificate number and a decision date that is not in the future.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

GAP_ANALYSIS = "gap_analysis"
IMPLEMENTATION = "implementation"
INTERNAL_AUDIT = "internal_audit"
REGISTRAR_SELECTION = "registrar_selection"
STAGE1_AUDIT = "stage1_audit"
STAGE2_AUDIT = "stage2_audit"
CERTIFIED = "certified"
SURVEILLANCE_1 = "surveillance_1"
SURVEILLANCE_2 = "surveillance_2"
RECERTIFICATION = "recertification"
ON_HOLD = "on_hold"
CLOSED = "closed"

# The working stages in the order of the cycle (the board's columns, on_hold after them).
CYCLE: tuple[str, ...] = (
    GAP_ANALYSIS,
    IMPLEMENTATION,
    INTERNAL_AUDIT,
    REGISTRAR_SELECTION,
    STAGE1_AUDIT,
    STAGE2_AUDIT,
    CERTIFIED,
    SURVEILLANCE_1,
    SURVEILLANCE_2,
    RECERTIFICATION,
)
STAGES: tuple[str, ...] = (*CYCLE, ON_HOLD, CLOSED)
OPEN_STAGES = frozenset(STAGES) - {CLOSED}

# The one normal step forward from each working stage; recertification renews the certificate.
FORWARD: dict[str, str] = {stage: following for stage, following in zip(CYCLE, CYCLE[1:], strict=False)}
FORWARD[RECERTIFICATION] = CERTIFIED

CLOSE_REASONS: tuple[str, ...] = (
    "won_elsewhere",
    "no_budget",
    "no_response",
    "certificate_withdrawn",
    "client_cancelled",
    "other",
)
REASON_NEEDS_NOTE = frozenset({"other"})


class Problem(enum.StrEnum):
    """Why a stage move is refused; the service turns it into a message next to `FIELDS[problem]`."""

    UNKNOWN_STAGE = "unknown_stage"
    SAME_STAGE = "same_stage"
    ALREADY_CLOSED = "already_closed"
    NOT_FROM_HOLD = "not_from_hold"
    NOTE_REQUIRED = "note_required"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_REASON = "unknown_reason"
    QUOTE_REQUIRED = "quote_required"
    CERTIFICATE_NUMBER_REQUIRED = "certificate_number_required"
    DECISION_DATE_REQUIRED = "decision_date_required"
    DECISION_DATE_IN_FUTURE = "decision_date_in_future"


FIELDS: dict[Problem, str] = {
    Problem.UNKNOWN_STAGE: "to_stage",
    Problem.SAME_STAGE: "to_stage",
    Problem.ALREADY_CLOSED: "to_stage",
    Problem.NOT_FROM_HOLD: "to_stage",
    Problem.NOTE_REQUIRED: "note",
    Problem.REASON_REQUIRED: "reason",
    Problem.UNKNOWN_REASON: "reason",
    Problem.QUOTE_REQUIRED: "to_stage",
    Problem.CERTIFICATE_NUMBER_REQUIRED: "certificate_number",
    Problem.DECISION_DATE_REQUIRED: "decision_date",
    Problem.DECISION_DATE_IN_FUTURE: "decision_date",
}


@dataclass(frozen=True)
class Move:
    """A requested stage change with everything its guards look at."""

    current: str
    target: str
    today: date
    stage_before_hold: str | None = None
    note: str = ""
    reason: str = ""
    has_accepted_quote: bool = False
    certificate_number: str = ""
    decision_date: date | None = None


def is_forward(current: str, target: str) -> bool:
    """The normal one-step move (resuming from hold counts as one)."""
    return FORWARD.get(current) == target


def needs_note(current: str, target: str) -> bool:
    """Skipping ahead or going back between working stages must be explained."""
    if current == ON_HOLD or target in (ON_HOLD, CLOSED):
        return False
    return not is_forward(current, target)


def reachable(current: str, stage_before_hold: str | None = None) -> list[str]:
    """Stages a person may pick from `current` (guards aside): forward first, then hold and close, then the rest."""
    if current == CLOSED:
        return []
    if current == ON_HOLD:
        resume = [stage_before_hold] if stage_before_hold in CYCLE else []
        return [*resume, CLOSED]
    forward = FORWARD[current]
    others = [stage for stage in CYCLE if stage not in (current, forward)]
    return [forward, ON_HOLD, CLOSED, *others]


def problem(move: Move) -> Problem | None:
    """None when the move is allowed, else the first thing wrong with it."""
    if move.current not in STAGES or move.target not in STAGES:
        return Problem.UNKNOWN_STAGE
    if move.current == CLOSED:
        return Problem.ALREADY_CLOSED
    if move.target == move.current:
        return Problem.SAME_STAGE
    if move.target not in reachable(move.current, move.stage_before_hold):
        return Problem.NOT_FROM_HOLD
    if needs_note(move.current, move.target) and not move.note.strip():
        return Problem.NOTE_REQUIRED
    if move.target == CLOSED:
        if not move.reason:
            return Problem.REASON_REQUIRED
        if move.reason not in CLOSE_REASONS:
            return Problem.UNKNOWN_REASON
        if move.reason in REASON_NEEDS_NOTE and not move.note.strip():
            return Problem.NOTE_REQUIRED
    if move.target == STAGE1_AUDIT and not move.has_accepted_quote:
        return Problem.QUOTE_REQUIRED
    if move.target == CERTIFIED:
        if not move.certificate_number.strip():
            return Problem.CERTIFICATE_NUMBER_REQUIRED
        if move.decision_date is None:
            return Problem.DECISION_DATE_REQUIRED
        if move.decision_date > move.today:
            return Problem.DECISION_DATE_IN_FUTURE
    return None


def starts_new_cycle(current: str, target: str) -> bool:
    """Entering certified from recertification renews the certificate rather than issuing the first."""
    return current == RECERTIFICATION and target == CERTIFIED
