"""Import of the directory CSV: a dry run that says what each row would do, then the apply.

Both steps run the same code; `apply=True` also writes the changes, in the caller's
transaction, and only when no row is rejected: the file goes in whole or not at
all. Rows are matched on body slug + accreditation number, so importing the same
file twice changes nothing. Reference data and the bodies named in the file are
loaded up front, so the number of queries does not grow with the rows.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from portal.core import audit
from portal.core.errors import ServiceError
from portal.domain import accreditation as rules
from portal.extensions import db
from portal.models import (
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    Region,
    Sector,
    Standard,
    User,
    accreditation_sectors,
    certification_body_regions,
)
from portal.registrars import services
from portal.registrars.csv_format import Lookups, ParsedRow, parse_row, read_rows

logger = logging.getLogger(__name__)

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
SLUG_CHUNK = 500
# Fields of BodyData that are columns of CertificationBody (regions and languages are rows elsewhere).
BODY_COLUMNS_COPIED = (
    "name",
    "slug",
    "website",
    "contact_name",
    "email",
    "phone",
    "country",
    "serves_all_oman",
    "day_rate",
    "travel_charged",
    "travel_fee",
    "lead_time_days",
    "active",
    "notes",
)


@dataclass
class RowResult:
    """What one row would do (or did): create, update, unchanged or reject, and why."""

    line: int
    action: str
    body_slug: str
    number: str
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_error: str | None = None
    applied: bool = False

    @property
    def counts(self) -> Counter[str]:
        return Counter(row.action for row in self.rows)

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == REJECT]

    @property
    def can_apply(self) -> bool:
        return self.file_error is None and bool(self.rows) and not self.rejected


@dataclass
class _Plan:
    """The work found by the dry run, carried to the apply step."""

    objects: dict[str, dict[Any, Any]]  # reference rows by code: standard, sector, accreditation_body, region
    bodies: dict[str, CertificationBody]
    body_data: dict[str, services.BodyData] = field(default_factory=dict)
    accreditations: dict[tuple[str, str], services.AccreditationData] = field(default_factory=dict)


def _lookups() -> tuple[Lookups, dict[str, dict[Any, Any]]]:
    standards = list(db.session.scalars(select(Standard).options(selectinload(Standard.editions))))
    sectors = list(db.session.scalars(select(Sector)))
    bodies = list(db.session.scalars(select(AccreditationBody)))
    regions = list(db.session.scalars(select(Region).where(Region.kind == "governorate")))
    # A standard is named by its code, its slug or one of its editions ("ISO 9001:2015" is ISO 9001).
    names = (
        {standard.code: standard.code for standard in standards}
        | {s.slug: s.code for s in standards}
        | {edition.edition: s.code for s in standards for edition in s.editions}
    )
    lookups = Lookups(
        standards=names,
        scope_schemes={standard.code: standard.scope_scheme for standard in standards},
        sector_codes=frozenset(sector.code for sector in sectors),
        accreditation_bodies=frozenset(body.code for body in bodies),
        governorates=frozenset(region.slug for region in regions),
    )
    objects = {
        "standard": {standard.code: standard for standard in standards},
        "sector": {sector.code: sector for sector in sectors},
        "accreditation_body": {body.code: body for body in bodies},
        "region": {region.slug: region for region in regions},
    }
    return lookups, objects


def _existing_bodies(slugs: Iterable[str]) -> dict[str, CertificationBody]:
    """The stored bodies named in the file, with everything the comparison reads."""
    wanted = sorted(set(slugs))
    found: dict[str, CertificationBody] = {}
    for start in range(0, len(wanted), SLUG_CHUNK):
        stmt = services.with_whole_body(
            select(CertificationBody).where(CertificationBody.slug.in_(wanted[start : start + SLUG_CHUNK]))
        )
        found.update((body.slug, body) for body in db.session.scalars(stmt))
    return found


def _facts(slug: str, data: services.AccreditationData) -> rules.AccreditationFacts:
    return services.facts(data, slug, data.accreditation_body, data.standard)


def _stored_facts(slug: str, accreditation: Accreditation) -> rules.AccreditationFacts:
    return services.facts(accreditation, slug, accreditation.accreditation_body.code, accreditation.standard.code)


def _classify(parsed: list[ParsedRow], lookups: Lookups, plan: _Plan) -> list[RowResult]:
    """Decide each row's action; rows that contradict an earlier row or the rules are rejected."""
    results: list[RowResult] = []
    first_row_of_body: dict[str, int] = {}
    first_row_of_key: dict[tuple[str, str], int] = {}
    for row in parsed:
        slug = row.body.slug if row.body else ""
        number = row.accreditation.number if row.accreditation else ""
        result = RowResult(line=row.line, action=UNCHANGED, body_slug=slug, number=number, messages=list(row.errors))
        results.append(result)
        if row.errors or row.body is None:
            result.action = REJECT
            continue
        if slug in plan.body_data and plan.body_data[slug] != row.body:
            result.action = REJECT
            result.messages.append(
                _("The body's fields differ from row %(line)s for the same body_slug.", line=first_row_of_body[slug])
            )
            continue
        if row.accreditation is not None and (slug, number) in first_row_of_key:
            result.action = REJECT
            result.messages.append(
                _(
                    "Duplicate row: same body and accreditation number as row %(line)s.",
                    line=first_row_of_key[slug, number],
                )
            )
            continue
        if slug not in plan.body_data:
            plan.body_data[slug] = row.body
            first_row_of_body[slug] = row.line
            stored = plan.bodies.get(slug)
            if stored is None:
                result.action = CREATE
                result.messages.append(_("New certification body %(name)s.", name=row.body.name))
            else:
                changed = list(audit.changed_values(services.body_snapshot(stored), services.body_snapshot(row.body)))
                if changed:
                    result.action = UPDATE
                    result.messages.append(_("Body fields changed: %(fields)s.", fields=", ".join(changed)))
        if row.accreditation is not None:
            first_row_of_key[slug, number] = row.line
            plan.accreditations[slug, number] = row.accreditation
            _classify_accreditation(result, slug, row.accreditation, plan)
    _check_rules(parsed, results, lookups, plan)
    return results


