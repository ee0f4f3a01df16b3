"""CSV export of an inbox view, streamed so a large export never sits in memory.

Cells that a spreadsheet would run as formulas are neutralised (portal.core.csv_tools).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from portal.core import audit
from portal.core.csv_tools import CHUNK, csv_lines
from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.leads.queries.filters import with_row_relations
from portal.models import Lead, User


def record_export(stmt: Select, filters: dict[str, Any], actor: User) -> int:
    """Write the export's audit row (its filters and row count) before the file streams; return the count."""
    rows = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    audit.record("leads.exported", actor, details={"filters": filters, "rows": rows})
    return rows


COLUMNS = (
    _l("Reference"),
    _l("Created (Muscat time)"),
    _l("Status"),
    _l("Company"),
    _l("Contact"),
    _l("E-mail"),
    _l("Phone"),
    _l("Standards"),
    _l("Tags"),
    _l("IAF sector"),
    _l("Location"),
    _l("Employees"),
    _l("Sites"),
    _l("Score"),
    _l("Assigned to"),
    _l("Source"),
    _l("Message"),
)


def lead_cells(lead: Lead) -> list[Any]:
    return [
        lead.reference or lead.id,
        lead.created_at.astimezone(MUSCAT).strftime("%Y-%m-%d %H:%M"),
        lead.status,
        lead.company,
        lead.contact_name,
        lead.email,
        lead.phone,
        "; ".join(standard.code for standard in lead.standards),
        "; ".join(tag.name for tag in lead.tags),
        lead.sector.code if lead.sector else "",
        lead.region.name if lead.region else "",
        lead.employees,
        lead.sites,
        lead.score,
        lead.assigned_to.email if lead.assigned_to else "",
        lead.source,
        lead.message,
    ]


def export_leads(stmt: Select) -> Iterator[str]:
    """Stream the leads of `stmt` as CSV, fetched CHUNK at a time with their relations."""
    stmt = with_row_relations(stmt).execution_options(yield_per=CHUNK)
    yield from csv_lines(COLUMNS, (lead_cells(lead) for lead in db.session.scalars(stmt)), chunk=CHUNK)
