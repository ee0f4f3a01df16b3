"""Reads the public pages share: the reference data the enquiry and the estimate forms offer."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core.reference import active_standards
from portal.extensions import db
from portal.models import Region, Sector, Standard


@dataclass(frozen=True)
class ReferenceRows:
    """The sectors (by IAF code), regions (by slug) and active standards (by slug, in display order)
    a public form offers, as loaded rows: the form's choices and the service's lookups read the
    same rows, so an enquiry loads each table once."""

    sectors: dict[int, Sector]
    regions: dict[str, Region]
    standards: dict[str, Standard]


def reference_rows() -> ReferenceRows:
    """Three queries, whatever the form asks of them afterwards."""
    regions = db.session.scalars(select(Region).options(joinedload(Region.governorate)).order_by(Region.position))
    return ReferenceRows(
        sectors={s.code: s for s in db.session.scalars(select(Sector).order_by(Sector.code))},
        regions={r.slug: r for r in regions},
        standards={s.slug: s for s in active_standards()},
    )


def form_choices(
    rows: ReferenceRows | None = None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(sectors, regions, standards) for the enquiry and estimate forms, from reference data."""
    rows = rows or reference_rows()
    sectors = [(str(s.code), s.label) for s in rows.sectors.values()]
    regions = []
    for region in rows.regions.values():
        group = region.name if region.kind == "governorate" else region.governorate.name
        label = _("%(name)s (whole governorate)", name=region.name) if region.kind == "governorate" else region.name
        regions.append((region.slug, label, group))
    standards = [(s.slug, f"{s.code} – {s.title}") for s in rows.standards.values()]
    return sectors, regions, standards
