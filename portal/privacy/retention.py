"""Retention: how long finished records keep their personal data, and the purge that applies it.

Three rules, each a setting admins change on the personal-data page (defaults in
`portal.domain.personal_data.RetentionPeriods`):

- spam leads: erased `spam_days` after their last change;
- unqualified leads (turned down, or merged into another): `unqualified_months` after it;
- closed engagements (their lead, their notes, and the client's contact once none of the
  client's engagements needs it): `closed_engagement_years` after closing.

`purge` (run by `flask privacy purge`, meant for cron) erases what is due with the
erasure code of `portal.privacy.erasure`, skipping (and counting) records a legal hold
still protects. Erased rows carry `erased_at` and are never picked again, so a second run
changes nothing. A dry run only counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select

from portal.core import audit
from portal.domain import lead_status, lifecycle
from portal.domain.personal_data import RetentionPeriods
from portal.extensions import db
from portal.models import Client, Engagement, Lead, Setting, User
from portal.privacy.erasure import erase_records, legal_holds
from portal.privacy.person import PersonRecords, records_of

logger = logging.getLogger(__name__)

KEYS = {
    "spam_days": "privacy.retention.spam_days",
    "unqualified_months": "privacy.retention.unqualified_months",
    "closed_engagement_years": "privacy.retention.closed_engagement_years",
}
RULES = ("spam", "unqualified", "closed_engagements")


def load_periods() -> RetentionPeriods:
    """The three periods in one query; a missing or unreadable setting is its default."""
    stored = {row.key: row.value for row in db.session.scalars(select(Setting).where(Setting.key.in_(KEYS.values())))}
    defaults = RetentionPeriods()
    values = {
        name: int(stored[key]) if stored.get(key, "").isdigit() else getattr(defaults, name)
        for name, key in KEYS.items()
    }
    return RetentionPeriods(**values)


def save_periods(periods: RetentionPeriods, actor: User | None) -> None:
    """Store the admin's periods and an audit row with them (the caller commits)."""
    for name, key in KEYS.items():
        setting = db.session.get(Setting, key)
        if setting is None:
            db.session.add(Setting(key=key, value=str(getattr(periods, name))))
        else:
            setting.value = str(getattr(periods, name))
    audit.record("settings.retention", actor, details={name: getattr(periods, name) for name in KEYS})
    db.session.flush()


@dataclass(frozen=True)
class Rule:
    """One retention rule: which rows, the moment its clock starts, and its cutoff and due date."""

    name: str
    model: type
    clock: ColumnElement
    scope: Callable[[], list[ColumnElement[bool]]]
    cutoff: Callable[[RetentionPeriods, datetime], datetime]
    due: Callable[[RetentionPeriods, datetime], datetime]


RULE_TABLE = (
    Rule(
        "spam",
        Lead,
        Lead.updated_at,
        lambda: [Lead.status == lead_status.SPAM, Lead.erased_at.is_(None)],
        RetentionPeriods.spam_cutoff,
        RetentionPeriods.spam_due,
    ),
    Rule(
        "unqualified",
        Lead,
        Lead.updated_at,
        lambda: [Lead.status == lead_status.UNQUALIFIED, Lead.erased_at.is_(None)],
        RetentionPeriods.unqualified_cutoff,
        RetentionPeriods.unqualified_due,
    ),
    Rule(
        "closed_engagements",
        Engagement,
        Engagement.stage_entered_at,
        lambda: [Engagement.stage == lifecycle.CLOSED, Engagement.erased_at.is_(None)],
        RetentionPeriods.closed_engagement_cutoff,
        RetentionPeriods.closed_engagement_due,
    ),
)


def _past_retention(rule: Rule, periods: RetentionPeriods, now: datetime) -> list:
    query = select(rule.model).where(*rule.scope(), rule.clock < rule.cutoff(periods, now))
    return list(db.session.scalars(query.order_by(rule.model.id)))


def _client_done(client: Client, periods: RetentionPeriods, now: datetime) -> bool:
    """A client's contact is erased once every engagement of the client is closed and past retention."""
    cutoff = periods.closed_engagement_cutoff(now)
    still_needed = select(func.count()).where(
        Engagement.client_id == client.id,
        (Engagement.stage != lifecycle.CLOSED) | (Engagement.stage_entered_at >= cutoff),
    )
    return not db.session.scalar(still_needed)


def _records(row: Lead | Engagement, periods: RetentionPeriods, now: datetime) -> PersonRecords:
    if isinstance(row, Lead):
        return records_of([row], [], [])
    lead = [row.lead] if row.lead is not None and row.lead.erased_at is None else []
    clients = [row.client] if _client_done(row.client, periods, now) else []
    return records_of(lead, [row], clients)


@dataclass
class PurgeReport:
    """Per rule: records erased (or, in a dry run, due) and records a legal hold kept."""

    erased: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    held: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))

    @property
    def total(self) -> int:
        return sum(self.erased.values())


def purge(now: datetime, dry_run: bool = False) -> PurgeReport:
    """Erase every record past its retention (or only count them); flushed, the caller commits."""
    periods = load_periods()
    report = PurgeReport()
    for rule in RULE_TABLE:
        for row in _past_retention(rule, periods, now):
            if row.erased_at is not None:  # erased meanwhile, as the lead of an engagement erased before it
                continue
            records = _records(row, periods, now)
            if legal_holds(records, periods, now):
                report.held[rule.name] += 1
                continue
            report.erased[rule.name] += 1
            if not dry_run:
                erase_records(records, now)
    if report.total and not dry_run:
        audit.record("privacy.purged", None, details={"erased": report.erased}, actor_email="cli")
        db.session.flush()
        logger.info("retention purge erased %s", report.erased)
    return report


@dataclass(frozen=True)
class RuleStatus:
    """One rule's state: its period, records due now, records still kept, and the next due date."""

    name: str
    period: str
    due_now: int
    waiting: int
    next_due: datetime | None


def status(now: datetime) -> list[RuleStatus]:
    """What `flask privacy status` reports: two aggregates per rule."""
    periods = load_periods()
    lines = []
    for rule in RULE_TABLE:
        cutoff = rule.cutoff(periods, now)
        due_now = db.session.scalar(
            select(func.count()).select_from(rule.model).where(*rule.scope(), rule.clock < cutoff)
        )
        waiting, oldest = db.session.execute(
            select(func.count(), func.min(rule.clock))
            .select_from(rule.model)
            .where(*rule.scope(), rule.clock >= cutoff)
        ).one()
        next_due = rule.due(periods, _aware(oldest)) if oldest is not None else None
        lines.append(RuleStatus(rule.name, _period_text(rule.name, periods), int(due_now or 0), int(waiting), next_due))
    return lines


def _aware(moment: datetime) -> datetime:
    """MIN() over a UTC column comes back naive on SQLite."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _period_text(name: str, periods: RetentionPeriods) -> str:
    return {
        "spam": f"{periods.spam_days} days",
        "unqualified": f"{periods.unqualified_months} months",
        "closed_engagements": f"{periods.closed_engagement_years} years",
    }[name]
