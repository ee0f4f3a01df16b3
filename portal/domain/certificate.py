"""The state of an engagement's certificate, and what a transfer needs: plain data and pure checks.

States (ISO/IEC 17021-1:2015 9.6): **active**; **suspended** (9.6.3: temporarily invalid,
usually at most six months, 9.6.5); **withdrawn** (final); **restored** (a suspension lifted,
9.6.5, or a recertification decided within six months after expiry, 9.6.3.2.5). Suspended,
withdrawn and restored are recorded by a person with a date and a reason. **Expired** is
never stored: an active or restored certificate whose expiry date has passed reads as
expired, so pages that only read never write.

Transfers follow IAF MD 2 (issue of 2017, reissued 2023): only a valid accredited certificate (issued under an
accreditation by an IAF MLA signatory, not suspended, not expired) can be transferred, after
the accepting body's pre-transfer review; the transferred certificate keeps its cycle.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from portal.domain.schedule import Schedule, ScheduleRules, add_months, cycle_from


class State(enum.StrEnum):
    """A certificate's state as the engagement page and dashboard show it."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    RESTORED = "restored"
    EXPIRED = "expired"  # derived from the expiry date, never stored


STORED_STATES: tuple[str, ...] = (State.ACTIVE, State.SUSPENDED, State.WITHDRAWN, State.RESTORED)
# The states a person records, and the stored states each may follow.
RECORDED_FROM: dict[str, frozenset[str]] = {
    State.SUSPENDED: frozenset({State.ACTIVE, State.RESTORED}),
    State.RESTORED: frozenset({State.SUSPENDED}),
    State.WITHDRAWN: frozenset({State.ACTIVE, State.RESTORED, State.SUSPENDED}),
}
VALID_STATES = frozenset({State.ACTIVE, State.RESTORED})


def current_state(stored: str, expiry: date | None, today: date) -> State:
    """The state on `today`: a valid certificate whose expiry has passed is expired."""
    state = State(stored)
    if state in VALID_STATES and expiry is not None and expiry < today:
        return State.EXPIRED
    return state


class Problem(enum.StrEnum):
    """Why recording a state or a transfer is refused; the service words it next to `FIELDS[problem]`."""

    NO_CERTIFICATE = "no_certificate"
    UNKNOWN_STATE = "unknown_state"
    NOT_FROM_STATE = "not_from_state"
    REASON_REQUIRED = "reason_required"
    DATE_IN_FUTURE = "date_in_future"
    DATE_BEFORE_DECISION = "date_before_decision"
    EXPIRED_CERTIFICATE = "expired_certificate"
    NOT_ELIGIBLE = "not_eligible"
    REVIEW_IN_FUTURE = "review_in_future"
    UNKNOWN_OUTCOME = "unknown_outcome"
    REVIEWER_REQUIRED = "reviewer_required"


FIELDS: dict[Problem, str] = {
    Problem.NO_CERTIFICATE: "state",
    Problem.UNKNOWN_STATE: "state",
    Problem.NOT_FROM_STATE: "state",
    Problem.REASON_REQUIRED: "state_reason",
    Problem.DATE_IN_FUTURE: "state_date",
    Problem.DATE_BEFORE_DECISION: "state_date",
    Problem.EXPIRED_CERTIFICATE: "expiry_date",
    Problem.NOT_ELIGIBLE: "eligible",
    Problem.REVIEW_IN_FUTURE: "review_date",
    Problem.UNKNOWN_OUTCOME: "review_outcome",
    Problem.REVIEWER_REQUIRED: "reviewer",
}


@dataclass(frozen=True)
class StateChange:
    """A requested state with everything its checks look at."""

    stored: str
    target: str
    on: date
    reason: str
    today: date
    expiry: date | None
    decision_date: date | None


def state_problem(change: StateChange) -> Problem | None:
    """None when the state may be recorded, else the first thing wrong with it."""
    if change.expiry is None:
        return Problem.NO_CERTIFICATE
    if change.target not in RECORDED_FROM:
        return Problem.UNKNOWN_STATE
    if change.stored not in RECORDED_FROM[change.target]:
        return Problem.NOT_FROM_STATE
    if change.expiry < change.on:
        return Problem.NOT_FROM_STATE  # expired by then: renewed or restored by recertification, not by hand
    if not change.reason.strip():
        return Problem.REASON_REQUIRED
    if change.on > change.today:
        return Problem.DATE_IN_FUTURE
    if change.decision_date is not None and change.on < change.decision_date:
        return Problem.DATE_BEFORE_DECISION
    return None


# The outcomes of a pre-transfer review that let the transfer go ahead (IAF MD 2, pre-transfer review):
# accepted on the documents, or accepted after a visit to the client.
REVIEW_OUTCOMES: tuple[str, ...] = ("accepted", "accepted_after_visit")
# The audit the accepting body does next, which is the stage the transferred engagement starts at.
NEXT_AUDITS: tuple[str, ...] = ("surveillance_1", "surveillance_2", "recertification")


@dataclass(frozen=True)
class Transfer:
    """What the transfer form sends that the rules look at."""

    expiry: date
    eligible: bool  # accredited by an IAF MLA signatory and not suspended (MD 2, eligibility)
    review_date: date
    reviewer: str
    review_outcome: str
    today: date


def transfer_problem(transfer: Transfer) -> Problem | None:
    """None when the transfer may start, else the first thing wrong with it (IAF MD 2)."""
    if not transfer.eligible:
        return Problem.NOT_ELIGIBLE
    if transfer.expiry < transfer.today:
        return Problem.EXPIRED_CERTIFICATE
    if not transfer.reviewer.strip():
        return Problem.REVIEWER_REQUIRED
    if transfer.review_date > transfer.today:
        return Problem.REVIEW_IN_FUTURE
    if transfer.review_outcome not in REVIEW_OUTCOMES:
        return Problem.UNKNOWN_OUTCOME
    return None


def transferred_schedule(expiry: date, rules: ScheduleRules = ScheduleRules()) -> Schedule:
    """The existing cycle of a certificate expiring on `expiry`: the transfer keeps every date.

    The cycle started three years before the day after expiry; surveillance falls 12 and
    24 months after that start, as the issuing body planned it (IAF MD 2: the cycle is based on the previous one).
    """
    start = add_months(expiry + timedelta(days=1), -12 * rules.cycle_years)
    schedule = cycle_from(start, rules)
    return Schedule(
        cycle_start=start,
        expiry=expiry,
        surveillance_1_due=schedule.surveillance_1_due,
        surveillance_2_due=schedule.surveillance_2_due,
        recertification_start=add_months(expiry, -rules.recertification_start_months),
        recertification_due=add_months(expiry, -rules.recertification_audit_months),
    )
