"""`flask seed demo` fills the inbox and the dashboard with believable, fictional leads."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Activity, Lead, LeadStatus, Region, Role, Standard
from portal.models.types import utcnow


def test_seed_demo_spreads_leads_over_everything_the_inbox_filters_on(runner, client, login_as):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    leads = list(db.session.scalars(select(Lead).where(Lead.reference.like("ENQ-DEMO-%"))))
    assert 50 <= len(leads) <= 70
    assert {lead.status for lead in leads} == {status.value for status in LeadStatus}
    assert len({lead.source for lead in leads}) >= 5
    assert {s.id for lead in leads for s in lead.standards} == set(db.session.scalars(select(Standard.id)))
    assert {lead.region_id for lead in leads} == set(db.session.scalars(select(Region.id)))
    now = utcnow()
    weeks = {(now - lead.created_at) // timedelta(weeks=1) for lead in leads}
    assert weeks == set(range(12))
    assert all(lead.email.endswith("@demo.example.om") for lead in leads)
    assert db.session.scalar(select(func.count()).select_from(Activity).where(Activity.kind == "note")) >= 3
    assert all(activity.created_at <= now for activity in db.session.scalars(select(Activity)))
    # The first response moved back with the timeline: after the arrival, and only on handled leads.
    answered = [lead for lead in leads if lead.first_response_at is not None]
    assert answered and all(lead.created_at < lead.first_response_at < now - timedelta(minutes=1) for lead in answered)
    assert all(lead.status != "new" for lead in answered)

    login_as(Role.ADMIN)
    duplicates = client.get("/app/leads/?duplicates=1&status=all").get_data(as_text=True)
    # Three pairs share an e-mail, a phone or a company.
    assert len(set(re.findall(r">(ENQ-DEMO-\d{4})<", duplicates))) == 6
    dashboard = client.get("/app/").get_data(as_text=True)
    assert 'data-testid="lead-chart"' in dashboard
    assert 'data-testid="response-chart"' in dashboard


def test_seed_demo_twice_adds_nothing(runner):
    runner.invoke(args=["seed", "demo"])
    count = db.session.scalar(select(func.count()).select_from(Lead))
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0
    assert "leads: 0 new" in result.output
    assert db.session.scalar(select(func.count()).select_from(Lead)) == count
