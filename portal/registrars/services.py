"""Use cases of the registrar directory: create, edit and deactivate bodies and accreditations.

Functions take plain values (frozen dataclasses) and the acting admin, change the
rows, write an audit row with the values before and after, and flush; the request
or CLI command commits. Refusals raise `ServiceError` with a message per form
field (several at once: a record is checked whole). The same field checks serve the
forms and the CSV import.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from portal.core import audit
from portal.core.errors import ServiceError
from portal.domain import accreditation as rules
from portal.domain import money
from portal.domain.normalise import PhoneNumberError, clean_line, normalise_phone, slugify
from portal.domain.versions import is_stale
from portal.extensions import db
from portal.models import (
    ACCREDITATION_STATUSES,
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    Region,
    Sector,
    Standard,
    User,
)
from portal.registrars.presentation import LANGUAGES

logger = logging.getLogger(__name__)

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
RESERVED_SLUGS = frozenset({"new", "import", "export", "template"})


@dataclass(frozen=True)
class BodyData:
    """The editable fields of a certification body, as typed by an admin or read from a file."""

    name: str
    slug: str
    website: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    country: str = ""
    serves_all_oman: bool = False
    region_slugs: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    day_rate: Decimal = Decimal("0")
    travel_charged: bool = False
    travel_fee: Decimal = Decimal("0")
    lead_time_days: int | None = None
    active: bool = True
    notes: str = ""


@dataclass(frozen=True)
class AccreditationData:
    """The editable fields of an accreditation (reference rows by their codes)."""

    accreditation_body: str  # AccreditationBody.code
    standard: str  # Standard.code
    sector_codes: tuple[int, ...]
    number: str
    valid_from: date
    valid_until: date
    status: str = "active"


def stale_message() -> str:
    return _("This entry was changed by someone else while you were editing it. Reload the page to see the changes.")


def body_problems(data: BodyData) -> tuple[BodyData, dict[str, str]]:
    """Check and tidy the fields of a body; returns the cleaned data and a message per bad field."""
    errors: dict[str, str] = {}
    name = clean_line(data.name, 200)
    if not name:
        errors["name"] = _("Enter the name of the certification body.")
    slug = data.slug.strip().lower() or slugify(name)
    if not SLUG.match(slug) or slug in RESERVED_SLUGS:
        errors["slug"] = _("Use 1 to 80 lower-case letters, digits and hyphens (not new, import or export).")
    email = data.email.strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["email"] = _("Enter a valid e-mail address, e.g. audits@example.com.")
    phone = data.phone.strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except PhoneNumberError:
            errors["phone"] = _("Enter a valid phone number, e.g. +968 2412 3456.")
    website = data.website.strip()
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website):
        errors["website"] = _("Enter the full address, starting with https://.")
    for field_name in ("day_rate", "travel_fee"):
        amount = getattr(data, field_name)
        if not money.storable(amount) or amount != amount.quantize(money.MILLS):
            errors[field_name] = _("Enter an amount in OMR of 0 or more, with at most 3 decimals.")
    if data.lead_time_days is not None and not 0 <= data.lead_time_days <= 3650:
        errors["lead_time_days"] = _("Enter a number of days from 0 to 3650.")
    unknown = [code for code in data.languages if code not in LANGUAGES]
    if unknown:
        errors["languages"] = _("Unknown language: %(codes)s.", codes=", ".join(unknown))
    cleaned = BodyData(
        name=name,
        slug=slug,
        website=website,
        contact_name=clean_line(data.contact_name, 120),
        email=email,
        phone=phone,
        country=clean_line(data.country, 80),
        serves_all_oman=data.serves_all_oman,
        # "All of Oman" makes a list of governorates redundant.
        region_slugs=() if data.serves_all_oman else tuple(sorted(set(data.region_slugs))),
        languages=tuple(sorted(set(data.languages) & LANGUAGES.keys())),
        day_rate=data.day_rate.quantize(money.MILLS) if "day_rate" not in errors else data.day_rate,
        travel_charged=data.travel_charged,
        travel_fee=_travel_fee(data, "travel_fee" in errors),
        lead_time_days=data.lead_time_days,
        active=data.active,
        notes=(data.notes or "").strip()[:5000],
    )
    return cleaned, errors


def _travel_fee(data: BodyData, invalid: bool) -> Decimal:
    """The flat travel amount, zero when travel is not charged."""
    if invalid:
        return data.travel_fee
    return data.travel_fee.quantize(money.MILLS) if data.travel_charged else Decimal("0.000")


def problem_message(violation: rules.RuleViolation) -> str:
    """Words for a broken accreditation rule."""
    if violation.problem == rules.Problem.UNTIL_NOT_AFTER_FROM:
        return _("The end date must be after the start date.")
    if violation.problem == rules.Problem.SECTORS_REQUIRED:
        return _("Choose at least one IAF/EA sector: this standard's scopes are written in sectors.")
    return _(
        "Overlaps active accreditation %(number)s from the same accreditation body for this standard.",
        number=violation.other,
    )


def accreditation_problems(
    candidate: rules.AccreditationFacts,
    scope_scheme: str,
    sector_codes: Iterable[int],
    others: Iterable[rules.AccreditationFacts],
) -> dict[str, str]:
    """The rules of portal.domain.accreditation, as a message per field."""
    errors: dict[str, str] = {}
    if candidate.status not in ACCREDITATION_STATUSES:
        errors["status"] = _("Choose active, suspended or withdrawn.")
    for violation in rules.validate(candidate, scope_scheme, sector_codes, others):
        errors.setdefault(violation.field, problem_message(violation))
    return errors


def facts(
    record: Accreditation | AccreditationData, certification_body: object, accreditation_body: object, standard: object
) -> rules.AccreditationFacts:
    """The overlap rule's view of an accreditation, stored or typed, keyed by its number (unique per
    body). The caller names the bodies and the standard: by id here, by slug and code in the import."""
    return rules.AccreditationFacts(
        key=record.number,
        certification_body=certification_body,
        accreditation_body=accreditation_body,
        standard=standard,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        status=record.status,
    )


def with_whole_body(stmt: Select) -> Select:
    """A select over CertificationBody that loads all a body's snapshot and profile read, in a
    fixed number of queries whatever the number of bodies (the profile, the export, the import)."""
    return stmt.options(
        selectinload(CertificationBody.regions),
        selectinload(CertificationBody.language_rows),
        selectinload(CertificationBody.accreditations).options(
            selectinload(Accreditation.sectors),
            selectinload(Accreditation.standard),
            selectinload(Accreditation.accreditation_body).selectinload(AccreditationBody.mla_signatures),
        ),
    )


def body_snapshot(body: CertificationBody | BodyData) -> dict[str, Any]:
    """A body's fields (stored, or cleaned input) as JSON-ready values, for audit rows and comparison."""
    is_row = isinstance(body, CertificationBody)
    regions = [region.slug for region in body.regions] if is_row else list(body.region_slugs)
    return {
        "name": body.name,
        "slug": body.slug,
        "website": body.website,
        "contact_name": body.contact_name,
        "email": body.email,
        "phone": body.phone,
        "country": body.country,
        "serves_all_oman": body.serves_all_oman,
        "regions": sorted(regions),
        "languages": sorted(body.languages),
        "day_rate": f"{Decimal(body.day_rate):.3f}",
        "travel_charged": body.travel_charged,
        "travel_fee": f"{Decimal(body.travel_fee):.3f}",
        "lead_time_days": body.lead_time_days,
        "active": body.active,
        "notes": body.notes,
    }


