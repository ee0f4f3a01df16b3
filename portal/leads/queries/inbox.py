"""What the inbox page shows: one page of leads as ready-made rows, and the filter options.

A fixed number of queries whatever the page size or the number of leads: the page
(with its relations, the tags included), a capped count, one query for the duplicate
flags, one per option list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import defaultload, load_only

from portal.auth.queries import assignable_users
from portal.domain import lead_status
from portal.domain.working_days import age_parts, subtract_working_time, working_days_between
from portal.extensions import db
from portal.leads.presentation import RESPONSE_BADGES
from portal.leads.queries.filters import (
    PER_PAGE_CHOICES,
    WAITING_AFTER,
    LeadFilter,
    capped_count,
    lead_query,
    with_row_relations,
)
from portal.leads.response import ResponseState, deadlines, load_response_settings
from portal.models import Lead, Region, Sector, Standard, Tag, User

AGE_UNITS = {"min": _l("%(n)s min"), "h": _l("%(n)s h"), "d": _l("%(n)s d")}
# What a row shows or needs (duplicate flags, waiting badge): the message, the JSON columns
# and the assignee's password hash stay in the database. Anything else read raises, so a
# template change that needs a column cannot turn into one lazy query per row.
ROW_COLUMNS = (
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
    Lead.region_id,
    Lead.sector_id,
    Lead.assigned_to_id,
    Lead.duplicate_of_id,
    Lead.first_response_at,
    Lead.version,
)


def inbox_page(flt: LeadFilter, current_user_id: int) -> Pagination:
    """The requested page of the filtered view; its total is counted up to COUNT_CAP + 1."""
    stmt = lead_query(flt, current_user_id)
    page = db.paginate(
        with_row_relations(stmt).options(
            load_only(*ROW_COLUMNS, raiseload=True),
            defaultload(Lead.assigned_to).load_only(User.name, User.active, raiseload=True),
        ),
        page=flt.page,
        per_page=flt.per_page,
        max_per_page=PER_PAGE_CHOICES[-1],
        error_out=False,
        count=False,
    )
    page.total = capped_count(stmt)
    return page


@dataclass(frozen=True)
class InboxRow:
    """A lead with what its row shows, computed once in the view."""

    lead: Lead
    age: str
    waiting: bool
    working_days: float | None  # only for a waiting lead, whose badge shows it
    possible_duplicate: bool
    response: ResponseState | None  # close to or past the response target, still unanswered
    response_label: str


CONTACT_KEYS = ("email_normalised", "phone", "company_normalised")


def possible_duplicates(leads: list[Lead]) -> set[int]:
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


def inbox_rows(leads: list[Lead], now: datetime) -> list[InboxRow]:
    """Rows with their age, the waiting badge (new, over two working days), the response-target
    badge and the duplicate flag."""
    cutoff = subtract_working_time(now, WAITING_AFTER)
    limits = deadlines(load_response_settings(), now)
    badges = {state: str(label) for state, label in RESPONSE_BADGES.items()}
    duplicates = possible_duplicates(leads)
    units = {unit: str(label) for unit, label in AGE_UNITS.items()}  # translated once, not per row
    rows = []
    for lead in leads:
        number, unit = age_parts(lead.created_at, now)
        waiting = lead.status == lead_status.NEW and lead.created_at < cutoff
        response = limits.state(lead)
        rows.append(
            InboxRow(
                lead=lead,
                age=units[unit] % {"n": number},
                waiting=waiting,
                working_days=round(working_days_between(lead.created_at, now), 1) if waiting else None,
                possible_duplicate=lead.id in duplicates,
                response=response,
                response_label=badges[response] if response else "",
            )
        )
    return rows


def filter_choices() -> dict:
    """Options of the filter and bulk selects: one query each, whatever the page shows."""
    return {
        "standards": db.session.execute(
            select(Standard.slug, Standard.code).where(Standard.active.is_(True)).order_by(Standard.position)
        ).all(),
        "regions": db.session.execute(
            select(Region.slug, Region.name, Region.kind).order_by(Region.position, Region.id)
        ).all(),
        "sectors": db.session.execute(select(Sector.code, Sector.name).order_by(Sector.code)).all(),
        "consultants": assignable_users(),
        "tags": db.session.execute(select(Tag.id, Tag.name, Tag.colour).order_by(func.lower(Tag.name))).all(),
    }
