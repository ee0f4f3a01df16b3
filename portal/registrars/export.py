"""The directory as CSV, in the import format, streamed a chunk of bodies at a time."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from portal.core.csv_tools import csv_lines
from portal.extensions import db
from portal.models import CertificationBody
from portal.registrars.csv_format import COLUMNS, accreditation_cells, body_cells
from portal.registrars.services import accreditation_snapshot, body_snapshot, with_whole_body

CHUNK = 200


def directory_rows() -> Iterator[list[str]]:
    """One row per accreditation (a body without any gets one row), bodies by slug."""
    stmt = with_whole_body(select(CertificationBody).order_by(CertificationBody.slug)).execution_options(
        yield_per=CHUNK
    )
    for body in db.session.scalars(stmt):
        cells = body_cells(body_snapshot(body))
        accreditations = sorted(body.accreditations, key=lambda a: a.number)
        if not accreditations:
            yield cells + accreditation_cells(None)
        for accreditation in accreditations:
            yield cells + accreditation_cells(accreditation_snapshot(accreditation))


def export_directory() -> Iterator[str]:
    yield from csv_lines(COLUMNS, directory_rows())


def template_csv() -> Iterator[str]:
    """The header and one example row, for people who start a file from scratch."""
    example = [
        "example-certification",
        "Example Certification LLC",
        "https://www.example.com",
        "Fatma Example",
        "audits@example.com",
        "+96824123456",
        "Oman",
        "muscat-governorate|dhofar",
        "ar|en",
        "350.000",
        "yes",
        "60.000",
        "21",
        "yes",
        "",
        "GAC",
        "ISO 9001",
        "28|29|35",
        "GAC-QMS-0001",
        "2025-01-01",
        "2029-12-31",
        "active",
    ]
    yield from csv_lines(COLUMNS, [example])
