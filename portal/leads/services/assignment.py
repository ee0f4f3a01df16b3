"""Auto-assignment of new leads: round-robin over active consultants.

Off by default; an admin switches it on and sets the most open leads a consultant may
hold before being skipped (/app/admin/settings). The round-robin cursor (the last
consultant given a lead) is a setting too, read with FOR UPDATE on PostgreSQL so two
enquiries arriving together do not both go to the same person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from portal.core import audit
from portal.core.content_version import kept_for_version
from portal.domain import lead_status
from portal.extensions import db
from portal.leads.services import assign
from portal.models import Lead, Role, Setting, User

logger = logging.getLogger(__name__)

AUTO_ASSIGN_KEY = "leads.auto_assign"
MAX_OPEN_KEY = "leads.auto_assign_max_open"
CURSOR_KEY = "leads.auto_assign_last_user_id"
DEFAULT_MAX_OPEN = 25


@dataclass(frozen=True)
class AutoAssignSettings:
    enabled: bool = False
    max_open: int = DEFAULT_MAX_OPEN


def _get(key: str) -> Setting | None:
    return db.session.get(Setting, key)


def _put(key: str, value: str) -> None:
    setting = _get(key)
    if setting is None:
        db.session.add(Setting(key=key, value=value))
    else:
        setting.value = value


def load_settings() -> AutoAssignSettings:
    """Both settings, kept per content version (portal.core.content_version): every enquiry reads them."""
    return kept_for_version(db.session, AUTO_ASSIGN_KEY, current_app.config["CONTENT_VERSION_MAX_AGE"], _read_settings)


def _read_settings() -> AutoAssignSettings:
    """Both settings in one query."""
    found = {
        setting.key: setting
        for setting in db.session.scalars(select(Setting).where(Setting.key.in_((AUTO_ASSIGN_KEY, MAX_OPEN_KEY))))
    }
    enabled, max_open = found.get(AUTO_ASSIGN_KEY), found.get(MAX_OPEN_KEY)
    return AutoAssignSettings(
        enabled=enabled is not None and enabled.value == "1",
        max_open=int(max_open.value) if max_open is not None and max_open.value.isdigit() else DEFAULT_MAX_OPEN,
    )


def save_settings(settings: AutoAssignSettings, actor: User | None = None) -> None:
    """Store the admin's choice and its audit row (the caller commits)."""
    _put(AUTO_ASSIGN_KEY, "1" if settings.enabled else "0")
    _put(MAX_OPEN_KEY, str(settings.max_open))
    if _get(CURSOR_KEY) is None:  # a row to lock from the first enquiry on
        _put(CURSOR_KEY, "")
    audit.record("settings.auto_assign", actor, details={"enabled": settings.enabled, "max_open": settings.max_open})
    db.session.flush()


def open_lead_counts() -> dict[int, int]:
    """Open (new, contacted, qualified) leads per assigned user, in one query."""
    rows = db.session.execute(
        select(Lead.assigned_to_id, func.count(Lead.id))
        .where(
            Lead.assigned_to_id.is_not(None),
            Lead.status.in_(sorted(lead_status.OPEN_STATUSES)),
            Lead.duplicate_of_id.is_(None),
        )
        .group_by(Lead.assigned_to_id)
    )
    return {user_id: count for user_id, count in rows}


def next_consultant(consultants: list[User], last_id: int | None, counts: dict[int, int], max_open: int) -> User | None:
    """The first consultant after `last_id` (by id, wrapping round) with fewer than `max_open` open leads."""
    ordered = sorted(consultants, key=lambda user: user.id)
    start = next((i for i, user in enumerate(ordered) if last_id is not None and user.id > last_id), 0)
    for user in ordered[start:] + ordered[:start]:
        if counts.get(user.id, 0) < max_open:
            return user
    return None


def auto_assign(lead: Lead) -> User | None:
    """Give a new, unassigned lead to the next consultant in turn (active, and joined); None when off or nobody has room."""
    settings = load_settings()
    if not settings.enabled or lead.assigned_to_id is not None or lead.status != lead_status.NEW:
        return None
    cursor = db.session.scalar(select(Setting).where(Setting.key == CURSOR_KEY).with_for_update())
    consultants = list(  # invited colleagues who have not chosen a password yet cannot act on a lead
        db.session.scalars(
            select(User).where(User.active.is_(True), User.role == Role.CONSULTANT.value, User.invited_at.is_(None))
        )
    )
    last_id = int(cursor.value) if cursor is not None and cursor.value.isdigit() else None
    chosen = next_consultant(consultants, last_id, open_lead_counts(), settings.max_open)
    if chosen is None:
        logger.info("lead %s left unassigned: no consultant under %s open leads", lead.id, settings.max_open)
        return None
    assign(lead, chosen, actor=None)
    _put(CURSOR_KEY, str(chosen.id))
    db.session.flush()
    logger.info("lead %s auto-assigned to user %s", lead.id, chosen.id)
    return chosen
