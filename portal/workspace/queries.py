"""The dashboard's reads: the morning counters, the certificates needing attention, the
leads per week by standard, and the first-response times.

Six queries in all, whatever the number of leads and engagements: the lead counters
are one query over the kept per-day counts (portal.leads.tallies; plus one for this
month's conversions), the certificates one aggregate over the engagements, the chart one
grouped query over the kept per-day counts by standard with the weeks as a CASE over fixed
boundaries (the same SQL on SQLite and PostgreSQL); the
response settings and the last 30 days' arrival and first-response times one each (the
response-target counters ride with the lead counters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Subquery, case, func, literal, null, select, union_all

from portal.domain import lead_status, lifecycle
from portal.domain.certificate import VALID_STATES, State
from portal.domain.working_days import MUSCAT, subtract_working_time
from portal.extensions import db
from portal.leads.queries.filters import WAITING_AFTER
from portal.leads.response import Deadlines, awaiting_response
from portal.leads.services import ActivityKind
from portal.leads.tallies import day_of, day_start
from portal.models import Activity, Engagement, Lead, LeadStandardTally, LeadTally, Standard, User

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


def _kept_and_live(start: datetime | None, end: datetime, kept: tuple, live: tuple) -> Subquery:
    """(owner, leads) rows whose sum is the number of leads created in [start, end) (from the
    beginning when `start` is None) matching `kept` (on LeadTally) and `live` (the same on Lead).

    The whole Muscat days inside come from the kept counts (portal.leads.tallies); the parts
    of a day at either end are counted live from the created-at index: a day's leads at most.
    """
    last = day_of(end)
    if start is not None:
        end = max(start, end)
        first = day_of(start)
        if first == day_of(end):
            edges = [(start, end)]
            days = LeadTally.day.in_([])  # no whole day
        else:
            edges = [(start, day_start(first + timedelta(days=1))), (day_start(last), end)]
            days = (LeadTally.day > first) & (LeadTally.day < last)
    else:
        edges = [(day_start(last), end)]
        days = LeadTally.day < last
    kept_rows = select(LeadTally.owner_id.label("owner_id"), LeadTally.leads.label("leads")).where(*kept, days)
    # One select per edge (not an OR of both): each is then a range of the covering index alone.
    live_rows = [
        select(func.coalesce(Lead.assigned_to_id, 0).label("owner_id"), literal(1).label("leads")).where(
            *live, Lead.created_at >= since, Lead.created_at < until
        )
        for since, until in edges
    ]
    return union_all(kept_rows, *live_rows).subquery()


def _total(start: datetime | None, end: datetime, kept: tuple, live: tuple) -> object:
    rows = _kept_and_live(start, end, kept, live)
    return select(func.coalesce(func.sum(rows.c.leads), 0)).scalar_subquery()


def _kept(*conditions) -> object:
    """The kept count of leads (portal.leads.tallies) matching `conditions` on LeadTally."""
    return select(func.coalesce(func.sum(LeadTally.leads), 0)).where(*conditions).scalar_subquery()


# A lead nobody has answered yet (portal.leads.response.awaiting_response), on the kept counts.
AWAITING = (LeadTally.status == lead_status.NEW, LeadTally.answered.is_(False), LeadTally.merged.is_(False))


def counters(user_id: int, now: datetime, limits: Deadlines) -> Counters:
    """The morning counters in two queries (`limits`: the response target's cutoffs at `now`).

    Each counter is a sum of the kept per-day counts (portal.leads.tallies), exact and a
    few thousand rows at most whatever the number of leads; a cutoff inside a day adds that
    day's leads up to the cutoff, counted live.
    """
    row = db.session.execute(
        select(
            _kept(LeadTally.status == lead_status.NEW),
            _kept(LeadTally.owner_id == user_id, LeadTally.status.in_(sorted(lead_status.OPEN_STATUSES))),
            _total(
                None, waiting_cutoff(now), (LeadTally.status == lead_status.NEW,), (Lead.status == lead_status.NEW,)
            ),
            _total(limits.overdue_before, limits.due_soon_before, AWAITING, (awaiting_response(),)),
            _total(None, limits.overdue_before, AWAITING, (awaiting_response(),)),
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
    """(week index, standard code, standard position, leads) for non-spam leads since starts[0],
    summed from the kept per-day counts (portal.leads.tallies): weeks start at a Muscat midnight."""
    days = [day_of(start) for start in starts]
    week = case(*[(LeadStandardTally.day >= day, index) for index, day in reversed(list(enumerate(days)))], else_=-1)
    # Grouping happens outside the subquery: PostgreSQL cannot match a CASE with bound
    # parameters in SELECT to the same CASE in GROUP BY.
    rows = (
        select(week.label("week"), LeadStandardTally.standard_id, LeadStandardTally.leads)
        .where(LeadStandardTally.day >= days[0])
        .subquery()
    )
    stmt = (
        select(rows.c.week, Standard.code, Standard.position, func.sum(rows.c.leads))
        .join(Standard, Standard.id == rows.c.standard_id)
        .group_by(rows.c.week, Standard.id, Standard.code, Standard.position)
    )
    return [(int(w), code, int(position), int(n)) for w, code, position, n in db.session.execute(stmt)]


@dataclass(frozen=True)
class ResponseSample:
    """One answered lead of the period: its consultant (None: unassigned), arrival and first response."""

    owner_id: int | None
    owner_name: str
    created_at: datetime
    first_response_at: datetime


@dataclass(frozen=True)
class ResponseSamples:
    """The period's answered leads one by one, and per consultant the unanswered ones past the target."""

    answered: list[ResponseSample]
    missed: dict[int | None, tuple[str, int]]  # every owner of the period (None: unassigned) -> (name, missed)


def response_samples(since: datetime, now: datetime, missed_before: datetime) -> ResponseSamples:
    """Non-spam, unmerged leads that arrived since `since`, in one query: the answered ones one
    by one (read along the partial index of answered leads by arrival), then per consultant
    the unanswered ones that arrived before `missed_before` and whether they have any lead
    in the period (kept counts and the days' edges). Undecided leads are not read one by one."""
    counted = (Lead.status != lead_status.SPAM, Lead.duplicate_of_id.is_(None))
    answered = select(
        func.coalesce(Lead.assigned_to_id, 0).label("owner_id"),
        Lead.created_at,
        Lead.first_response_at,
        literal(1).label("leads"),
    ).where(Lead.created_at >= since, Lead.first_response_at.is_not(None), *counted)
    unanswered = _kept_and_live(
        since,
        min(missed_before, now),
        (LeadTally.status != lead_status.SPAM, LeadTally.answered.is_(False), LeadTally.merged.is_(False)),
        (*counted, Lead.first_response_at.is_(None)),
    )
    missed = select(
        unanswered.c.owner_id,
        null().label("created_at"),
        null().label("first_response_at"),
        func.sum(unanswered.c.leads),
    ).group_by(unanswered.c.owner_id)
    # Every consultant with a lead in the period has a row on the chart, decided or not.
    present = _kept_and_live(since, now, (LeadTally.status != lead_status.SPAM, LeadTally.merged.is_(False)), counted)
    present_rows = select(
        present.c.owner_id, null().label("created_at"), null().label("first_response_at"), literal(0)
    ).group_by(present.c.owner_id)
    rows = union_all(answered, missed, present_rows).subquery()
    result = ResponseSamples([], {})
    for owner_id, name, created, first, n in db.session.execute(
        select(rows.c.owner_id, User.name, rows.c.created_at, rows.c.first_response_at, rows.c.leads).outerjoin(
            User, User.id == rows.c.owner_id
        )
    ):
        if first is not None:
            result.answered.append(ResponseSample(owner_id or None, name or "", created, first))
        else:
            owner = owner_id or None
            result.missed[owner] = (name or "", result.missed.get(owner, ("", 0))[1] + int(n or 0))
    return result
