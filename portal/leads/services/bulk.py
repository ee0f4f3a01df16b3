"""Bulk actions from the inbox: the triage and tagging services applied to many leads at once.

The status rules and the assignment rules stay in portal.leads.services; this only
loops. A lead the service refuses (say, a converted lead cannot become spam) is
skipped with the service's reason, and the others go ahead: the services check
before they change anything, so a refused lead is left untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from portal.core.errors import ServiceError
from portal.domain import lead_status
from portal.extensions import db
from portal.leads.services import assign, change_status
from portal.leads.services.tags import tag_lead, untag_lead
from portal.models import Lead, Tag, User
from portal.web.listing import parse_int

logger = logging.getLogger(__name__)

MAX_BULK = 500
TAG_TARGET = "tag-"  # the bulk form's target for a tag: "tag-<id>", apart from user ids and statuses


@dataclass
class BulkResult:
    """References changed, references skipped with the reason, and how many ticked leads were
    not found (deleted since the page was drawn, or never there)."""

    changed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    missing: int = 0


def _leads(lead_ids: list[int]) -> tuple[list[Lead], int]:
    """The ticked leads that exist, each once, and how many of the ids found no lead."""
    ids = sorted(set(lead_ids))[:MAX_BULK]
    leads = list(db.session.scalars(select(Lead).where(Lead.id.in_(ids)).order_by(Lead.id)))
    return leads, len(ids) - len(leads)


def _apply(lead_ids: list[int], action) -> BulkResult:
    leads, missing = _leads(lead_ids)
    result = BulkResult(missing=missing)
    for lead in leads:
        label = lead.reference or str(lead.id)
        try:
            action(lead)
        except ServiceError as error:
            result.skipped.append((label, error.message))
        else:
            result.changed.append(label)
    return result


def bulk_assign(lead_ids: list[int], assignee: User | None, actor: User) -> BulkResult:
    """Assign each lead to `assignee` (None: unassign); each assignment writes its activity."""
    result = _apply(lead_ids, lambda lead: assign(lead, assignee, actor))
    logger.info("bulk assign by %s: %d changed, %d skipped", actor.email, len(result.changed), len(result.skipped))
    return result


def bulk_change_status(lead_ids: list[int], new_status: str, actor: User, reason: str = "") -> BulkResult:
    """Move each lead to `new_status` where the transition rules allow it."""
    result = _apply(lead_ids, lambda lead: change_status(lead, new_status, actor, reason))
    logger.info(
        "bulk status %s by %s: %d changed, %d skipped",
        new_status,
        actor.email,
        len(result.changed),
        len(result.skipped),
    )
    return result


def bulk_tag(lead_ids: list[int], tag: Tag, actor: User, add: bool) -> BulkResult:
    """Put `tag` on each lead (or take it off); a lead already so is skipped with the reason."""
    result = _apply(lead_ids, lambda lead: (tag_lead if add else untag_lead)(lead, tag, actor))
    logger.info(
        "bulk %s %s by %s: %d changed, %d skipped",
        "tag" if add else "untag",
        tag.name,
        actor.email,
        len(result.changed),
        len(result.skipped),
    )
    return result


def bulk_action(
    lead_ids: list[int], action: str, target: str, reason: str, actor: User, statuses: list[str]
) -> BulkResult:
    """The inbox's bulk form: assign to `target` (a user id or "none"), move to status `target`
    (one of `statuses`), add or remove the tag `target` ("tag-<id>"), or mark as spam. A target or
    reason that does not fit refuses the whole action."""
    reason = reason.strip()
    if action in ("tag", "untag"):
        tag = _tag(target)
        if tag is None:
            raise ServiceError(_("Choose a tag."), field="target")
        return bulk_tag(lead_ids, tag, actor, add=action == "tag")
    if action == "assign":
        assignee = None if target == "none" else _active_user(target)
        if assignee is None and target != "none":
            raise ServiceError(_("Choose a consultant."), field="target")
        return bulk_assign(lead_ids, assignee, actor)
    if action == "status":
        if target not in statuses:
            raise ServiceError(_("Choose a status."), field="target")
        if target in lead_status.REASON_REQUIRED and not reason:
            raise ServiceError(_("Give a reason for this status."), field="reason")
        return bulk_change_status(lead_ids, target, actor, reason)
    return bulk_change_status(lead_ids, lead_status.SPAM, actor, reason or _("Marked as spam in the inbox"))


def _tag(target: str) -> Tag | None:
    tag_id = parse_int(target.removeprefix(TAG_TARGET)) if target.startswith(TAG_TARGET) else None
    return db.session.get(Tag, tag_id) if tag_id is not None else None


def _active_user(raw_id: str) -> User | None:
    user_id = parse_int(raw_id)
    user = db.session.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.active else None
