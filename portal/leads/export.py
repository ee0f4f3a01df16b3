"""CSV export of an inbox view, streamed so a large export never sits in memory.

Spreadsheets run a cell that starts with =, +, - or @ as a formula, so an
enquiry's text could run code on an admin's machine ("formula injection"). Such
cells are prefixed with an apostrophe, which shows the text as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.leads.filters import with_row_relations
from portal.models import Lead

CHUNK = 500
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    _l("Reference"),
    _l("Created (Muscat time)"),
    _l("Status"),
    _l("Company"),
    _l("Contact"),
    _l("E-mail"),
    _l("Phone"),
    _l("Standards"),
    _l("IAF sector"),
    _l("Location"),
    _l("Employees"),
    _l("Sites"),
    _l("Score"),
    _l("Assigned to"),
    _l("Source"),
    _l("Message"),
)


def neutralise(value: Any) -> str:
    """The cell as text, with an apostrophe in front if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


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
        lead.sector.code if lead.sector else "",
        lead.region.name if lead.region else "",
        lead.employees,
        lead.sites,
        lead.score,
        lead.assigned_to.email if lead.assigned_to else "",
        lead.source,
        lead.message,
    ]


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """Header then rows as CSV text, neutralised, flushed every CHUNK rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A byte-order mark so spreadsheet programs read the UTF-8 (Arabic names) correctly.
    buffer.write("\ufeff")
    writer.writerow([neutralise(column) for column in COLUMNS])
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(cell) for cell in row])
        if count % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_leads(stmt: Select) -> Iterator[str]:
    """Stream the leads of `stmt` as CSV, fetched CHUNK at a time with their relations."""
    stmt = with_row_relations(stmt).execution_options(yield_per=CHUNK)
    yield from csv_lines(lead_cells(lead) for lead in db.session.scalars(stmt))
