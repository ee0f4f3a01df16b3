"""The breach register (executive regulation art. 28): admins record each personal-data breach,
its effects and the measures taken, and when the authority (art. 30) and the people affected
(art. 32) were notified. Every change is audited with the fields that changed."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from portal.core import audit
from portal.core.errors import ServiceError
from portal.domain.privacy_deadlines import BreachClock, breach_clock
from portal.extensions import db
from portal.models import PersonalDataBreach, User
from portal.models.types import utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BreachData:
    """A breach as the admin describes it; times are aware datetimes (UTC or Oman)."""

    title: str
    discovered_at: datetime
    description: str = ""
    occurred_at: datetime | None = None
    data_categories: str = ""
    people_categories: str = ""
    people_affected: int | None = None
    measures: str = ""
    authority_notified_at: datetime | None = None
    people_notified_at: datetime | None = None


def notification_hours() -> int:
    return int(current_app.config["BREACH_NOTIFICATION_HOURS"])


def clock_for(breach: PersonalDataBreach, now: datetime | None = None) -> BreachClock:
    """The authority-notification clock of `breach`, by the BREACH_NOTIFICATION_HOURS setting."""
    return breach_clock(breach.discovered_at, breach.authority_notified_at, now or utcnow(), notification_hours())


def all_breaches() -> list[PersonalDataBreach]:
    return list(db.session.scalars(select(PersonalDataBreach).order_by(PersonalDataBreach.discovered_at.desc())))


def _check(data: BreachData, now: datetime) -> None:
    """Times that cannot be: refused next to their field."""
    errors: dict[str, str] = {}
    if data.discovered_at > now:
        errors["discovered_at"] = _("The breach cannot be found in the future.")
    if data.occurred_at is not None and data.occurred_at > data.discovered_at:
        errors["occurred_at"] = _("A breach cannot happen after it was found.")
    for name in ("authority_notified_at", "people_notified_at"):
        moment = getattr(data, name)
        if moment is not None and moment > now:
            errors[name] = _("A notification cannot be in the future.")
        elif moment is not None and data.occurred_at is not None and moment < data.occurred_at:
            errors[name] = _("A notification cannot come before the breach happened.")
    if errors:
        raise ServiceError.for_fields(errors)


def _snapshot(breach: PersonalDataBreach) -> dict[str, object]:
    """The register's fields as the audit log keeps them (times as ISO text in UTC, so the same
    moment typed in Oman time is no change)."""
    return {
        key: value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value
        for key, value in ((name, getattr(breach, name)) for name in BreachData.__dataclass_fields__)
    }


def record_breach(data: BreachData, actor: User, now: datetime | None = None) -> PersonalDataBreach:
    """Add a breach to the register (audited). Flushes."""
    _check(data, now or utcnow())
    breach = PersonalDataBreach(**asdict(data), created_by=actor)
    db.session.add(breach)
    db.session.flush()
    audit.record("privacy.breach_recorded", actor, breach, _snapshot(breach))
    logger.info("breach %s recorded by %s", breach.id, actor.email)
    return breach


def update_breach(breach: PersonalDataBreach, data: BreachData, actor: User, now: datetime | None = None) -> None:
    """Change a register entry; the audit row holds each changed field's before and after. Flushes."""
    _check(data, now or utcnow())
    before = _snapshot(breach)
    for name, value in asdict(data).items():
        setattr(breach, name, value)
    db.session.flush()
    changes = audit.changed_values(before, _snapshot(breach))
    if changes:
        audit.record("privacy.breach_updated", actor, breach, changes)