def accreditation_snapshot(accreditation: Accreditation) -> dict[str, Any]:
    return {
        "body": accreditation.certification_body.slug,
        "accreditation_body": accreditation.accreditation_body.code,
        "standard": accreditation.standard.code,
        "sectors": [sector.code for sector in accreditation.sectors],
        "number": accreditation.number,
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_until": accreditation.valid_until.isoformat(),
        "status": accreditation.status,
    }


def accreditation_data_snapshot(body_slug: str, data: AccreditationData) -> dict[str, Any]:
    """The same shape as `accreditation_snapshot`, for values not stored yet."""
    return {
        "body": body_slug,
        "accreditation_body": data.accreditation_body,
        "standard": data.standard,
        "sectors": sorted(set(data.sector_codes)),
        "number": clean_line(data.number, 60),
        "valid_from": data.valid_from.isoformat(),
        "valid_until": data.valid_until.isoformat(),
        "status": data.status,
    }


def assign_body_fields(body: CertificationBody, data: BodyData, regions: list[Region]) -> None:
    """Copy cleaned values onto the row, field by field (never setattr over request data)."""
    body.name = data.name
    body.slug = data.slug
    body.website = data.website
    body.contact_name = data.contact_name
    body.email = data.email
    body.phone = data.phone
    body.country = data.country
    body.serves_all_oman = data.serves_all_oman
    body.regions = regions
    # Remove and add single rows: replacing the list would delete and re-insert the same keys.
    body.language_rows = [row for row in body.language_rows if row.code in data.languages] + [
        CertificationBodyLanguage(code=code) for code in data.languages if code not in body.languages
    ]
    body.day_rate = data.day_rate
    body.travel_charged = data.travel_charged
    body.travel_fee = data.travel_fee
    body.lead_time_days = data.lead_time_days
    body.active = data.active
    body.notes = data.notes


def _regions(slugs: Iterable[str]) -> list[Region]:
    wanted = set(slugs)
    if not wanted:
        return []
    return list(db.session.scalars(select(Region).where(Region.slug.in_(wanted), Region.kind == "governorate")))


def _check_body(data: BodyData, body: CertificationBody | None) -> BodyData:
    cleaned, errors = body_problems(data)
    taken = db.session.scalar(select(CertificationBody.id).where(CertificationBody.slug == cleaned.slug))
    if taken is not None and (body is None or taken != body.id):
        errors.setdefault("slug", _("Another certification body already uses this slug."))
    if errors:
        raise ServiceError.for_fields(errors)
    return cleaned


