"""First-response figures for a group of leads: median, 90th percentile, share within the target.

Each lead is (arrived, first answered or None). An answered lead counts with its wait in
working hours; an unanswered one counts only once it is past the target (missed, with
no wait to measure); one still inside its target is not decided yet and is left out of
the share. Pure: the caller passes the working hours and the moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.working_hours import WorkingHours, percentile


@dataclass(frozen=True)
class ResponseFigures:
    answered: int
    median: timedelta | None
    p90: timedelta | None
    within_target: int
    decided: int  # answered, plus unanswered past the target

    @property
    def share_within(self) -> float | None:
        """Answered within the target out of the decided leads; None when none is decided."""
        return self.within_target / self.decided if self.decided else None


def missed_before(office: WorkingHours, target: timedelta, now: datetime) -> datetime:
    """An unanswered lead that arrived before this instant is past the target at `now`: one
    comparison (in Python or SQL) instead of counting each lead's working time."""
    return office.subtract(now, target)


def response_figures(
    leads: Iterable[tuple[datetime, datetime | None]],
    office: WorkingHours,
    target: timedelta,
    now: datetime,
    missed: int = 0,
) -> ResponseFigures:
    """Figures of `leads`, plus `missed` unanswered leads past the target counted by the caller (in SQL)."""
    waits = []
    cutoff = missed_before(office, target, now)
    for arrived, answered in leads:
        if answered is not None:
            waits.append(office.between(arrived, answered))
        elif arrived < cutoff:
            missed += 1
    within = sum(1 for wait in waits if wait <= target)
    return ResponseFigures(
        answered=len(waits),
        median=percentile(waits, 0.5),
        p90=percentile(waits, 0.9),
        within_target=within,
        decided=len(waits) + missed,
    )