def _classify_accreditation(result: RowResult, slug: str, data: services.AccreditationData, plan: _Plan) -> None:
    stored_body = plan.bodies.get(slug)
    stored = next((a for a in stored_body.accreditations if a.number == data.number), None) if stored_body else None
    if stored is None:
        result.action = CREATE
        result.messages.append(
            _("New accreditation %(number)s (%(standard)s).", number=data.number, standard=data.standard)
        )
        return
    changed = list(
        audit.changed_values(services.accreditation_snapshot(stored), services.accreditation_data_snapshot(slug, data))
    )
    if changed:
        result.action = UPDATE if result.action != CREATE else CREATE
        result.messages.append(_("Accreditation fields changed: %(fields)s.", fields=", ".join(changed)))


def _check_rules(parsed: list[ParsedRow], results: list[RowResult], lookups: Lookups, plan: _Plan) -> None:
    """Dates, sectors and overlaps, against the directory as it would be after the import."""
    final: dict[str, dict[str, rules.AccreditationFacts]] = {}
    for slug, body in plan.bodies.items():
        final[slug] = {a.number: _stored_facts(slug, a) for a in body.accreditations}
    for (slug, number), data in plan.accreditations.items():
        final.setdefault(slug, {})[number] = _facts(slug, data)
    for row, result in zip(parsed, results, strict=True):
        if result.action == REJECT or row.accreditation is None or row.body is None:
            continue
        slug, data = row.body.slug, row.accreditation
        problems = services.accreditation_problems(
            _facts(slug, data),
            lookups.scope_schemes[data.standard],
            data.sector_codes,
            final[slug].values(),
        )
        if problems:
            result.action = REJECT
            result.messages.extend(f"{column}: {message}" for column, message in problems.items())


def _assign_accreditation(
    accreditation: Accreditation, data: services.AccreditationData, objects: dict[str, dict[Any, Any]]
) -> None:
    """The file's number as read: it is the key a later import matches on."""
    services.assign_accreditation(
        accreditation,
        data,
        objects["accreditation_body"][data.accreditation_body],
        objects["standard"][data.standard],
        [objects["sector"][code] for code in data.sector_codes],
    )


def _update_stored_body(
    body: CertificationBody,
    data: services.BodyData,
    accreditations: list[services.AccreditationData],
    objects: dict[str, dict[Any, Any]],
) -> dict[str, Any] | None:
    """Change a stored body and its accreditations through the ORM; the audit details, or None if unchanged."""
    before = services.body_snapshot(body)
    services.assign_body_fields(body, data, [objects["region"][slug] for slug in data.region_slugs])
    details: dict[str, Any] = {"changes": audit.changed_values(before, services.body_snapshot(body))}
    stored = {a.number: a for a in body.accreditations}
    changes = []
    for acc_data in accreditations:
        accreditation = stored.get(acc_data.number)
        acc_before = None if accreditation is None else services.accreditation_snapshot(accreditation)
        if accreditation is None:
            accreditation = Accreditation(certification_body=body)
            db.session.add(accreditation)
        _assign_accreditation(accreditation, acc_data, objects)
        acc_after = services.accreditation_snapshot(accreditation)
        if acc_before is None:
            changes.append({"number": acc_data.number, "after": acc_after})
        elif acc_before != acc_after:
            changes.append({"number": acc_data.number, "changes": audit.changed_values(acc_before, acc_after)})
    if changes:
        details["accreditations"] = changes
    return details if details["changes"] or changes else None


