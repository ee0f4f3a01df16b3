"""Test helpers for the estimate and match pages: a directory of bodies and an engagement."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    Client,
    Engagement,
    Region,
    Sector,
    Standard,
)
from tests.integration.inbox_support import add_lead

FAR = date.today() + timedelta(days=3 * 365)


def add_engagement(
    standards=("iso-9001", "iso-45001"),
    with_lead: bool = True,
    region: str | None = "sohar",
    sector: int | None = 28,
    **lead_values,
) -> Engagement:
    """An engagement for a 40-person construction company in Sohar (from its enquiry)."""
    values = {"employees": 40, "sites": 1, "language": "ar", "status": "converted"} | lead_values
    lead = add_lead(standards, region=region, sector=sector, **values) if with_lead else None
    client = Client(name=f"Client {lead.id if lead else 0}", name_normalised=f"client {lead.id if lead else 0}")
    engagement = Engagement(client=client, lead=lead, stage="registrar_selection")
    engagement.standards = list(db.session.scalars(select(Standard).where(Standard.slug.in_(standards))))
    db.session.add(engagement)
    db.session.commit()
    return engagement


def add_body(
    name: str,
    standards=("iso-9001", "iso-45001"),
    *,
    accreditation_body: str = "GAC",
    sectors=(28,),
    valid_from: date = date(2024, 1, 1),
    valid_until: date = FAR,
    status: str = "active",
    languages=("ar", "en"),
    regions=(),
    **values,
) -> CertificationBody:
    """A body accredited for `standards` in `sectors` (serving all Oman unless told otherwise)."""
    body = CertificationBody(
        name=name,
        slug=re.sub(r"[^a-z0-9]+", "-", name.lower()),
        serves_all_oman=values.pop("serves_all_oman", True),
        day_rate=Decimal(values.pop("day_rate", "300")),
        lead_time_days=values.pop("lead_time_days", 30),
        **values,
    )
    body.language_rows = [CertificationBodyLanguage(code=code) for code in languages]
    body.regions = list(db.session.scalars(select(Region).where(Region.slug.in_(regions))))
    ab = db.session.scalar(select(AccreditationBody).where(AccreditationBody.code == accreditation_body))
    sector_rows = list(db.session.scalars(select(Sector).where(Sector.code.in_(sectors))))
    for number, standard in enumerate(db.session.scalars(select(Standard).where(Standard.slug.in_(standards)))):
        body.accreditations.append(
            Accreditation(
                accreditation_body=ab,
                standard=standard,
                number=f"{body.slug}-{number}",
                valid_from=valid_from,
                valid_until=valid_until,
                status=status,
                sectors=sector_rows,
            )
        )
    db.session.add(body)
    db.session.commit()
    return body
