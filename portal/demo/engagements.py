"""Fictional engagements in every stage, so the board, the schedule and the reminders
have something to show on first run (`flask seed demo`).

Each demo client is matched on its name, so loading twice creates nothing new. The
history is a plausible walk forward through the cycle, written as StageChange and
timeline rows with past times; certified ones carry a schedule computed by the domain
rules, and one of them has its first surveillance due within the reminder window.
Contacts are at demo.example.om, so nothing here reaches a real person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.domain import lifecycle
from portal.domain.schedule import add_months, initial_schedule
from portal.domain.working_days import MUSCAT
from portal.engagements.services import apply_schedule
from portal.extensions import db
from portal.models import Activity, CertificationBody, Client, Engagement, StageChange, Standard, User

logger = logging.getLogger(__name__)

DEMO_DOMAIN = "demo.example.om"


@dataclass(frozen=True)
class DemoEngagement:
    client: str
    stage: str
    standards: tuple[str, ...]
    days_in_stage: int
    decision_months_ago: int | None = None  # certified ones: how long ago the decision was
    decision_days_later: int = 0  # fine-tunes the decision date, e.g. to put an audit due soon
    held_at: str | None = None
    closed_reason: str = ""


DEMO_ENGAGEMENTS: tuple[DemoEngagement, ...] = (
    DemoEngagement("Qurum Demo Bakery (fictional)", lifecycle.GAP_ANALYSIS, ("iso-22000",), 4),
    DemoEngagement("Wadi Kabir Demo Plastics (fictional)", lifecycle.IMPLEMENTATION, ("iso-9001",), 21),
    DemoEngagement("Bausher Demo Clinics (fictional)", lifecycle.IMPLEMENTATION, ("iso-9001", "iso-45001"), 48),
    DemoEngagement("Samail Demo Water (fictional)", lifecycle.INTERNAL_AUDIT, ("iso-14001",), 9),
    DemoEngagement("Azaiba Demo Software (fictional)", lifecycle.REGISTRAR_SELECTION, ("iso-27001",), 12),
    DemoEngagement("Ghala Demo Metals (fictional)", lifecycle.STAGE1_AUDIT, ("iso-9001", "iso-14001"), 6),
    DemoEngagement("Khasab Demo Shipping (fictional)", lifecycle.STAGE2_AUDIT, ("iso-45001",), 15),
    DemoEngagement(
        "Mabela Demo Foods (fictional)",
        lifecycle.CERTIFIED,
        ("iso-22000",),
        300,
        decision_months_ago=12,
        decision_days_later=25,
    ),
    DemoEngagement("Amerat Demo Cement (fictional)", lifecycle.CERTIFIED, ("iso-9001",), 40, decision_months_ago=2),
    DemoEngagement(
        "Bidbid Demo Logistics (fictional)", lifecycle.SURVEILLANCE_1, ("iso-9001",), 20, decision_months_ago=12
    ),
    DemoEngagement(
        "Fanja Demo Chemicals (fictional)",
        lifecycle.SURVEILLANCE_2,
        ("iso-14001", "iso-45001"),
        30,
        decision_months_ago=23,
    ),
    DemoEngagement(
        "Quriyat Demo Fisheries (fictional)", lifecycle.RECERTIFICATION, ("iso-22000",), 60, decision_months_ago=32
    ),
    DemoEngagement(
        "Saham Demo Academy (fictional)", lifecycle.ON_HOLD, ("iso-9001",), 33, held_at=lifecycle.IMPLEMENTATION
    ),
    DemoEngagement(
        "Yitti Demo Resorts (fictional)", lifecycle.CLOSED, ("iso-14001",), 70, closed_reason="won_elsewhere"
    ),
)


def _at(day: date) -> datetime:
    """Mid-morning in Muscat on `day`, for history rows."""
    return datetime.combine(day, time(9, 30), tzinfo=MUSCAT)


def _path_to(demo: DemoEngagement) -> list[str]:
    """The stages walked through, from gap analysis up to the demo's stage (hold and close at the end)."""
    last = demo.held_at or (lifecycle.IMPLEMENTATION if demo.stage == lifecycle.CLOSED else demo.stage)
    path = list(lifecycle.CYCLE[: lifecycle.CYCLE.index(last) + 1])
    if demo.stage in (lifecycle.ON_HOLD, lifecycle.CLOSED):
        path.append(demo.stage)
    return path


