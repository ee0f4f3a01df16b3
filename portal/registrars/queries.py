"""The directory's reads: its filters (query string -> typed filter -> one SQLAlchemy select),
a body's track record, and the reference lists its pages offer.

The names match the lead inbox (q, standard, sector, location, sort, page,
per_page) plus accreditation_body (code), language (code), active (yes, no, all)
and expiring (1). Bad values never raise: they fall back to the default and come
back as a message for the field (portal.web.listing reads them).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload
from werkzeug.datastructures import MultiDict

from portal.domain.accreditation import EXPIRY_WARNING_DAYS
from portal.extensions import db
from portal.models import (
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    Region,
    Sector,
    Standard,
)
from portal.models.quote import Quote, QuoteStatus
from portal.web.listing import (
    PER_PAGE_CHOICES,
    SLUG,
    ParsedFilter,
    QueryReader,
    changed_args,
    like_pattern,
    search_terms,
)

DEFAULT_SORT = "name"
CODE = re.compile(r"^[A-Za-z0-9-]{1,20}$")
ACTIVE_CHOICES = ("yes", "no", "all")
SECONDS_PER_DAY = 86_400

SORTS: dict[str, tuple[Any, ...]] = {
    "name": (func.lower(CertificationBody.name).asc(), CertificationBody.id.asc()),
    "-name": (func.lower(CertificationBody.name).desc(), CertificationBody.id.desc()),
    "day_rate": (CertificationBody.day_rate.asc(), CertificationBody.id.asc()),
    "lead_time": (CertificationBody.lead_time_days.asc(), CertificationBody.id.asc()),
}


@dataclass(frozen=True)
class RegistrarFilter:
    """A validated directory view. Defaults: active bodies, by name, 25 a page."""

    q: str = ""
    standard: str = ""
    sector: int | None = None
    location: str = ""
    accreditation_body: str = ""
    language: str = ""
    active: str = "yes"
    expiring: bool = False
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]

    def query_args(self) -> dict[str, Any]:
        """The values that differ from the defaults, as query-string arguments for links."""
        return changed_args(self)


def parse_registrar_filter(args: MultiDict[str, str]) -> ParsedFilter[RegistrarFilter]:
    """Read the directory's query string; never raises on bad input."""
    reader = QueryReader(args)
    reader.search()
    for name, pattern in (("standard", SLUG), ("location", SLUG), ("accreditation_body", CODE), ("language", SLUG)):
        reader.pattern(name, pattern)
    reader.sector()
    reader.choice("active", ACTIVE_CHOICES, _l("Choose active, inactive or all."))
    reader.flag("expiring")
    reader.sort(SORTS)
    reader.paging(PER_PAGE_CHOICES)
    return ParsedFilter(RegistrarFilter(**reader.values), reader.errors)


def _governorate_ids(slug: str) -> Select:
    """The governorate named by `slug`, or the governorate of the city named by it."""
    parent = aliased(Region)
    return (
        select(func.coalesce(parent.id, Region.id))
        .select_from(Region)
        .outerjoin(parent, Region.governorate_id == parent.id)
        .where(Region.slug == slug)
    )


def apply_filter(stmt: Select, flt: RegistrarFilter, today: date) -> Select:
    """Add the WHERE clauses of `flt` to a select over CertificationBody."""
    if flt.active == "yes":
        stmt = stmt.where(CertificationBody.active.is_(True))
    elif flt.active == "no":
        stmt = stmt.where(CertificationBody.active.is_(False))
    # Standard, sector and accreditation body ask for one current accreditation having them all.
    current = [Accreditation.status == "active", Accreditation.valid_from <= today, Accreditation.valid_until >= today]
    if flt.standard:
        current.append(Accreditation.standard.has(Standard.slug == flt.standard))
    if flt.sector is not None:
        current.append(Accreditation.sectors.any(Sector.code == flt.sector))
    if flt.accreditation_body:
        current.append(Accreditation.accreditation_body.has(AccreditationBody.code == flt.accreditation_body))
    if flt.expiring:
        current.append(Accreditation.valid_until <= today + timedelta(days=EXPIRY_WARNING_DAYS))
    if flt.standard or flt.sector is not None or flt.accreditation_body or flt.expiring:
        stmt = stmt.where(CertificationBody.accreditations.any(and_(*current)))
    if flt.location:
        stmt = stmt.where(
            or_(
                CertificationBody.serves_all_oman.is_(True),
                CertificationBody.regions.any(Region.id.in_(_governorate_ids(flt.location))),
            )
        )
    if flt.language:
        stmt = stmt.where(CertificationBody.language_rows.any(CertificationBodyLanguage.code == flt.language))
    for term in search_terms(flt.q):
        pattern = like_pattern(term)
        columns = (CertificationBody.name, CertificationBody.slug, CertificationBody.country, CertificationBody.email)
        stmt = stmt.where(
            or_(
                *(func.lower(column).like(pattern, escape="\\") for column in columns),
                CertificationBody.accreditations.any(func.lower(Accreditation.number).like(pattern, escape="\\")),
            )
        )
    return stmt


def registrar_query(flt: RegistrarFilter, today: date) -> Select:
    return apply_filter(select(CertificationBody), flt, today).order_by(*SORTS[flt.sort])


def with_row_relations(stmt: Select) -> Select:
    """Load what a row shows in a fixed number of queries, whatever the number of rows."""
    return stmt.options(
        selectinload(CertificationBody.accreditations).joinedload(Accreditation.standard),
        selectinload(CertificationBody.language_rows),
        selectinload(CertificationBody.regions),
    )


@dataclass(frozen=True)
class TrackRecord:
    """How the body answered the consultancy's quote requests."""

    requested: int
    answered: int
    accepted: int
    median_days_to_answer: float | None


def track_record(body_id: int) -> TrackRecord:
    """Quote requests sent to the body, answered (a quote received), accepted, and the median days to answer."""
    rows = db.session.execute(
        select(Quote.status, Quote.requested_at, Quote.received_at).where(Quote.certification_body_id == body_id)
    ).all()
    days = [(received - requested).total_seconds() / SECONDS_PER_DAY for _s, requested, received in rows if received]
    return TrackRecord(
        requested=len(rows),
        answered=len(days),
        accepted=sum(1 for status, _r, _a in rows if status == QuoteStatus.ACCEPTED.value),
        median_days_to_answer=round(statistics.median(days), 1) if days else None,
    )


def governorates() -> list[Region]:
    """The governorates a body can serve, in reference order."""
    return list(db.session.scalars(select(Region).where(Region.kind == "governorate").order_by(Region.position)))


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.position, Region.id)))


def sectors() -> list[Sector]:
    return list(db.session.scalars(select(Sector).order_by(Sector.code)))


def accreditation_bodies() -> list[AccreditationBody]:
    return list(db.session.scalars(select(AccreditationBody).order_by(AccreditationBody.code)))


def all_standards() -> list[Standard]:
    """Every standard, withdrawn ones included: an old accreditation may name one."""
    return list(db.session.scalars(select(Standard).order_by(Standard.position)))


def other_scheme_codes() -> list[str]:
    """Codes of the standards whose scopes are not written in IAF sectors."""
    return list(
        db.session.scalars(select(Standard.code).where(Standard.scope_scheme != "iaf").order_by(Standard.position))
    )
