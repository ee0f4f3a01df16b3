"""Demo engagements: every stage on the board, schedules on the certified ones, loaded once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.core.clock import today_in_oman
from portal.demo.engagements import DEMO_ENGAGEMENTS, load_demo_engagements
from portal.domain import lifecycle
from portal.domain.schedule import next_due
from portal.engagements.queries import schedule_of
from portal.extensions import db
from portal.models import Engagement, OutboxMessage, StageChange


def test_seed_demo_fills_every_stage_once(runner, login_as) -> None:
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    engagements = list(db.session.scalars(select(Engagement)))
    demo = [e for e in engagements if "(fictional)" in e.client.name]
    assert {e.stage for e in demo} == set(lifecycle.STAGES)
    assert all(e.owner is not None and e.standards for e in demo)
    assert load_demo_engagements() == 0
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == len(engagements)

    for engagement in demo:
        history = db.session.scalars(select(StageChange).where(StageChange.engagement_id == engagement.id)).all()
        if engagement.stage != lifecycle.GAP_ANALYSIS and engagement.transfer is None:  # a transfer starts mid-cycle
            assert history and history[-1].to_stage == engagement.stage
        if engagement.stage in ("certified", "surveillance_1", "surveillance_2", "recertification"):
            assert schedule_of(engagement) is not None and engagement.certificate_number


def test_one_demo_engagement_has_a_surveillance_due_soon_and_is_reminded(runner, app, reference) -> None:
    runner.invoke(args=["seed", "demo"])
    today = today_in_oman()
    soon = [
        e
        for e in db.session.scalars(select(Engagement))
        if (due := next_due(e.stage, schedule_of(e))) and today <= due[1] <= today + timedelta(days=60)
    ]
    assert soon
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert any(soon[0].client.name in subject for subject in subjects)


def test_the_board_shows_the_demo(client, runner, login_as) -> None:
    runner.invoke(args=["seed", "demo"])
    login_as()
    html = client.get("/app/engagements/").get_data(as_text=True)
    shown = [demo.client for demo in DEMO_ENGAGEMENTS if demo.stage != lifecycle.CLOSED]
    assert all(name in html for name in shown)


def test_the_demo_has_a_restored_certificate_and_a_transfer(runner, client, login_as) -> None:
    from portal.demo.certificates import RESTORED_CLIENT, TRANSFER_CLIENT

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    by_client = {e.client.name: e for e in db.session.scalars(select(Engagement))}
    restored = by_client[RESTORED_CLIENT]
    assert restored.certificate_state == "restored" and restored.not_certified_from is not None
    assert restored.cycle_start == restored.not_certified_from  # the prior cycle continues
    transferred = by_client[TRANSFER_CLIENT]
    assert transferred.transfer is not None and transferred.stage == "surveillance_2"
    login_as()
    assert 'data-testid="not-certified"' in client.get(f"/app/engagements/{restored.id}").get_data(as_text=True)
    assert 'data-testid="transfer"' in client.get(f"/app/engagements/{transferred.id}").get_data(as_text=True)
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Engagement)) == len(by_client)
