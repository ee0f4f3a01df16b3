"""The engagement board's and list's filters: query string -> typed filter -> one select.

Query-string names: owner (me, none or a user id), stage, standard (slug), body
(certification body id), due_within (days), q (client name), view (board or list),
page, per_page. Bad values never raise: they are ignored and come back as a message
for the field, so the page can say what was ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from portal.domain import lifecycle
from portal.models import Client, Engagement, Standard

PER_PAGE_CHOICES = (25, 50, 100)
MAX_DUE_WITHIN = 3660
MAX_SEARCH_TERMS = 5
SLUG = re.compile(r"^[a-z0-9-]{1,60}$")


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
        default = EngagementFilter()
        args = {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if getattr(self, item.name) != getattr(default, item.name)
        }
        args.update(overrides)
        return {key: value for key, value in args.items() if value not in (None, "")}


@dataclass
class ParsedFilter:
    filter: EngagementFilter
    errors: dict[str, str] = field(default_factory=dict)


def _int(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def parse_engagement_filter(args: MultiDict[str, str]) -> ParsedFilter:
    """Read the board's or list's query string; never raises on bad input."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if args.get("view", "").strip() == "list":
        values["view"] = "list"
    q = " ".join(args.get("q", "").split())[:200]
    if q:
        values["q"] = q
    owner = args.get("owner", "").strip()
    if owner:
        if owner in ("me", "none") or _int(owner):
            values["owner"] = owner
        else:
            errors["owner"] = str(_l("Choose me, nobody or a consultant."))
    stage = args.get("stage", "").strip()
    if stage:
        if stage in lifecycle.STAGES:
            values["stage"] = stage
        else:
            errors["stage"] = str(_l("Unknown stage: %(value)s.", value=stage[:40]))
    standard = args.get("standard", "").strip()
    if standard:
        if SLUG.match(standard):
            values["standard"] = standard
        else:
            errors["standard"] = str(_l("Unknown value."))
    body = args.get("body", "").strip()
    if body:
        if _int(body):
            values["body"] = _int(body)
        else:
            errors["body"] = str(_l("Choose a certification body from the list."))
    due = args.get("due_within", "").strip()
    if due:
        days = _int(due)
        if days is not None and days <= MAX_DUE_WITHIN:
            values["due_within"] = days
        else:
            errors["due_within"] = str(_l("Enter a number of days from 0 to %(max)s.", max=MAX_DUE_WITHIN))
    page = _int(args.get("page", ""))
    if page:
        values["page"] = page
    per_page = _int(args.get("per_page", ""))
    if per_page:
        values["per_page"] = min((c for c in PER_PAGE_CHOICES if c >= per_page), default=PER_PAGE_CHOICES[-1])
    return ParsedFilter(EngagementFilter(**values), errors)


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
    for term in flt.q.split()[:MAX_SEARCH_TERMS]:
        stmt = stmt.where(func.lower(Client.name).like(_like(term), escape="\\"))
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
