"""Helpers shared by the inbox, export and dashboard tests: a lead factory and a query counter."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import count

from sqlalchemy import event, select

from portal.domain.normalise import normalise_company, normalise_email
from portal.extensions import db
from portal.models import Lead, Region, Sector, Standard
from portal.models.types import utcnow

_numbers = count(1)


def add_lead(
    standards: tuple[str, ...] = ("iso-9001",),
    region: str | None = "muscat",
    sector: int | None = 35,
    age: timedelta = timedelta(hours=1),
    created_at: datetime | None = None,
    **overrides,
) -> Lead:
    """A lead with sensible defaults; reference data must be loaded (the `reference` fixture)."""
    n = next(_numbers)
    values = {
        "reference": f"ENQ-2026-{n:06d}",
        "contact_name": f"Contact {n}",
        "email": f"contact{n}@company{n}.example.om",
        "phone": f"+9689{n:07d}",
        "company": f"Company {n} LLC",
        "employees": 20,
        "message": "We want to get certified.",
        "status": "new",
        "score": 50,
        "created_at": created_at or utcnow() - age,
    }
    values.update(overrides)
    lead = Lead(**values)
    lead.email_normalised = normalise_email(lead.email)
    lead.company_normalised = normalise_company(lead.company)
    lead.standards = list(db.session.scalars(select(Standard).where(Standard.slug.in_(standards))))
    if region:
        lead.region = db.session.scalar(select(Region).where(Region.slug == region))
    if sector:
        lead.sector = db.session.scalar(select(Sector).where(Sector.code == sector))
    db.session.add(lead)
    db.session.commit()
    return lead


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run on the engine inside the block."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)
