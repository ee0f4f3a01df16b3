"""The lead counts the dashboard reads (portal.models.lead_tally), kept exact as leads change.

A flush that creates leads adds them to their day's counts with one upsert per table
(`count_new`: the enquiry's hot path). A flush that deletes a lead, or changes what the
counts depend on (status, owner, first response, merge, standards), counts those days again
from the leads table, in the same transaction: a day is a few dozen leads (a few thousand at
a million leads a year), and a recount cannot drift. On PostgreSQL a transaction-scoped
advisory lock per day makes two transactions that touch the same day take turns, so an
upsert never interleaves with a recount of its day.
A bulk statement on leads or their standards is not seen by the listener: code that issues
one calls `recount` (portal.leads.services.response) or `count_new_standards` (the enquiry's
one INSERT of its standards) for what it wrote. `flask tallies rebuild` recounts every day,
for the migration's back-fill and for operators.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, case, delete, event, func, insert, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, attributes

from portal.domain import lead_status
from portal.domain.working_days import MUSCAT
from portal.models import Lead, LeadStandardTally, LeadTally, lead_standards

# What a lead is counted by: a change to any of these recounts its day.
COUNTED = (
    "status",
    "assigned_to_id",
    "assigned_to",
    "first_response_at",
    "duplicate_of_id",
    "duplicate_of",
    "standards",
)
LOCK_SPACE = 0x1EAD  # first key of pg_advisory_xact_lock(int, int): these locks; the second is the day


def day_of(moment: datetime) -> date:
    """The Muscat day a lead created at `moment` is counted on."""
    return moment.astimezone(MUSCAT).date()


def day_start(day: date) -> datetime:
    """The first instant of a Muscat day."""
    return datetime.combine(day, time.min, tzinfo=MUSCAT)


def _lock_days(connection: Connection, days: list[date]) -> None:
    if connection.dialect.name == "postgresql":
        for day in days:  # in date order, so two transactions never wait for each other in a circle
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:space, :day)"), {"space": LOCK_SPACE, "day": day.toordinal()}
            )


def _add(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Add each row's `leads` to the kept row of the same key (inserted at that count when missing)."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(rows)
    keys = [column.name for column in table.primary_key.columns]
    connection.execute(
        statement.on_conflict_do_update(index_elements=keys, set_={"leads": table.c.leads + statement.excluded.leads})
    )


def _key(lead: Lead) -> tuple[date, str, int, bool, bool]:
    return (
        day_of(lead.created_at),
        lead.status,
        lead.assigned_to_id or 0,
        lead.first_response_at is not None,
        lead.duplicate_of_id is not None,
    )


def count_new(session: Session, leads: list[Lead]) -> None:
    """Add just-inserted leads (and the standards they were flushed with) to their days' counts."""
    connection = session.connection()
    _lock_days(connection, sorted({day_of(lead.created_at) for lead in leads}))
    by_key = Counter(_key(lead) for lead in leads)
    _add(
        connection,
        LeadTally.__table__,
        [
            {"day": day, "status": status, "owner_id": owner, "answered": answered, "merged": merged, "leads": n}
            for (day, status, owner, answered, merged), n in sorted(by_key.items())
        ],
    )
    by_standard = Counter(
        (day_of(lead.created_at), standard.id)
        for lead in leads
        if lead.status != lead_status.SPAM
        # Only the standards it was flushed with: a lead given none has no collection to load.
        for standard in attributes.instance_state(lead).dict.get("standards", ())
    )
    _add_standards(connection, by_standard)


def count_new_standards(session: Session, lead: Lead, standard_ids: Iterable[int]) -> None:
    """Count the standards a new lead's service inserted in one statement after the lead's flush.

    In the transaction that flushed the lead: its day's lock is held since that flush counted it."""
    if lead.status == lead_status.SPAM:
        return
    counts = Counter((day_of(lead.created_at), standard_id) for standard_id in standard_ids)
    _add_standards(session.connection(), counts)


def _add_standards(connection: Connection, counts: Counter[tuple[date, int]]) -> None:
    _add(
        connection,
        LeadStandardTally.__table__,
        [{"day": day, "standard_id": standard_id, "leads": n} for (day, standard_id), n in sorted(counts.items())],
    )


def recount(session: Session, days: Iterable[date]) -> None:
    """Count `days` again from the leads table, replacing their kept rows."""
    days = sorted(set(days))
    if not days:
        return
    connection = session.connection()
    _lock_days(connection, days)
    for day in days:
        in_day = (Lead.created_at >= day_start(day), Lead.created_at < day_start(day + timedelta(days=1)))
        connection.execute(delete(LeadTally).where(LeadTally.day == day))
        connection.execute(delete(LeadStandardTally).where(LeadStandardTally.day == day))
        # Grouped outside the subquery: PostgreSQL does not match a CASE with bound parameters
        # in SELECT to the same CASE in GROUP BY.
        keys = (
            select(
                Lead.status.label("status"),
                func.coalesce(Lead.assigned_to_id, 0).label("owner_id"),
                case((Lead.first_response_at.is_not(None), True), else_=False).label("answered"),
                case((Lead.duplicate_of_id.is_not(None), True), else_=False).label("merged"),
            )
            .where(*in_day)
            .subquery()
        )
        connection.execute(
            insert(LeadTally).from_select(
                ["day", "status", "owner_id", "answered", "merged", "leads"],
                select(
                    literal(day), keys.c.status, keys.c.owner_id, keys.c.answered, keys.c.merged, func.count()
                ).group_by(keys.c.status, keys.c.owner_id, keys.c.answered, keys.c.merged),
            )
        )
        connection.execute(
            insert(LeadStandardTally).from_select(
                ["day", "standard_id", "leads"],
                select(literal(day), lead_standards.c.standard_id, func.count())
                .select_from(Lead)
                .join(lead_standards, lead_standards.c.lead_id == Lead.id)
                .where(*in_day, Lead.status != lead_status.SPAM)
                .group_by(lead_standards.c.standard_id),
            )
        )


def rebuild(session: Session) -> int:
    """Recount every day from the first lead's to today (and drop rows of days without leads); the days counted."""
    first, last = session.execute(select(func.min(Lead.created_at), func.max(Lead.created_at))).one()
    session.execute(delete(LeadTally))
    session.execute(delete(LeadStandardTally))
    if first is None:
        return 0
    days = [day_of(first) + timedelta(days=n) for n in range((day_of(last) - day_of(first)).days + 1)]
    recount(session, days)
    return len(days)


def _changed(lead: Lead) -> bool:
    state = attributes.instance_state(lead)
    return any(state.attrs[name].history.has_changes() for name in COUNTED)


def _recount_flushed(session: Session, _context: Any) -> None:
    """after_flush: add the leads this flush created; recount the days of those it deleted or
    changed in a counted way."""
    created = [lead for lead in session.new if isinstance(lead, Lead) and lead.created_at is not None]
    days = {
        day_of(lead.created_at)
        for group, check in ((session.deleted, False), (session.dirty, True))
        for lead in group
        if isinstance(lead, Lead) and lead.created_at is not None and (not check or _changed(lead))
    }
    if created:
        count_new(session, created)
    recount(session, days)


def keep_tallies() -> None:
    """Listen on every session (once per process: the listener is global)."""
    if not event.contains(Session, "after_flush", _recount_flushed):
        event.listen(Session, "after_flush", _recount_flushed)
