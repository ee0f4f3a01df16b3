"""Helpers shared by the registrar tests: a body factory and a CSV builder in the import format."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from portal.extensions import db
from portal.models import CertificationBody
from portal.registrars.csv_format import COLUMNS
from portal.registrars.services import AccreditationData, BodyData, create_accreditation, create_body

_numbers = count(1)


def add_body(accreditations: tuple[dict, ...] = ({},), **overrides) -> CertificationBody:
    """A committed body with accreditations (each dict overrides AccreditationData fields)."""
    n = next(_numbers)
    values = {
        "name": f"Registrar {n}",
        "slug": f"registrar-{n}",
        "country": "Oman",
        "region_slugs": ("muscat-governorate",),
        "languages": ("en",),
        "day_rate": Decimal("300.000"),
    }
    values.update(overrides)
    body = create_body(BodyData(**values), None)
    for index, extra in enumerate(accreditations, start=1):
        acc = {
            "accreditation_body": "GAC",
            "standard": "ISO 9001:2015",
            "sector_codes": (28, 35),
            "number": f"R{n}-{index}",
            "valid_from": date.today() - timedelta(days=365),
            "valid_until": date.today() + timedelta(days=700),
        }
        acc.update(extra)
        create_accreditation(body, AccreditationData(**acc), None)
    db.session.commit()
    return body


def row(**overrides: str) -> dict[str, str]:
    """One valid import row; override any column."""
    values = {
        "body_slug": "oman-cert",
        "body_name": "Oman Cert LLC",
        "website": "https://oman-cert.example.com",
        "contact_name": "Huda",
        "email": "audits@oman-cert.example.com",
        "phone": "+96824123456",
        "country": "Oman",
        "regions": "muscat-governorate|dhofar",
        "languages": "ar|en",
        "day_rate_omr": "350.000",
        "travel_charged": "yes",
        "travel_fee_omr": "60.000",
        "lead_time_days": "21",
        "body_active": "yes",
        "body_notes": "",
        "accreditation_body": "GAC",
        "standard": "ISO 9001:2015",
        "sectors": "28|35",
        "accreditation_number": "GAC-QMS-1",
        "valid_from": "2025-01-01",
        "valid_until": "2029-12-31",
        "status": "active",
    }
    values.update(overrides)
    return values


def csv_bytes(rows: list[dict[str, str]], delimiter: str = ",", bom: bool = False, newline: str = "\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter, lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
