"""Bulk actions from the inbox: the triage services applied to many leads at once.

The status rules and the assignment rules stay in portal.leads.services; this only
loops. A lead the service refuses (say, a converted lead cannot become spam) is
skipped with the service's reason, and the others go ahead: the services check
before they change anything, so a refused lead is left untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.extensions import db
from portal.leads.services import LeadError, assign, change_status
from portal.models import Lead, User

logger = logging.getLogger(__name__)

MAX_BULK = 500


@dataclass
class BulkResult:
    """References changed, and references skipped with the reason."""

    changed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _leads(lead_ids: list[int]) -> list[Lead]:
    ids = sorted(set(lead_ids))[:MAX_BULK]
    return list(db.session.scalars(select(Lead).where(Lead.id.in_(ids)).order_by(Lead.id)))


def _apply(leads: list[Lead], action) -> BulkResult:
    result = BulkResult()
    for lead in leads:
        label = lead.reference or str(lead.id)
        try:
            action(lead)
        except LeadError as error:
            result.skipped.append((label, error.message))
        else:
            result.changed.append(label)
    return result


def bulk_assign(lead_ids: list[int], assignee: User | None, actor: User) -> BulkResult:
    """Assign each lead to `assignee` (None: unassign); each assignment writes its activity."""
    result = _apply(_leads(lead_ids), lambda lead: assign(lead, assignee, actor))
    logger.info("bulk assign by %s: %d changed, %d skipped", actor.email, len(result.changed), len(result.skipped))
    return result


def bulk_change_status(lead_ids: list[int], new_status: str, actor: User, reason: str = "") -> BulkResult:
    """Move each lead to `new_status` where the transition rules allow it."""
    result = _apply(_leads(lead_ids), lambda lead: change_status(lead, new_status, actor, reason))
    logger.info(
        "bulk status %s by %s: %d changed, %d skipped",
        new_status,
        actor.email,
        len(result.changed),
        len(result.skipped),
    )
    return result
