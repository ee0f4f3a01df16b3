"""The certification bodies a location page may name: read from the registrar directory.

Only what a prospective client can check for themselves is shown: the body's name and
website, and the standards for which it holds a current accreditation recognised under
the IAF MLA at the level that exists for each standard (AccreditationBody.recognised_for).
Day rates and contacts stay internal. Bodies are listed alphabetically, so the order
suggests no preference or tie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.domain import accreditation as rules
from portal.extensions import db
from portal.models import Accreditation, AccreditationBody, CertificationBody, Region
from portal.models.registrar import certification_body_regions


@dataclass(frozen=True)
class ServingBody:
    """A certification body as the public location page shows it."""

    name: str
    website: str | None  # only an http(s) address, linked as written in the directory
    standards: tuple[str, ...]  # codes, in the standards' order
    accreditation_bodies: tuple[str, ...]  # codes, alphabetical


def _recognised(accreditation: Accreditation, today: date) -> bool:
    return (
        accreditation.accreditation_body.recognised_for(accreditation.standard.family)
        and accreditation.standard.active
        and rules.is_current(accreditation.status, accreditation.valid_from, accreditation.valid_until, today)
    )


def bodies_serving(region: Region, today: date) -> list[ServingBody]:
    """Active bodies serving the city, its governorate or all of Oman, with a current MLA-backed accreditation."""
    region_ids = [region.id] + ([region.governorate_id] if region.governorate_id else [])
    serves_region = select(certification_body_regions.c.certification_body_id).where(
        certification_body_regions.c.region_id.in_(region_ids)
    )
    bodies = db.session.scalars(
        select(CertificationBody)
        .where(
            CertificationBody.active, or_(CertificationBody.serves_all_oman, CertificationBody.id.in_(serves_region))
        )
        .options(
            selectinload(CertificationBody.accreditations).options(
                joinedload(Accreditation.accreditation_body).selectinload(AccreditationBody.mla_signatures),
                joinedload(Accreditation.standard),
            )
        )
        .order_by(CertificationBody.name)
    )
    rows = []
    for body in bodies:
        current = [a for a in body.accreditations if _recognised(a, today)]
        if not current:
            continue
        standards = sorted({a.standard.code: a.standard.position for a in current}.items(), key=lambda item: item[1])
        website = body.website if body.website.startswith(("https://", "http://")) else None
        rows.append(
            ServingBody(
                name=body.name,
                website=website,
                standards=tuple(code for code, _position in standards),
                accreditation_bodies=tuple(sorted({a.accreditation_body.code for a in current})),
            )
        )
    return rows
