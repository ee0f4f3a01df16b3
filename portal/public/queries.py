"""Reads the public pages share: the reference data the enquiry and the estimate forms offer."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.core.reference import active_standards
from portal.extensions import db
from portal.models import Region, Sector


def form_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(sectors, regions, standards) for the enquiry and estimate forms, from reference data."""
    sectors = [(str(s.code), s.label) for s in db.session.scalars(select(Sector).order_by(Sector.code))]
    regions = []
    for region in db.session.scalars(select(Region).options(joinedload(Region.governorate)).order_by(Region.position)):
        group = region.name if region.kind == "governorate" else region.governorate.name
        label = _("%(name)s (whole governorate)", name=region.name) if region.kind == "governorate" else region.name
        regions.append((region.slug, label, group))
    standards = [(s.slug, f"{s.code} – {s.title}") for s in active_standards()]
    return sectors, regions, standards
