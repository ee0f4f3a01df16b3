"""Two fictional certificates with a story (`flask seed demo`): one restored after expiry
(ISO/IEC 17021-1 9.6.3.2.5) and one transferred from another body (IAF MD 2).

Both go through the engagements area's own services, so the demo shows exactly what a
consultant recording them would get: the schedule, the gap without certification, the
pre-transfer review, the timeline and audit rows. Matched on the client's name, so
loading twice creates nothing new.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.demo.engagements import DEMO_DOMAIN
from portal.domain import lifecycle
from portal.domain.schedule import add_months, initial_schedule
from portal.engagements.services import StageMoveInput, TransferInput, apply_schedule, move_stage, start_transfer
from portal.extensions import db
from portal.models import CertificationBody, Client, Engagement, Standard, User

logger = logging.getLogger(__name__)

RESTORED_CLIENT = "Sohar Demo Steel (fictional)"
TRANSFER_CLIENT = "Nizwa Demo Pottery (fictional)"


def _client(name: str) -> Client:
    slug = name.split(" (")[0].lower().replace(" ", "-")
    return Client(
        name=name,
        name_normalised=name.casefold(),
        contact_name="Demo Contact (fictional)",
        contact_email=f"{slug}@{DEMO_DOMAIN}",
    )


def _standard(slug: str) -> Standard:
    return db.session.scalars(select(Standard).where(Standard.slug == slug)).one()


def _restored(owner: User, today: date) -> None:
    """Expired about two months ago; recertified three weeks ago, so restored on the prior cycle."""
    first_decision = add_months(today, -38)
    engagement = Engagement(
        client=_client(RESTORED_CLIENT),
        owner=owner,
        stage=lifecycle.RECERTIFICATION,
        certificate_number="DEMO-SOHAR-STEEL-1",
        decision_date=first_decision,
    )
    engagement.standards = [_standard("iso-9001")]
    apply_schedule(engagement, initial_schedule(first_decision))
    db.session.add(engagement)
    db.session.flush()
    decision = today - timedelta(days=21)
    note = "Recertification audit finished after expiry; decided within six months (demo)."
    data = StageMoveInput(
        lifecycle.CERTIFIED, note=note, certificate_number="DEMO-SOHAR-STEEL-2", decision_date=decision
    )
    move_stage(engagement, data, owner)


def _transfer(owner: User, today: date) -> None:
    """A valid ISO 14001 certificate moving to the demo's first body, at its second surveillance."""
    body = db.session.scalar(
        select(CertificationBody).where(CertificationBody.active.is_(True)).order_by(CertificationBody.id)
    )
    data = TransferInput(
        standard_id=_standard("iso-14001").id,
        issuing_body="Previous Demo Certification (fictional)",
        certificate_number="DEMO-NIZWA-POTTERY-EMS",
        expiry_date=add_months(today, 16),
        next_audit=lifecycle.SURVEILLANCE_2,
        eligible=True,
        review_date=today - timedelta(days=10),
        reviewer="Demo Reviewer (fictional)",
        review_outcome="accepted",
        review_notes="Last surveillance report read; no open major nonconformity; no complaints (demo).",
        certification_body_id=body.id if body else None,
    )
    client = _client(TRANSFER_CLIENT)
    db.session.add(client)
    start_transfer(client, data, owner)


def _owner() -> User | None:
    """The first demo consultant (else the first active user): the services record who acted."""
    demo = select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.email)
    return (
        db.session.scalars(demo).first()
        or db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)).first()
    )


def load_demo_certificates(today: date | None = None) -> int:
    """Create the restored and the transferred certificate when missing; return how many were created."""
    today = today or today_in_oman()
    owner = _owner()
    if owner is None:
        return 0
    existing = set(db.session.scalars(select(Client.name_normalised)))
    created = 0
    for name, make in ((RESTORED_CLIENT, _restored), (TRANSFER_CLIENT, _transfer)):
        if name.casefold() not in existing:
            make(owner, today)
            created += 1
    db.session.flush()
    logger.info("demo certificates: %s created", created)
    return created
