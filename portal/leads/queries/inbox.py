"""What the inbox page shows: one page of leads as ready-made rows, and the filter options.

A fixed number of queries whatever the page size or the number of leads: the page (the
region's and the assignee's names joined in), its standards, its tags, a capped count, one
query for the duplicate flags, the consultants and the tags (the reference lists are kept per
content version: portal/leads/queries/reference.py). The rows are plain rows read by SQL Core,
not ORM objects: building 25 leads with their relations through the ORM cost more CPU than the
page's SQL itself (about 4 ms a page), and a row only shows a few columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Row, Select, func, literal, select, union_all

from portal.auth.queries import assignable_users
from portal.core.formats import moment_formatter, short_duration
from portal.domain import lead_status
from portal.domain.working_days import age_parts, subtract_working_time, working_days_between
from portal.extensions import db
from portal.leads.queries.filters import PER_PAGE_CHOICES, WAITING_AFTER, LeadFilter, capped_count, lead_query
from portal.leads.queries.reference import filter_reference
from portal.leads.response import ResponseState, deadlines, load_response_settings
from portal.models import Lead, Region, Standard, Tag, User, lead_standards, lead_tags
from portal.web.listing import row_urls

# What a row shows or needs (duplicate flags, badges); the message, the JSON columns and the
# rest stay in the database. A row holds these values only, so no template change can turn
# into one lazy query per row.
ROW_COLUMNS = (
    Lead.id,
    Lead.reference,
    Lead.created_at,
    Lead.contact_name,
    Lead.email,
    Lead.email_normalised,
    Lead.email_kind,
    Lead.phone,
    Lead.company,
    Lead.company_normalised,
    Lead.employees,
    Lead.status,
    Lead.score,
    Lead.duplicate_of_id,
    Lead.first_response_at,
    Region.name.label("region"),
    User.name.label("assignee"),
)


class RowPagination(Pagination):
    """One page of a select's rows: flask-sqlalchemy's pagination with rows rather than ORM objects.
    Made with count=False: the caller sets the total (a capped count)."""

    def _query_items(self) -> list[Row[Any]]:
        stmt: Select = self._query_args["select"]
        return list(db.session.execute(stmt.limit(self.per_page).offset(self._query_offset)))


def inbox_page(flt: LeadFilter, current_user_id: int) -> Pagination:
    """The requested page of the filtered view; its total is counted up to COUNT_CAP + 1."""
    stmt = lead_query(flt, current_user_id)
    rows = (
        stmt.with_only_columns(*ROW_COLUMNS)
        .outerjoin(Region, Region.id == Lead.region_id)
        .outerjoin(User, User.id == Lead.assigned_to_id)
    )
    page = RowPagination(
        select=rows,
        page=flt.page,
        per_page=flt.per_page,
        max_per_page=PER_PAGE_CHOICES[-1],
        error_out=False,
        count=False,
    )
    page.total = capped_count(stmt)
    return page


@dataclass(frozen=True, slots=True)
class InboxRow:
    """A lead with what its row shows, computed once in the view."""

    lead: Row[Any]  # the columns of ROW_COLUMNS
    url: str
    created: str  # when it arrived, in Oman time and the reader's language
    standards: tuple[str, ...]  # codes, in the standards' order
    tags: tuple[Row[Any], ...]  # id, name and colour, by name
    age: str
    waiting: bool
    working_days: float | None  # only for a waiting lead, whose badge shows it
    possible_duplicate: bool
    response: ResponseState | None  # close to or past the response target, still unanswered


CONTACT_KEYS = ("email_normalised", "phone", "company_normalised")


def possible_duplicates(leads: Sequence[Row[Any]]) -> set[int]:
    """Ids of these leads that share an e-mail, phone or company with another unmerged lead.

    One query for the whole page (the same rule as the "has possible duplicates" filter).
    """
    parts = []
    for key in CONTACT_KEYS:
        column = getattr(Lead, key)
        values = sorted({getattr(lead, key) for lead in leads if getattr(lead, key)})
        parts.append(
            select(literal(key).label("key"), column.label("value"))
            .where(column.in_(values), Lead.duplicate_of_id.is_(None))
            .group_by(column)
            .having(func.count() > 1)
        )
    shared = set(db.session.execute(union_all(*parts)).tuples())
    return {
        lead.id
        for lead in leads
        if lead.duplicate_of_id is None and any((key, getattr(lead, key)) in shared for key in CONTACT_KEYS)
    }


def _per_lead(stmt: Select) -> defaultdict[int, list[Row[Any]]]:
    """`stmt`'s rows by their `lead_id`, each lead's in the statement's order."""
    grouped: defaultdict[int, list[Row[Any]]] = defaultdict(list)
    for row in db.session.execute(stmt):
        grouped[row.lead_id].append(row)
    return grouped


def _standards_and_tags(ids: list[int]) -> tuple[defaultdict[int, list[Row[Any]]], defaultdict[int, list[Row[Any]]]]:
    """The page's standards (by position) and tags (by name), one query each; none for an empty page."""
    if not ids:
        return defaultdict(list), defaultdict(list)
    standards = (
        select(lead_standards.c.lead_id, Standard.code)
        .join(Standard, Standard.id == lead_standards.c.standard_id)
        .where(lead_standards.c.lead_id.in_(ids))
        .order_by(Standard.position, Standard.id)
    )
    tags = (
        select(lead_tags.c.lead_id, Tag.id, Tag.name, Tag.colour)
        .join(Tag, Tag.id == lead_tags.c.tag_id)
        .where(lead_tags.c.lead_id.in_(ids))
        .order_by(Tag.name)
    )
    return _per_lead(standards), _per_lead(tags)


def inbox_rows(leads: Sequence[Row[Any]], now: datetime) -> list[InboxRow]:
    """Rows with their link, arrival time, standards, tags, age, the waiting badge (new, over two working days),
    the response-target state and the duplicate flag."""
    cutoff = subtract_working_time(now, WAITING_AFTER)
    limits = deadlines(load_response_settings(), now)
    duplicates = possible_duplicates(leads)
    standards, tags = _standards_and_tags([lead.id for lead in leads])
    url = row_urls("leads.detail")
    moment = moment_formatter()  # the language's patterns looked up once, not per row
    ages: dict[tuple[int, str], str] = {}  # each age's words found once a page, not per row
    rows = []
    for lead in leads:
        age = age_parts(lead.created_at, now)
        waiting = lead.status == lead_status.NEW and lead.created_at < cutoff
        rows.append(
            InboxRow(
                lead=lead,
                url=url(lead.id),
                created=moment(lead.created_at),
                standards=tuple(standard.code for standard in standards[lead.id]),
                tags=tuple(tags[lead.id]),
                age=ages.get(age) or ages.setdefault(age, short_duration(*age)),
                waiting=waiting,
                working_days=round(working_days_between(lead.created_at, now), 1) if waiting else None,
                possible_duplicate=lead.id in duplicates,
                response=limits.state(lead),
            )
        )
    return rows


def filter_choices() -> dict:
    """Options of the filter and bulk selects: the reference lists as kept per content version,
    the consultants and tags one query each."""
    reference = filter_reference()
    return {
        "standards": reference.standards,
        "regions": reference.regions,
        "sectors": reference.sectors,
        "consultants": assignable_users(),
        "tags": db.session.execute(select(Tag.id, Tag.name, Tag.colour).order_by(func.lower(Tag.name))).all(),
    }
