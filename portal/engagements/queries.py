"""Reads of the engagements area: the board's and list's filters (query string -> typed
filter -> one select), and an engagement's schedule as a domain value.

Query-string names: owner (me, none or a user id), stage, standard (slug), body
(certification body id), due_within (days), q (client name), view (board or list),
page, per_page. Bad values never raise: they are ignored and come back as a message
for the field, so the page can say what was ignored (portal.web.listing reads them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import ORMOption
from werkzeug.datastructures import MultiDict

from portal.domain import lifecycle
from portal.domain.schedule import Schedule, ScheduleRules, add_months
from portal.extensions import db
from portal.models import Client, Engagement, Standard
from portal.web.listing import (
    PER_PAGE_CHOICES,
    ParsedFilter,
    QueryReader,
    changed_args,
    like_pattern,
    parse_int,
    search_terms,
)

MAX_DUE_WITHIN = 3660


@dataclass(frozen=True)
class EngagementFilter:
    """A validated board or list view. Defaults: everything, board view, 25 a page."""

    view: str = "board"
    q: str = ""
    owner: str = ""  # "", "me", "none" or a user id
    stage: str = ""
    standard: str = ""
    body: int | None = None
    due_within: int | None = None
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]

    def query_args(self, **overrides: Any) -> dict[str, Any]:
        """The values that differ from the defaults, as query-string arguments for links."""
        return changed_args(self, **overrides)


def parse_engagement_filter(args: MultiDict[str, str]) -> ParsedFilter[EngagementFilter]:
    """Read the board's or list's query string; never raises on bad input."""
    reader = QueryReader(args)
    if reader.raw("view") == "list":
        reader.values["view"] = "list"
    reader.search()
    reader.assignee("owner", _l("Choose me, nobody or a consultant."))
    reader.choice("stage", lifecycle.STAGES, _l("Unknown stage: %(value)s.", value=reader.raw("stage")[:40]))
    reader.pattern("standard")
    reader.read("body", lambda raw: parse_int(raw) or None, _l("Choose a certification body from the list."))
    reader.read(
        "due_within",
        lambda raw: days if (days := parse_int(raw)) is not None and days <= MAX_DUE_WITHIN else None,
        _l("Enter a number of days from 0 to %(max)s.", max=MAX_DUE_WITHIN),
    )
    reader.paging(PER_PAGE_CHOICES)
    return ParsedFilter(EngagementFilter(**reader.values), reader.errors)


def engagement_or_404(engagement_id: int, *options: ORMOption) -> Engagement:
    """The engagement of a page (404 when there is none), with what that page reads loaded up front."""
    return db.get_or_404(Engagement, engagement_id, options=list(options))


def _due_by(cutoff: date) -> Any:
    """The stage's next audit (portal.domain.schedule.OUTSTANDING_AUDITS) is due on or before `cutoff`."""
    return or_(
        and_(
            Engagement.stage.in_((lifecycle.CERTIFIED, lifecycle.SURVEILLANCE_1)),
            Engagement.surveillance_1_due <= cutoff,
        ),
        and_(Engagement.stage == lifecycle.SURVEILLANCE_2, Engagement.surveillance_2_due <= cutoff),
        and_(Engagement.stage == lifecycle.RECERTIFICATION, Engagement.recertification_due <= cutoff),
    )


def apply_filter(stmt: Select, flt: EngagementFilter, current_user_id: int | None, today: date) -> Select:
    """Add the WHERE clauses of `flt` to a select over Engagement joined to Client."""
    if flt.owner == "me":
        stmt = stmt.where(Engagement.owner_id == current_user_id)
    elif flt.owner == "none":
        stmt = stmt.where(Engagement.owner_id.is_(None))
    elif flt.owner:
        stmt = stmt.where(Engagement.owner_id == int(flt.owner))
    if flt.stage:
        stmt = stmt.where(Engagement.stage == flt.stage)
    if flt.standard:
        stmt = stmt.where(Engagement.standards.any(Standard.slug == flt.standard))
    if flt.body is not None:
        stmt = stmt.where(Engagement.certification_body_id == flt.body)
    if flt.due_within is not None:
        stmt = stmt.where(_due_by(today + timedelta(days=flt.due_within)))
    for term in search_terms(flt.q):
        stmt = stmt.where(func.lower(Client.name).like(like_pattern(term), escape="\\"))
    return stmt


def engagement_query(flt: EngagementFilter, current_user_id: int | None, today: date) -> Select:
    """The engagements of the view with everything a card or row shows, loaded up front."""
    stmt = select(Engagement).join(Engagement.client)
    return (
        apply_filter(stmt, flt, current_user_id, today)
        .options(
            joinedload(Engagement.client),
            joinedload(Engagement.owner),
            joinedload(Engagement.certification_body),
            selectinload(Engagement.standards),
        )
        .order_by(func.lower(Client.name), Engagement.id)
    )


def schedule_rules() -> ScheduleRules:
    """The cycle's figures; the recertification lead times are settings (practice, not a standard)."""
    config = current_app.config
    return ScheduleRules(
        recertification_start_months=int(config.get("RECERTIFICATION_START_MONTHS", 6)),
        recertification_audit_months=int(config.get("RECERTIFICATION_AUDIT_MONTHS", 3)),
    )


def schedule_of(engagement: Engagement) -> Schedule | None:
    """The engagement's current schedule as a domain value (None before the first certificate)."""
    dates = (
        engagement.cycle_start,
        engagement.expiry_date,
        engagement.surveillance_1_due,
        engagement.surveillance_2_due,
        engagement.recertification_due,
    )
    if any(value is None for value in dates):
        return None
    return Schedule(
        cycle_start=engagement.cycle_start,
        expiry=engagement.expiry_date,
        surveillance_1_due=engagement.surveillance_1_due,
        surveillance_2_due=engagement.surveillance_2_due,
        recertification_start=add_months(engagement.expiry_date, -schedule_rules().recertification_start_months),
        recertification_due=engagement.recertification_due,
    )
