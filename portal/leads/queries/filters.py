"""The inbox's filters: query string -> typed filter -> one SQLAlchemy select.

Filters live in the query string so a view can be bookmarked and shared. Every
list in the workspace uses the same names: q, status, assigned (me, none or a user
id), standard and location (slugs), sector (IAF code), sort, page, per_page; the inbox
adds tag (a tag's id).
Bad values never raise: they fall back to the default and come back as a message
for the field, so the page can say what was ignored (portal.web.listing reads them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from portal.domain.working_days import MUSCAT, subtract_working_time
from portal.extensions import db
from portal.leads.queries.reference import filter_reference
from portal.models import Lead, LeadStatus, lead_standards, lead_tags
from portal.models.lead import LEAD_SEARCH_TEXT
from portal.models.types import utcnow
from portal.web.listing import (
    PER_PAGE_CHOICES,
    ParsedFilter,
    QueryReader,
    changed_args,
    like_pattern,
    parse_date,
    parse_int,
    search_terms,
)

OPEN_STATUSES: tuple[str, ...] = (LeadStatus.NEW.value, LeadStatus.CONTACTED.value, LeadStatus.QUALIFIED.value)
ALL_STATUSES: tuple[str, ...] = tuple(status.value for status in LeadStatus)
WAITING_AFTER = timedelta(days=2)  # Oman working days before a new lead counts as waiting
DEFAULT_SORT = "-created"
# Counting stops here: an exact count of a broad search over 100,000 leads costs more than
# the page itself, and past this many rows nobody pages through, they narrow the filters.
COUNT_CAP = 1000
# On PostgreSQL a view its planner expects to hold this many leads or more is shown as "more than
# COUNT_CAP" without counting: counting even 1,001 of 80,000 matches builds the whole match set
# first (the trigram bitmap of a broad word, a hash of a standard's leads), 20 to 100 ms at a
# million leads, where asking the planner costs a fraction of a millisecond. At four times the
# cap, an estimate that far off would be needed to show "more than" wrongly (bench/README.md).
ESTIMATE_TRUSTED_FROM = 4 * COUNT_CAP
# A whole reference as the enquiry form makes them (ENQ-2026-000123) or the demo data (ENQ-DEMO-0001).
WHOLE_REFERENCE = re.compile(r"ENQ(-[A-Z0-9]+)+", re.IGNORECASE)

# Sort keys from an allow-list; the id breaks ties so pages never overlap.
SORTS: dict[str, tuple[Any, ...]] = {
    "-created": (Lead.created_at.desc(), Lead.id.desc()),
    "created": (Lead.created_at.asc(), Lead.id.asc()),
    "-score": (Lead.score.desc(), Lead.created_at.desc(), Lead.id.desc()),
    "score": (Lead.score.asc(), Lead.created_at.desc(), Lead.id.desc()),
    "company": (func.lower(Lead.company).asc(), Lead.id.asc()),
    "-company": (func.lower(Lead.company).desc(), Lead.id.desc()),
}
SORT_LABELS = {
    "-created": _l("Newest first"),
    "created": _l("Oldest first"),
    "-score": _l("Highest score"),
    "score": _l("Lowest score"),
    "company": _l("Company A–Z"),
    "-company": _l("Company Z–A"),
}


@dataclass(frozen=True)
class LeadFilter:
    """A validated inbox view. Defaults: open leads, newest first, 25 a page."""

    q: str = ""
    status: tuple[str, ...] = OPEN_STATUSES
    assigned: str = ""  # "", "me", "none" or a user id
    standard: str = ""
    location: str = ""
    sector: int | None = None
    tag: int | None = None
    score_min: int | None = None
    score_max: int | None = None
    created_from: date | None = None
    created_to: date | None = None
    duplicates: bool = False
    waiting: bool = False  # new leads waiting over two Oman working days
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]

    def query_args(self) -> dict[str, Any]:
        """The values that differ from the defaults, as query-string arguments for links."""
        args = changed_args(self)
        if self.status == ALL_STATUSES:
            args["status"] = "all"
        return args


def parse_lead_filter(args: MultiDict[str, str]) -> ParsedFilter[LeadFilter]:
    """Read the inbox's query string; never raises on bad input."""
    reader = QueryReader(args)
    reader.search()
    _read_statuses(reader)
    reader.assignee("assigned", _l("Choose me, unassigned or a consultant."))
    reader.pattern("standard")
    reader.pattern("location")
    reader.sector()
    reader.read("tag", parse_int, _l("Unknown tag."))
    for name in ("score_min", "score_max"):
        reader.read(name, parse_int, _l("Enter a whole number, 0 or more."))
    values, errors = reader.values, reader.errors
    low, high = values.get("score_min"), values.get("score_max")
    if low is not None and high is not None and low > high:
        errors["score_max"] = str(_l("The highest score must not be below the lowest."))
        del values["score_max"]
    for name in ("created_from", "created_to"):
        reader.read(name, parse_date, _l("Enter a date as YYYY-MM-DD."))
    if values.get("created_from") and values.get("created_to") and values["created_from"] > values["created_to"]:
        errors["created_to"] = str(_l("The end date must not be before the start date."))
        del values["created_to"]
    reader.flag("duplicates")
    reader.flag("waiting")
    reader.sort(SORTS)
    reader.paging(PER_PAGE_CHOICES)
    return ParsedFilter(LeadFilter(**values), errors)