def create_body(data: BodyData, actor: User | None) -> CertificationBody:
    cleaned = _check_body(data, None)
    body = CertificationBody()
    assign_body_fields(body, cleaned, _regions(cleaned.region_slugs))
    db.session.add(body)
    db.session.flush()
    audit.record("registrars.body_created", actor, body, details={"after": body_snapshot(body)})
    logger.info("certification body %s created by %s", body.slug, actor.email if actor else "system")
    return body


def update_body(body: CertificationBody, data: BodyData, actor: User, expected_version: int | None) -> None:
    if is_stale(body.version, expected_version):
        raise ServiceError.for_fields({"name": stale_message()}, status=409)
    cleaned = _check_body(data, body)
    before = body_snapshot(body)
    assign_body_fields(body, cleaned, _regions(cleaned.region_slugs))
    changes = audit.changed_values(before, body_snapshot(body))
    if changes:
        db.session.flush()
        audit.record("registrars.body_updated", actor, body, details={"changes": changes})


def set_body_active(body: CertificationBody, active: bool, actor: User) -> None:
    """Deactivate (or reactivate) a body: it leaves matching but keeps its history."""
    if body.active == active:
        return
    body.active = active
    db.session.flush()
    action = "registrars.body_reactivated" if active else "registrars.body_deactivated"
    audit.record(action, actor, body, details={"changes": {"active": [not active, active]}})


def _reference(data: AccreditationData) -> tuple[AccreditationBody | None, Standard | None, list[Sector]]:
    accreditation_body = db.session.scalar(
        select(AccreditationBody).where(AccreditationBody.code == data.accreditation_body)
    )
    standard = db.session.scalar(select(Standard).where(Standard.code == data.standard))
    sectors = list(db.session.scalars(select(Sector).where(Sector.code.in_(data.sector_codes)).order_by(Sector.code)))
    return accreditation_body, standard, sectors


def _check_accreditation(
    body: CertificationBody, data: AccreditationData, current: Accreditation | None
) -> tuple[AccreditationData, AccreditationBody, Standard, list[Sector]]:
    """The typed values with the number tidied, and the reference rows they name; refusals per field."""
    accreditation_body, standard, sectors = _reference(data)
    errors: dict[str, str] = {}
    cleaned = replace(data, number=clean_line(data.number, 60))
    number = cleaned.number
    if not number:
        errors["number"] = _("Enter the accreditation (certificate) number.")
    elif any(a.number == number and a is not current for a in body.accreditations):
        errors["number"] = _("This body already has an accreditation with this number.")
    if accreditation_body is None:
        errors["accreditation_body"] = _("Choose an accreditation body.")
    if standard is None:
        errors["standard"] = _("Choose a standard.")
    if len(sectors) != len(set(data.sector_codes)):
        errors["sectors"] = _("Choose sectors from the IAF/EA list (1 to 39).")
    if accreditation_body is not None and standard is not None:
        candidate = facts(cleaned, body.id, accreditation_body.id, standard.id)
        others = [
            facts(a, a.certification_body_id, a.accreditation_body_id, a.standard_id)
            for a in body.accreditations
            if a is not current
        ]
        for field_name, message in accreditation_problems(
            candidate, standard.scope_scheme, data.sector_codes, others
        ).items():
            errors.setdefault(field_name, message)
    if errors:
        raise ServiceError.for_fields(errors)
    return cleaned, accreditation_body, standard, sectors  # type: ignore[return-value]


def assign_accreditation(
    accreditation: Accreditation,
    data: AccreditationData,
    accreditation_body: AccreditationBody,
    standard: Standard,
    sectors: list[Sector],
) -> None:
    """Copy checked values onto the row, field by field (the forms and the import)."""
    accreditation.accreditation_body = accreditation_body
    accreditation.standard = standard
    accreditation.sectors = sectors
    accreditation.number = data.number
    accreditation.valid_from = data.valid_from
    accreditation.valid_until = data.valid_until
    accreditation.status = data.status


def create_accreditation(body: CertificationBody, data: AccreditationData, actor: User | None) -> Accreditation:
    cleaned, accreditation_body, standard, sectors = _check_accreditation(body, data, None)
    accreditation = Accreditation(certification_body=body)
    assign_accreditation(accreditation, cleaned, accreditation_body, standard, sectors)
    db.session.add(accreditation)
    db.session.flush()
    audit.record(
        "registrars.accreditation_created",
        actor,
        accreditation,
        details={"after": accreditation_snapshot(accreditation)},
    )
    return accreditation


def update_accreditation(
    accreditation: Accreditation, data: AccreditationData, actor: User, expected_version: int | None
) -> None:
    if is_stale(accreditation.version, expected_version):
        raise ServiceError.for_fields({"number": stale_message()}, status=409)
    body = accreditation.certification_body
    cleaned, accreditation_body, standard, sectors = _check_accreditation(body, data, accreditation)
    before = accreditation_snapshot(accreditation)
    assign_accreditation(accreditation, cleaned, accreditation_body, standard, sectors)
    changes = audit.changed_values(before, accreditation_snapshot(accreditation))
    if changes:
        db.session.flush()
        audit.record("registrars.accreditation_updated", actor, accreditation, details={"changes": changes})
