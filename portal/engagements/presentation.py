"""Ready-made values for the engagement templates, so templates hold no rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from portal.domain import lifecycle
from portal.domain.schedule import next_due
from portal.engagements.services import AUDIT_LABELS, STAGE_LABELS, schedule_of
from portal.models import Engagement
from portal.models.types import utcnow


@dataclass(frozen=True)
class Target:
    """A stage the engagement may move to, and whether the move needs a note."""

    stage: str
    label: str
    needs_note: bool


@dataclass(frozen=True)
class NextDue:
    label: str
    due: date
    days_left: int


@dataclass(frozen=True)
class Card:
    """One engagement as the board and the list show it."""

    engagement: Engagement
    days_in_stage: int
    next_due: NextDue | None
    targets: list[Target]


def days_since(moment: datetime | None, now: datetime | None = None) -> int:
    if moment is None:
        return 0
    return max(((now or utcnow()) - moment).days, 0)


def targets_for(engagement: Engagement) -> list[Target]:
    """The moves offered on the card and the page, forward step first."""
    return [
        Target(stage, _target_label(engagement.stage, stage), lifecycle.needs_note(engagement.stage, stage))
        for stage in lifecycle.reachable(engagement.stage, engagement.stage_before_hold)
    ]


def _target_label(current: str, stage: str) -> str:
    if current == lifecycle.ON_HOLD and stage != lifecycle.CLOSED:
        return _("Resume at %(stage)s", stage=STAGE_LABELS[stage])
    if current == lifecycle.RECERTIFICATION and stage == lifecycle.CERTIFIED:
        return _("Recertified")
    return str(STAGE_LABELS[stage])


def next_due_of(engagement: Engagement, today: date) -> NextDue | None:
    found = next_due(engagement.stage, schedule_of(engagement))
    if found is None:
        return None
    audit, due = found
    return NextDue(str(AUDIT_LABELS[audit]), due, (due - today).days)


def card(engagement: Engagement, today: date, now: datetime | None = None) -> Card:
    return Card(
        engagement=engagement,
        days_in_stage=days_since(engagement.stage_entered_at, now),
        next_due=next_due_of(engagement, today),
        targets=targets_for(engagement),
    )