def _read_statuses(reader: QueryReader) -> None:
    """status may repeat; "all" alone means every status, one unknown value voids the field."""
    statuses = [s for s in reader.args.getlist("status") if s.strip()]
    if statuses == ["all"]:
        reader.values["status"] = ALL_STATUSES
    elif statuses:
        unknown = [s for s in statuses if s not in ALL_STATUSES]
        if unknown:
            reader.errors["status"] = str(_l("Unknown status: %(value)s.", value=", ".join(unknown)))
        else:
            reader.values["status"] = tuple(s for s in ALL_STATUSES if s in statuses)


def _muscat_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=MUSCAT)


def _search_clause(term: str) -> Any:
    """One word matches reference, company, contact, e-mail, phone or message (case-insensitive, anywhere).

    A phone number typed with punctuation, "(+968) 9123-4567", is looked for as its digits too
    (and as typed, which is how part of a reference, "2026-000123", is found).
    """
    found = LEAD_SEARCH_TEXT.like(like_pattern(term), escape="\\")
    digits = re.sub(r"[\s()+-]", "", term)
    if digits.isdigit() and digits != term:
        return or_(found, LEAD_SEARCH_TEXT.like(like_pattern(digits), escape="\\"))
    return found


def lead_with_reference(q: str) -> int | None:
    """The id of the lead whose reference is exactly this search (ENQ-2026-000123), else None.

    Only a search shaped like a whole reference costs a query (the unique index on the
    reference answers it), so a consultant who types one goes straight to that lead.
    """
    if not WHOLE_REFERENCE.fullmatch(q):
        return None
    return db.session.scalar(select(Lead.id).where(Lead.reference == q.upper()))


def _shared_values(column: Any) -> Select:
    """Non-empty values of `column` that more than one unmerged lead has."""
    return select(column).where(Lead.duplicate_of_id.is_(None), column != "").group_by(column).having(func.count() > 1)


def _shared_contact_clauses() -> list[Any]:
    """A lead has possible duplicates when another unmerged lead shares its e-mail, phone or
    company (portal.domain.duplicates; the 180-day window is left to the lead page)."""
    return [
        column.in_(_shared_values(column)) for column in (Lead.email_normalised, Lead.phone, Lead.company_normalised)
    ]


def _only(found: int | None) -> tuple[int, ...]:
    return () if found is None else (found,)


