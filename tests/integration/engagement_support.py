"""Helpers shared by the engagement, client and reminder tests: factories for clients,
engagements, certification bodies and accepted quotes."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy import select

from portal.domain.schedule import initial_schedule
from portal.extensions import db
from portal.models import CertificationBody, Client, Engagement, Quote, Standard, User

_numbers = count(1)


def add_engagement(
    owner: User | None = None,
    stage: str = "gap_analysis",
    standards: tuple[str, ...] = ("iso-9001",),
    client_name: str | None = None,
    decision_date: date | None = None,
    **overrides,
) -> Engagement:
    """An engagement (and its client) committed; a decision date fills the certificate and schedule."""
    n = next(_numbers)
    name = client_name or f"Client {n} LLC"
    client = db.session.scalar(select(Client).where(Client.name_normalised == name.casefold()))
    if client is None:
        client = Client(name=name, name_normalised=name.casefold(), contact_name=f"Contact {n}")
    engagement = Engagement(client=client, owner=owner, stage=stage, **overrides)
    engagement.standards = list(db.session.scalars(select(Standard).where(Standard.slug.in_(standards))))
    if decision_date is not None:
        schedule = initial_schedule(decision_date)
        engagement.certificate_number = f"CERT-{n:04d}"
        engagement.decision_date = decision_date
        engagement.cycle_start = schedule.cycle_start
        engagement.expiry_date = schedule.expiry
        engagement.surveillance_1_due = schedule.surveillance_1_due
        engagement.surveillance_2_due = schedule.surveillance_2_due
        engagement.recertification_due = schedule.recertification_due
    db.session.add(engagement)
    db.session.commit()
    return engagement


def add_body(name: str | None = None) -> CertificationBody:
    n = next(_numbers)
    body = CertificationBody(name=name or f"Body {n} Certification", slug=f"body-{n}")
    db.session.add(body)
    db.session.commit()
    return body


def add_quote(engagement: Engagement, status: str = "accepted", **overrides) -> Quote:
    quote = Quote(engagement=engagement, certification_body=add_body(), status=status, **overrides)
    db.session.add(quote)
    db.session.commit()
    return quote