def _insert_new_bodies(
    new: dict[str, services.BodyData],
    accreditations: dict[str, list[services.AccreditationData]],
    objects: dict[str, dict[Any, Any]],
) -> dict[int, dict[str, Any]]:
    """Insert new bodies and everything they hold in a few multi-row statements (a file may hold
    thousands); returns the audit details per new body id."""
    body_rows = [{name: getattr(data, name) for name in BODY_COLUMNS_COPIED} for data in new.values()]
    ids: dict[str, int] = dict(
        db.session.execute(insert(CertificationBody).returning(CertificationBody.slug, CertificationBody.id), body_rows)
        .tuples()
        .all()
    )
    regions = [
        {"certification_body_id": ids[slug], "region_id": objects["region"][region].id}
        for slug, data in new.items()
        for region in data.region_slugs
    ]
    languages = [
        {"certification_body_id": ids[slug], "code": code} for slug, data in new.items() for code in data.languages
    ]
    accreditation_rows = [
        {
            "certification_body_id": ids[slug],
            "accreditation_body_id": objects["accreditation_body"][acc.accreditation_body].id,
            "standard_id": objects["standard"][acc.standard].id,
            "number": acc.number,
            "valid_from": acc.valid_from,
            "valid_until": acc.valid_until,
            "status": acc.status,
        }
        for slug in new
        for acc in accreditations.get(slug, [])
    ]
    for table, rows in ((certification_body_regions, regions), (CertificationBodyLanguage.__table__, languages)):
        if rows:
            db.session.execute(insert(table), rows)
    details = {
        ids[slug]: {
            "after": services.body_snapshot(data),
            "accreditations": [
                {"number": acc.number, "after": services.accreditation_data_snapshot(slug, acc)}
                for acc in accreditations.get(slug, [])
            ],
        }
        for slug, data in new.items()
    }
    if accreditation_rows:
        result = db.session.execute(
            insert(Accreditation).returning(
                Accreditation.certification_body_id, Accreditation.number, Accreditation.id
            ),
            accreditation_rows,
        )
        accreditation_ids = {(body_id, number): acc_id for body_id, number, acc_id in result.tuples()}
        sectors = [
            {"accreditation_id": accreditation_ids[ids[slug], acc.number], "sector_id": objects["sector"][code].id}
            for slug in new
            for acc in accreditations.get(slug, [])
            for code in acc.sector_codes
        ]
        if sectors:
            db.session.execute(insert(accreditation_sectors), sectors)
    return details


def _apply(plan: _Plan, actor: User | None) -> None:
    """Write the planned bodies and accreditations, with an audit row (before/after) per changed body."""
    objects = plan.objects
    by_body: dict[str, list[services.AccreditationData]] = {}
    for (slug, _number), data in plan.accreditations.items():
        by_body.setdefault(slug, []).append(data)
    updated: list[tuple[CertificationBody, dict[str, Any]]] = []
    for slug, body in plan.bodies.items():
        if slug in plan.body_data:
            details = _update_stored_body(body, plan.body_data[slug], by_body.get(slug, []), objects)
            if details:
                updated.append((body, details))
    db.session.flush()
    new = {slug: data for slug, data in plan.body_data.items() if slug not in plan.bodies}
    created = _insert_new_bodies(new, by_body, objects) if new else {}
    actor_email = None if actor else "cli"
    for body, details in updated:
        audit.record("registrars.body_updated_by_import", actor, body, details=details, actor_email=actor_email)
    for start in range(0, len(created), SLUG_CHUNK):
        chunk = list(created)[start : start + SLUG_CHUNK]
        for body in db.session.scalars(select(CertificationBody).where(CertificationBody.id.in_(chunk))):
            audit.record("registrars.body_imported", actor, body, details=created[body.id], actor_email=actor_email)
    db.session.flush()


def run_import(binary: IO[bytes], actor: User | None, apply: bool = False, source: str = "") -> ImportReport:
    """Read the file, classify every row; with `apply`, write it all (caller commits) or nothing."""
    report = ImportReport()
    lookups, objects = _lookups()
    try:
        bodies_seen: dict = {}
        parsed = [parse_row(line, row, lookups, bodies_seen) for line, row in read_rows(binary)]
    except ServiceError as error:
        report.file_error = error.message
        return report
    if not parsed:
        report.file_error = _("The file has a header row but no data rows.")
        return report
    plan = _Plan(objects=objects, bodies=_existing_bodies(row.body.slug for row in parsed if row.body))
    report.rows = _classify(parsed, lookups, plan)
    if apply and report.can_apply:
        _apply(plan, actor)
        counts = report.counts
        audit.record(
            "registrars.import_applied",
            actor,
            details={"file": source, "rows": len(report.rows), **{k: counts[k] for k in (CREATE, UPDATE, UNCHANGED)}},
            actor_email=None if actor else "cli",
        )
        report.applied = True
        logger.info("registrar import %s applied: %s", source, dict(counts))
    return report