def _history_days(path: list[str], entered: date, decision: date | None) -> list[date]:
    """When each stage of `path` was entered: a fortnight apart up to the certificate, then
    surveillance and recertification a month or so before they fall due."""
    if decision is None:
        return [entered - timedelta(days=14 * (len(path) - 1 - i)) for i in range(len(path))]
    schedule = initial_schedule(decision)
    after = {
        lifecycle.CERTIFIED: decision,
        lifecycle.SURVEILLANCE_1: schedule.surveillance_1_due - timedelta(days=40),
        lifecycle.SURVEILLANCE_2: schedule.surveillance_2_due - timedelta(days=40),
        lifecycle.RECERTIFICATION: schedule.recertification_start,
    }
    certified_at = path.index(lifecycle.CERTIFIED)
    before = [decision - timedelta(days=14 * (certified_at - i)) for i in range(certified_at)]
    return before + [
        min(after[stage], entered) if stage != lifecycle.CERTIFIED else after[stage] for stage in path[certified_at:]
    ]


def _owners() -> list[User]:
    owners = list(db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.email)))
    return owners or list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id).limit(2)))


def _make(demo: DemoEngagement, owner: User | None, body: CertificationBody | None, today: date) -> None:
    slug = demo.client.split(" (")[0].lower().replace(" ", "-")
    client = Client(
        name=demo.client,
        name_normalised=demo.client.casefold(),
        contact_name="Demo Contact (fictional)",
        contact_email=f"{slug}@{DEMO_DOMAIN}",
    )
    engagement = Engagement(client=client, owner=owner, stage=demo.stage, closed_reason=demo.closed_reason)
    engagement.standards = list(db.session.scalars(select(Standard).where(Standard.slug.in_(demo.standards))))
    path = _path_to(demo)
    entered = today - timedelta(days=demo.days_in_stage)
    if demo.decision_months_ago is not None:
        decision = add_months(today, -demo.decision_months_ago) + timedelta(days=demo.decision_days_later)
        schedule = initial_schedule(decision)
        engagement.certificate_number = f"DEMO-{slug[:12].upper()}-{decision.year}"
        engagement.decision_date = decision
        apply_schedule(engagement, schedule)
    if lifecycle.STAGE1_AUDIT in path:
        engagement.certification_body = body
    if demo.stage == lifecycle.ON_HOLD:
        engagement.stage_before_hold = demo.held_at
    times = _history_days(path, entered, engagement.decision_date)
    engagement.created_at = _at(times[0])
    engagement.stage_entered_at = _at(times[-1])
    db.session.add(engagement)
    db.session.flush()
    for previous, stage, day in zip(path, path[1:], times[1:], strict=False):
        reason = demo.closed_reason if stage == lifecycle.CLOSED else ""
        db.session.add(
            StageChange(
                engagement_id=engagement.id,
                from_stage=previous,
                to_stage=stage,
                reason=reason,
                actor=owner,
                at=_at(day),
            )
        )
        db.session.add(
            Activity(
                engagement_id=engagement.id,
                author=owner,
                kind="stage_change",
                details={"from": previous, "to": stage, **({"reason": reason} if reason else {})},
                created_at=_at(day),
            )
        )


def load_demo_engagements(today: date | None = None) -> int:
    """Create the demo engagements whose client is missing; return how many were created."""
    today = today or today_in_oman()
    existing = set(db.session.scalars(select(Client.name_normalised)))
    owners = _owners()
    body = db.session.scalar(
        select(CertificationBody).where(CertificationBody.active.is_(True)).order_by(CertificationBody.id)
    )
    created = 0
    for index, demo in enumerate(DEMO_ENGAGEMENTS):
        if demo.client.casefold() in existing:
            continue
        _make(demo, owners[index % len(owners)] if owners else None, body, today)
        created += 1
    db.session.flush()
    logger.info("demo engagements: %s created", created)
    return created
