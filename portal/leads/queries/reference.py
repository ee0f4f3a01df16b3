"""The reference rows the inbox's filters name (standards, locations, sectors), kept per content version.

They change when an admin edits reference data, not per page: read them once per content
version (portal.core.content_version) rather than in three queries a page, and let a filter
name the ids a slug or code stands for, so a filtered page's query does not join those
tables for every lead it looks at (about 1.5 ms of a filtered page at a million leads).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from portal.core.content_version import kept_for_version
from portal.extensions import db
from portal.models import Region, Sector, Standard


@dataclass(frozen=True)
class FilterReference:
    standards: tuple[tuple[str, str], ...]  # the active ones in display order: (slug, code)
    regions: tuple[tuple[str, str, str], ...]  # in display order: (slug, name, kind)
    sectors: tuple[tuple[int, str], ...]  # (IAF code, name)
    standard_ids: dict[str, int]  # every standard by slug: a retired one still filters old leads
    region_ids: dict[str, tuple[int, ...]]  # a location's id and, for a governorate, its cities'
    sector_ids: dict[int, int]  # by IAF code


def _load() -> FilterReference:
    """Three queries, once per content version."""
    standards = db.session.execute(
        select(Standard.slug, Standard.code, Standard.id, Standard.active).order_by(Standard.position)
    ).all()
    regions = db.session.execute(
        select(Region.slug, Region.name, Region.kind, Region.id, Region.governorate_id).order_by(
            Region.position, Region.id
        )
    ).all()
    sectors = db.session.execute(select(Sector.code, Sector.name, Sector.id).order_by(Sector.code)).all()
    cities: dict[int, list[int]] = defaultdict(list)
    for region in regions:
        if region.governorate_id is not None:
            cities[region.governorate_id].append(region.id)
    return FilterReference(
        standards=tuple((s.slug, s.code) for s in standards if s.active),
        regions=tuple((r.slug, r.name, r.kind) for r in regions),
        sectors=tuple((s.code, s.name) for s in sectors),
        standard_ids={s.slug: s.id for s in standards},
        region_ids={r.slug: (r.id, *cities[r.id]) for r in regions},
        sector_ids={s.code: s.id for s in sectors},
    )


def filter_reference() -> FilterReference:
    """The rows as of the content version this process knows."""
    return kept_for_version(db.session, "leads.filter_reference", current_app.config["CONTENT_VERSION_MAX_AGE"], _load)
