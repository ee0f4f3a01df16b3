"""Reads the public pages share: the reference data the enquiry and the estimate forms offer."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core.content_version import kept_for_version
from portal.core.reference import active_standards
from portal.core.reference_names import local_name, sector_label, standard_label
from portal.extensions import db
from portal.models import Region, Sector


@dataclass(frozen=True)
class SectorRow:
    id: int
    code: int
    name: str

    @property
    def label(self) -> str:
        """ "3 – Food products, beverages and tobacco", in the reader's language."""
        return sector_label(self.code, self.name)


@dataclass(frozen=True)
class RegionRow:
    id: int
    slug: str
    name: str
    is_governorate: bool
    governorate_name: str  # its own name for a governorate


@dataclass(frozen=True)
class StandardRow:
    id: int
    slug: str
    code: str
    title: str


@dataclass(frozen=True)
class ReferenceRows:
    """The sectors (by IAF code), regions (by slug) and active standards (by slug, in display order)
    a public form offers, as plain values: the form's choices and the service's lookups read the
    same values, kept per content version, so an enquiry reads none of the three tables."""

    sectors: dict[int, SectorRow]
    regions: dict[str, RegionRow]
    standards: dict[str, StandardRow]


def _load_reference_rows() -> ReferenceRows:
    """Three queries, once per content version."""
    regions = db.session.scalars(select(Region).options(joinedload(Region.governorate)).order_by(Region.position))
    return ReferenceRows(
        sectors={
            s.code: SectorRow(s.id, s.code, s.name) for s in db.session.scalars(select(Sector).order_by(Sector.code))
        },
        regions={
            r.slug: RegionRow(
                r.id, r.slug, r.name, r.kind == "governorate", r.name if r.kind == "governorate" else r.governorate.name
            )
            for r in regions
        },
        standards={s.slug: StandardRow(s.id, s.slug, s.code, s.title) for s in active_standards()},
    )


def reference_rows() -> ReferenceRows:
    """The rows as of the content version this process knows (portal.core.content_version)."""
    return kept_for_version(
        db.session, "public.reference_rows", current_app.config["CONTENT_VERSION_MAX_AGE"], _load_reference_rows
    )


FormChoices = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str, str], ...], tuple[tuple[str, str], ...]]


def form_choices(rows: ReferenceRows | None = None) -> FormChoices:
    """(sectors, regions, standards) for the enquiry and estimate forms, from reference data, named
    in the reader's language; kept per content version and language, like the rows they name."""
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    max_age = current_app.config["CONTENT_VERSION_MAX_AGE"]
    return kept_for_version(db.session, f"public.form_choices.{language}", max_age, lambda: _choices(rows))


def _choices(rows: ReferenceRows | None) -> FormChoices:
    rows = rows or reference_rows()
    sectors = tuple((str(s.code), s.label) for s in rows.sectors.values())
    regions = tuple(
        (
            r.slug,
            _("%(name)s (whole governorate)", name=local_name(r.name)) if r.is_governorate else local_name(r.name),
            local_name(r.governorate_name),
        )
        for r in rows.regions.values()
    )
    standards = tuple((s.slug, standard_label(s.code, s.title)) for s in rows.standards.values())
    return sectors, regions, standards