def apply_filter(stmt: Select, flt: LeadFilter, current_user_id: int | None) -> Select:
    """Add the WHERE clauses of `flt` to a select over Lead (shared by the inbox and the export)."""
    if flt.status != ALL_STATUSES:
        stmt = stmt.where(Lead.status.in_(flt.status))
    if flt.assigned == "me":
        stmt = stmt.where(Lead.assigned_to_id == current_user_id)
    elif flt.assigned == "none":
        stmt = stmt.where(Lead.assigned_to_id.is_(None))
    elif flt.assigned:
        stmt = stmt.where(Lead.assigned_to_id == int(flt.assigned))
    reference = filter_reference()  # a slug or code that names nothing matches nothing
    if flt.standard:
        standard_ids = _only(reference.standard_ids.get(flt.standard))
        stmt = stmt.where(
            exists().where(lead_standards.c.lead_id == Lead.id, lead_standards.c.standard_id.in_(standard_ids))
        )
    if flt.location:
        stmt = stmt.where(Lead.region_id.in_(reference.region_ids.get(flt.location, ())))
    if flt.sector is not None:
        stmt = stmt.where(Lead.sector_id.in_(_only(reference.sector_ids.get(flt.sector))))
    if flt.tag is not None:
        stmt = stmt.where(Lead.id.in_(select(lead_tags.c.lead_id).where(lead_tags.c.tag_id == flt.tag)))
    if flt.score_min is not None:
        stmt = stmt.where(Lead.score >= flt.score_min)
    if flt.score_max is not None:
        stmt = stmt.where(Lead.score <= flt.score_max)
    if flt.created_from:
        stmt = stmt.where(Lead.created_at >= _muscat_midnight(flt.created_from))
    if flt.created_to:
        stmt = stmt.where(Lead.created_at < _muscat_midnight(flt.created_to + timedelta(days=1)))
    if flt.duplicates:
        stmt = stmt.where(Lead.duplicate_of_id.is_(None), or_(*_shared_contact_clauses()))
    if flt.waiting:
        cutoff = subtract_working_time(utcnow(), WAITING_AFTER)
        stmt = stmt.where(Lead.status == LeadStatus.NEW.value, Lead.created_at < cutoff)
    for term in search_terms(flt.q):
        stmt = stmt.where(_search_clause(term))
    return stmt


def lead_query(flt: LeadFilter, current_user_id: int | None) -> Select:
    """The leads of the view, filtered and sorted (the inbox pages it, the export streams it)."""
    return apply_filter(select(Lead), flt, current_user_id).order_by(*SORTS[flt.sort])


def with_row_relations(stmt: Select) -> Select:
    """Load everything a row shows up front, so the number of queries never depends on the rows.

    Many-to-one relations come in the same query (joined); the standards and the tags come
    in one more query each for the whole page (or chunk).
    """
    return stmt.options(
        joinedload(Lead.region),
        joinedload(Lead.sector),
        joinedload(Lead.assigned_to),
        selectinload(Lead.standards),
        selectinload(Lead.tags),
    )


def capped_count(stmt: Select) -> int:
    """The number of rows `stmt` returns, counted up to COUNT_CAP + 1 (more than the cap shows as such).

    On PostgreSQL the planner is asked first (one EXPLAIN): when it expects ESTIMATE_TRUSTED_FROM
    rows or more, the answer is COUNT_CAP + 1 without counting."""
    ids = stmt.order_by(None).with_only_columns(Lead.id)
    if planner_rows(ids) >= ESTIMATE_TRUSTED_FROM:
        return COUNT_CAP + 1
    rows = ids.limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(rows)) or 0


def planner_rows(stmt: Select) -> float:
    """PostgreSQL's estimate of the rows `stmt` returns (planned, not run); 0 on other databases."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return 0
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + compiled.string, compiled.params).scalar()
    return float(plan[0]["Plan"]["Plan Rows"])


def capped_counts(filters: list[LeadFilter], current_user_id: int | None) -> list[int]:
    """The leads of each filter, counted like capped_count but all in ONE statement (the inbox's
    tabs): a capped count per filter, each a scalar subquery of one SELECT."""
    if not filters:
        return []
    counts = []
    for flt in filters:
        rows = apply_filter(select(Lead.id), flt, current_user_id).limit(COUNT_CAP + 1).subquery()
        counts.append(select(func.count()).select_from(rows).scalar_subquery())
    return [count or 0 for count in db.session.execute(select(*counts)).one()]


def view_query(flt: LeadFilter) -> str:
    """The filter as a saved view keeps it: its non-default arguments but the page, in a fixed
    order, so two equal filters give the same string whatever order they were typed in."""
    args = {key: value for key, value in flt.query_args().items() if key != "page"}
    return urlencode(sorted(args.items()), doseq=True)


def filter_from_query(query: str) -> LeadFilter:
    """A saved view's filter, read by the same rules as a typed URL (a value that no longer
    reads, say a deleted consultant, falls back to its default)."""
    return parse_lead_filter(MultiDict(parse_qsl(query))).filter
