"""The directory's CSV format: one row per accreditation, the body's fields repeated.

A body without accreditations has one row with the accreditation cells empty.
Lists inside a cell are separated by "|": regions (governorate slugs, or "all"
for all of Oman), languages (codes) and sectors (IAF/EA codes). The file may use
"," or ";" between cells, may start with a byte-order mark and may have Windows
line endings; it must be UTF-8. The same columns are written by the export, so a
file exported and imported again changes nothing.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.csv_tools import unneutralise
from portal.core.errors import ServiceError
from portal.models import ACCREDITATION_STATUSES
from portal.registrars.services import AccreditationData, BodyData, body_problems
from portal.web.listing import parse_int

ALL_OMAN = "all"
LIST_SEPARATOR = "|"

# (column, what it holds) – shown on the import page and used for the template.
COLUMN_HELP: tuple[tuple[str, object], ...] = (
    ("body_slug", _l("The body's short name in URLs (a-z, 0-9, hyphens); the key for updates.")),
    ("body_name", _l("Name of the certification body (required).")),
    ("website", _l("Full address starting with https://, or empty.")),
    ("contact_name", _l("Contact person.")),
    ("email", _l("Contact e-mail.")),
    ("phone", _l("Phone, with +country code (Omani numbers may omit +968).")),
    ("country", _l("Country of the head office.")),
    ("regions", _l("Governorates served, by slug, separated by |, or all for all of Oman.")),
    ("languages", _l("Auditor languages by code (ar, en, fr, de, hi, ur, ml, tr), separated by |.")),
    ("day_rate_omr", _l("OMR per auditor-day, up to 3 decimals, e.g. 350.000.")),
    ("travel_charged", _l("yes or no: travel charged outside the regions served.")),
    ("travel_fee_omr", _l("Flat travel amount in OMR (0 when not charged).")),
    ("lead_time_days", _l("Typical days from order to stage 1, or empty.")),
    ("body_active", _l("yes or no.")),
    ("body_notes", _l("Free text.")),
    ("accreditation_body", _l("Accreditation body code, e.g. GAC, UKAS, ANAB.")),
    ("standard", _l("Standard, e.g. ISO 9001 (an edition such as ISO 9001:2015 names its standard).")),
    ("sectors", _l("IAF/EA sector codes 1–39 separated by |; required for standards scoped by IAF sectors.")),
    ("accreditation_number", _l("Accreditation (certificate) number; the key for updates with body_slug.")),
    ("valid_from", _l("Date as YYYY-MM-DD.")),
    ("valid_until", _l("Date as YYYY-MM-DD, after valid_from.")),
    ("status", _l("active, suspended or withdrawn.")),
)
COLUMNS: tuple[str, ...] = tuple(name for name, _help in COLUMN_HELP)
ACCREDITATION_COLUMNS = COLUMNS[COLUMNS.index("accreditation_body") :]
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})


FILE_FIELD = "file"  # the upload form's field: a problem with the file as a whole is shown there


@dataclass(frozen=True)
class Lookups:
    """Reference codes the rows may use, loaded once per import."""

    standards: dict[str, str]  # code or slug -> code
    scope_schemes: dict[str, str]  # code -> scope scheme
    sector_codes: frozenset[int]
    accreditation_bodies: frozenset[str]
    governorates: frozenset[str]


@dataclass
class ParsedRow:
    """One data row: its number as a spreadsheet shows it, the values read, and what is wrong."""

    line: int
    body: BodyData | None = None
    accreditation: AccreditationData | None = None
    errors: list[str] = field(default_factory=list)


def _detect_delimiter(header_line: str) -> str:
    """ ";" when the header has more semicolons than commas (spreadsheets in many locales), else ","."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_rows(binary: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, cells by column) from a binary stream, reading it as it goes.

    Raises ServiceError (on the file field) for an empty file, text that is not UTF-8, binary content or
    a header without the required columns.
    """
    buffered = binary if isinstance(binary, io.BufferedReader) else io.BufferedReader(binary)  # type: ignore[arg-type]
    if b"\x00" in buffered.peek(4096)[:4096]:
        raise ServiceError(_("This is not a CSV text file (it contains binary data)."), FILE_FIELD)
    text = io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")
    try:
        header_line = text.readline()
        if not header_line.strip():
            raise ServiceError(_("The file is empty: it needs a header row and one row per accreditation."), FILE_FIELD)
        if "\x00" in header_line:
            raise ServiceError(_("This is not a CSV text file (it contains binary data)."), FILE_FIELD)
        reader = csv.reader(itertools.chain([header_line], text), delimiter=_detect_delimiter(header_line))
        header = [name.strip().lower() for name in next(reader)]
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise ServiceError(
                _("The header row lacks these columns: %(columns)s.", columns=", ".join(missing))
                + " "
                + _("Start from the template on this page."),
                FILE_FIELD,
            )
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if any("\x00" in cell for cell in cells):
                raise ServiceError(_("This is not a CSV text file (it contains binary data)."), FILE_FIELD)
            row = {name: unneutralise(cells[i].strip()) if i < len(cells) else "" for i, name in enumerate(header)}
            if len(cells) > len(header):
                row["__extra__"] = "1"
            yield number, row
    except UnicodeDecodeError as error:
        raise ServiceError(
            _('The file is not UTF-8 text. Save it from your spreadsheet as "CSV UTF-8" and upload it again.'),
            FILE_FIELD,
        ) from error
    except csv.Error as error:
        raise ServiceError(
            _("The file could not be read as CSV: %(reason)s.", reason=str(error)), FILE_FIELD
        ) from error
    finally:
        text.detach()


def _bool(raw: str, default: bool, column: str, errors: list[str]) -> bool:
    word = raw.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(_('%(column)s: write yes or no, not "%(value)s".', column=column, value=raw))
    return default


def _amount(raw: str, column: str, errors: list[str]) -> Decimal:
    if not raw:
        return Decimal("0.000")
    try:
        value = Decimal(raw.replace(" ", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        errors.append(_('%(column)s: "%(value)s" is not an amount such as 350.000.', column=column, value=raw))
        return Decimal("0.000")
    return value


def _date(raw: str, column: str, errors: list[str]) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_('%(column)s: bad date "%(value)s"; write it as YYYY-MM-DD.', column=column, value=raw))
        return None


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(LIST_SEPARATOR) if item.strip()]


def _body(row: dict[str, str], lookups: Lookups, errors: list[str]) -> BodyData:
    regions = _list(row["regions"])
    all_oman = [item.lower() for item in regions] == [ALL_OMAN]
    unknown_regions = [slug for slug in regions if slug not in lookups.governorates] if not all_oman else []
    if unknown_regions:
        errors.append(_("regions: unknown governorate %(slugs)s.", slugs=", ".join(unknown_regions)))
    lead_time: int | None = None
    if row["lead_time_days"]:
        lead_time = parse_int(row["lead_time_days"])
        if lead_time is None:
            errors.append(_("lead_time_days: write a whole number of days."))
    data = BodyData(
        name=row["body_name"],
        slug=row["body_slug"],
        website=row["website"],
        contact_name=row["contact_name"],
        email=row["email"],
        phone=row["phone"],
        country=row["country"],
        serves_all_oman=all_oman,
        region_slugs=tuple(regions) if not all_oman else (),
        languages=tuple(code.lower() for code in _list(row["languages"])),
        day_rate=_amount(row["day_rate_omr"], "day_rate_omr", errors),
        travel_charged=_bool(row["travel_charged"], False, "travel_charged", errors),
        travel_fee=_amount(row["travel_fee_omr"], "travel_fee_omr", errors),
        lead_time_days=lead_time,
        active=_bool(row["body_active"], True, "body_active", errors),
        notes=row["body_notes"],
    )
    if not row["body_slug"]:
        errors.append(_("body_slug: required, it is the key that ties rows to a body."))
    cleaned, problems = body_problems(data)
    errors.extend(f"{column}: {message}" for column, message in problems.items())
    return cleaned


def _accreditation(row: dict[str, str], lookups: Lookups, errors: list[str]) -> AccreditationData | None:
    if not any(row[column] for column in ACCREDITATION_COLUMNS):
        return None  # a body without accreditations
    count = len(errors)
    standard = lookups.standards.get(row["standard"]) or lookups.standards.get(row["standard"].lower())
    if standard is None:
        errors.append(_('standard: unknown standard code "%(code)s".', code=row["standard"]))
    if row["accreditation_body"] not in lookups.accreditation_bodies:
        errors.append(_('accreditation_body: unknown accreditation body "%(code)s".', code=row["accreditation_body"]))
    sectors: list[int] = []
    for item in _list(row["sectors"]):
        code = parse_int(item)
        if code is not None and code in lookups.sector_codes:
            sectors.append(code)
        else:
            errors.append(_('sectors: unknown sector "%(code)s" (IAF/EA codes are 1 to 39).', code=item))
    if not row["accreditation_number"]:
        errors.append(_("accreditation_number: required for a row with an accreditation."))
    status = row["status"].lower() or "active"
    if status not in ACCREDITATION_STATUSES:
        errors.append(_('status: write active, suspended or withdrawn, not "%(value)s".', value=row["status"]))
    valid_from = _date(row["valid_from"], "valid_from", errors)
    valid_until = _date(row["valid_until"], "valid_until", errors)
    if len(errors) > count or valid_from is None or valid_until is None or standard is None:
        return None
    return AccreditationData(
        accreditation_body=row["accreditation_body"],
        standard=standard,
        sector_codes=tuple(sorted(set(sectors))),
        number=row["accreditation_number"],
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
    )


BODY_COLUMNS = COLUMNS[: COLUMNS.index("accreditation_body")]


def parse_row(
    line: int, row: dict[str, str], lookups: Lookups, bodies_seen: dict[tuple[str, ...], tuple[BodyData, list[str]]]
) -> ParsedRow:
    """Read one row's values and the problems that need nothing but the row itself.

    A body's cells repeat on each of its rows: `bodies_seen` keeps the result per
    distinct set of body cells, so each body is checked once per file.
    """
    parsed = ParsedRow(line=line)
    if row.get("__extra__"):
        parsed.errors.append(_("This row has more cells than the header has columns."))
    key = tuple(row[column] for column in BODY_COLUMNS)
    if key not in bodies_seen:
        body_errors: list[str] = []
        bodies_seen[key] = (_body(row, lookups, body_errors), body_errors)
    parsed.body, body_errors = bodies_seen[key]
    parsed.errors.extend(body_errors)
    parsed.accreditation = _accreditation(row, lookups, parsed.errors)
    return parsed


def body_cells(snapshot: dict) -> list[str]:
    """The body's columns of a row, from `services.body_snapshot`."""
    return [
        snapshot["slug"],
        snapshot["name"],
        snapshot["website"],
        snapshot["contact_name"],
        snapshot["email"],
        snapshot["phone"],
        snapshot["country"],
        ALL_OMAN if snapshot["serves_all_oman"] else LIST_SEPARATOR.join(snapshot["regions"]),
        LIST_SEPARATOR.join(snapshot["languages"]),
        snapshot["day_rate"],
        "yes" if snapshot["travel_charged"] else "no",
        snapshot["travel_fee"],
        "" if snapshot["lead_time_days"] is None else str(snapshot["lead_time_days"]),
        "yes" if snapshot["active"] else "no",
        snapshot["notes"],
    ]


def accreditation_cells(snapshot: dict | None) -> list[str]:
    """The accreditation's columns, from `services.accreditation_snapshot` (empty for none)."""
    if snapshot is None:
        return [""] * len(ACCREDITATION_COLUMNS)
    return [
        snapshot["accreditation_body"],
        snapshot["standard"],
        LIST_SEPARATOR.join(str(code) for code in snapshot["sectors"]),
        snapshot["number"],
        snapshot["valid_from"],
        snapshot["valid_until"],
        snapshot["status"],
    ]
