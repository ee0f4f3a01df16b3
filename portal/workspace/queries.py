"""The dashboard's reads: the morning counters, the certificates needing attention, the
leads per week by standard, and the first-response times.

Six queries in all, whatever the number of leads and engagements: the lead counters
are one aggregate over the leads table (plus one for this month's conversions), the
certificates one aggregate over the engagements, the chart one grouped query with the
weeks as a CASE over fixed boundaries (the same SQL on SQLite and PostgreSQL); the
response settings and the last 30 days' arrival and first-response times one each (the
response-target counters ride with the lead counters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select

from portal.domain import lead_status, lifecycle
from portal.domain.certificate import VALID_STATES, State
from portal.domain.working_days import MUSCAT, subtract_working_time
from portal.extensions import db
from portal.leads.queries.filters import WAITING_AFTER
from portal.leads.response import Deadlines, awaiting_response
from portal.leads.services import ActivityKind
from portal.models import Activity, Engagement, Lead, Standard, User, lead_standards

WEEKS = 12


@dataclass(frozen=True)
class Counters:
    new_waiting: int
    my_open: int
    overdue: int
    conversions_this_month: int
    response_due_soon: int  # unanswered, most of the response target used
    response_overdue: int  # unanswered, past the response target


def waiting_cutoff(now: datetime) -> datetime:
    """New leads created before this instant have waited over two Oman working days."""
    return subtract_working_time(now, WAITING_AFTER)


def month_start(now: datetime) -> datetime:
    """The first moment of the current month in Muscat."""
    local = now.astimezone(MUSCAT)
    return datetime.combine(local.date().replace(day=1), time.min, tzinfo=MUSCAT)


def _count(*conditions) -> object:
    return select(func.count()).select_from(Lead).where(*conditions).scalar_subquery()


def counters(user_id: int, now: datetime, limits: Deadlines) -> Counters:
    """The morning counters in two queries (`limits`: the response target's cutoffs at `now`).

    Each counter is its own scalar subquery, so PostgreSQL answers each from an index
    (status + created_at, assigned_to) instead of reading every open lead.
    """
    is_new = Lead.status == lead_status.NEW
    row = db.session.execute(
        select(
            _count(is_new),
            _count(Lead.assigned_to_id == user_id, Lead.status.in_(sorted(lead_status.OPEN_STATUSES))),
            _count(is_new, Lead.created_at < waiting_cutoff(now)),
            _count(
                awaiting_response(), Lead.created_at >= limits.overdue_before, Lead.created_at < limits.due_soon_before
            ),
            _count(awaiting_response(), Lead.created_at < limits.overdue_before),
        )
    ).one()
    conversions = db.session.scalar(
        select(func.count())
        .select_from(Activity)
        .where(Activity.kind == ActivityKind.CONVERSION.value, Activity.created_at >= month_start(now))
    )
    return Counters(int(row[0]), int(row[1]), int(row[2]), int(conversions or 0), int(row[3]), int(row[4]))


@dataclass(frozen=True)
class CertificateCounters:
    """Certificates of open engagements by state (portal.domain.certificate), expired read from the date."""

    suspended: int
    withdrawn: int
    expired: int
    restored: int


def certificate_counters(today: date) -> CertificateCounters:
    """One aggregate over the open engagements that hold a certificate.

    Expired is a valid (active or restored) certificate past its expiry date, the same
    reading as the engagement page; a restored one still valid counts as restored.
    """
    valid = Engagement.certificate_state.in_(sorted(VALID_STATES))
    expired = valid & (Engagement.expiry_date < today)

    def count(condition) -> object:
        return func.count(case((condition, 1)))

    row = db.session.execute(
        select(
            count(Engagement.certificate_state == State.SUSPENDED.value),
            count(Engagement.certificate_state == State.WITHDRAWN.value),
            count(expired),
            count((Engagement.certificate_state == State.RESTORED.value) & ~expired),
        ).where(Engagement.stage != lifecycle.CLOSED, Engagement.expiry_date.is_not(None))
    ).one()
    return CertificateCounters(*(int(n) for n in row))


def week_starts(now: datetime) -> list[datetime]:
    """The Sundays (00:00 in Muscat) that start each of the last WEEKS weeks, oldest first."""
    today = now.astimezone(MUSCAT).date()
    this_sunday = today - timedelta(days=(today.weekday() + 1) % 7)
    return [
        datetime.combine(this_sunday - timedelta(weeks=WEEKS - 1 - index), time.min, tzinfo=MUSCAT)
        for index in range(WEEKS)
    ]


def weekly_counts(starts: list[datetime]) -> list[tuple[int, str, int, int]]:
    """(week index, standard code, standard position, leads) for non-spam leads since starts[0]."""
    week = case(*[(Lead.created_at >= start, index) for index, start in reversed(list(enumerate(starts)))], else_=-1)
    # Grouping happens outside the subquery: PostgreSQL cannot match a CASE with bound
    # parameters in SELECT to the same CASE in GROUP BY.
    rows = (
        select(week.label("week"), lead_standards.c.standard_id)
        .select_from(Lead)
        .join(lead_standards, lead_standards.c.lead_id == Lead.id)
        .where(Lead.created_at >= starts[0], Lead.status != lead_status.SPAM)
        .subquery()
    )
    stmt = (
        select(rows.c.week, Standard.code, Standard.position, func.count())
        .join(Standard, Standard.id == rows.c.standard_id)
        .group_by(rows.c.week, Standard.id, Standard.code, Standard.position)
    )
    return [(int(w), code, int(position), int(n)) for w, code, position, n in db.session.execute(stmt)]


@dataclass(frozen=True)
class ResponseSample:
    """One lead of the period: its consultant (None: unassigned), arrival and first response."""

    owner_id: int | None
    owner_name: str
    created_at: datetime
    first_response_at: datetime | None


def response_samples(since: datetime) -> list[ResponseSample]:
    """Non-spam, unmerged leads that arrived since `since`, with their consultant's name, in one query."""
    rows = db.session.execute(
        select(Lead.assigned_to_id, User.name, Lead.created_at, Lead.first_response_at)
        .outerjoin(User, User.id == Lead.assigned_to_id)
        .where(Lead.created_at >= since, Lead.status != lead_status.SPAM, Lead.duplicate_of_id.is_(None))
    )
    return [ResponseSample(owner_id, name or "", created, first) for owner_id, name, created, first in rows]
