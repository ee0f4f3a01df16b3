"""Idempotent loading of the reference data files in portal/data/.

Rows are matched on their natural key (standard code, sector code, region slug,
accreditation body code) and updated in place, so running the load twice
changes nothing and never duplicates. An accreditation body's MLA signatures are only
seeded while it has none: once recorded, an admin keeps them (source, date) current.
Standard editions likewise: the file's editions a standard lacks are added, an edition
already recorded is left as the admin last corrected it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import AccreditationBody, MlaSignature, Region, Sector, Standard, StandardEdition

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED_MLA_SOURCE = "Portal seed list (portal/data/accreditation_bodies.json): check the body's IAF/GAC Inc. member page"


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _upsert(model: type, key: str, value: Any, fields: dict[str, Any]) -> tuple[Any, bool]:
    row = db.session.scalar(select(model).where(getattr(model, key) == value))
    created = row is None
    if created:
        row = model(**{key: value})
        db.session.add(row)
    for name, field_value in fields.items():
        setattr(row, name, field_value)
    return row, created


def load_reference_data() -> dict[str, int]:
    """Upsert standards, sectors, regions and accreditation bodies; return counts created."""
    created = {
        "standards": 0,
        "standard_editions": 0,
        "sectors": 0,
        "regions": 0,
        "accreditation_bodies": 0,
        "mla_signatures": 0,
    }
    for position, item in enumerate(_read("standards.json")):
        fields = {k: item[k] for k in ("slug", "title", "family", "md5_table", "scope_scheme", "summary")}
        _, new = _upsert(Standard, "code", item["code"], {**fields, "position": position, "active": True})
        created["standards"] += new
    for code, name in _read("sectors.json"):
        _, new = _upsert(Sector, "code", code, {"name": name})
        created["sectors"] += new
    position = 0
    for governorate in _read("regions.json"):
        parent, new = _upsert(
            Region,
            "slug",
            governorate["slug"],
            {"name": governorate["name"], "kind": "governorate", "position": position},
        )
        created["regions"] += new
        db.session.flush()
        for city in governorate["cities"]:
            position += 1
            _, new = _upsert(
                Region,
                "slug",
                city["slug"],
                {
                    "name": city["name"],
                    "kind": "city",
                    "governorate_id": parent.id,
                    "is_capital": city.get("capital", False),
                    "position": position,
                },
            )
            created["regions"] += new
        position += 1
    for item in _read("accreditation_bodies.json"):
        fields = {k: item[k] for k in ("name", "country", "website", "iaf_mla_signatory", "notes")}
        body, new = _upsert(AccreditationBody, "code", item["code"], fields)
        created["accreditation_bodies"] += new
        created["mla_signatures"] += _add_missing_signatures(body, item["mla_scopes"])
    db.session.flush()
    created["standard_editions"] = _add_missing_editions(_read("standard_editions.json"))
    db.session.flush()
    return created


def _optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _add_missing_editions(items: list[dict[str, Any]]) -> int:
    """Add the file's editions a standard does not have yet; a recorded one is the admin's to correct."""
    standards = {s.slug: s for s in db.session.scalars(select(Standard))}
    added = 0
    for item in items:
        standard = standards[item["standard"]]
        if any(e.edition == item["edition"] for e in standard.editions):
            continue
        standard.editions.append(
            StandardEdition(
                edition=item["edition"],
                published_on=_optional_date(item["published_on"]),
                previous_edition_ends_on=_optional_date(item["previous_edition_ends_on"]),
                source=item["source"],
                recorded_on=today_in_oman(),
            )
        )
        added += 1
    return added


def _add_missing_signatures(body: AccreditationBody, scopes: list[str]) -> int:
    """Record the file's MLA scopes for a body with none yet; once some are, an admin keeps them."""
    if body.mla_signatures:
        return 0
    body.mla_signatures.extend(MlaSignature(scope=scope, source=SEED_MLA_SOURCE) for scope in scopes)
    return len(scopes)
