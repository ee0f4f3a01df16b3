"""Auto-assignment: off by default, round-robin over active consultants who have joined, skipping full ones."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.leads.services.assignment import AutoAssignSettings, auto_assign, load_settings, save_settings
from portal.models import Activity, AuditLog, Lead, OutboxMessage, Role
from portal.models.types import utcnow
from portal.public.enquiry.services import EnquiryData, submit_enquiry
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.leads import add_lead


def switch_on(max_open: int = 25) -> None:
    save_settings(AutoAssignSettings(enabled=True, max_open=max_open))
    db.session.commit()


def test_off_by_default_leaves_new_leads_unassigned(app, make_user, reference) -> None:
    make_user(Role.CONSULTANT)
    lead = add_lead()
    assert load_settings() == AutoAssignSettings(enabled=False, max_open=25)
    assert auto_assign(lead) is None
    assert lead.assigned_to_id is None


def test_round_robin_over_active_consultants_only(app, make_user, reference) -> None:
    a = make_user(Role.CONSULTANT, name="A")
    make_user(Role.ADMIN, name="Admin")
    make_user(Role.CONSULTANT, name="Inactive", active=False)
    make_user(Role.CONSULTANT, name="Invited", invited_at=utcnow())  # has not chosen a password yet
    make_user(Role.CONSULTANT, name="B")
    switch_on()
    chosen = []
    for _ in range(5):
        lead = add_lead()
        chosen.append(auto_assign(lead).name)
        db.session.commit()
    assert chosen == ["A", "B", "A", "B", "A"]
    assert db.session.get(Lead, lead.id).assigned_to_id == a.id


def test_consultants_at_the_limit_are_skipped(app, make_user, reference) -> None:
    busy = make_user(Role.CONSULTANT, name="Busy")
    free = make_user(Role.CONSULTANT, name="Free")
    add_lead(assigned_to_id=busy.id, status="new")
    add_lead(assigned_to_id=busy.id, status="contacted")
    add_lead(assigned_to_id=free.id, status="converted")  # closed leads do not count
    add_lead(assigned_to_id=free.id, status="spam")
    switch_on(max_open=2)
    assert auto_assign(add_lead()) == free
    db.session.commit()
    assert auto_assign(add_lead()) == free
    db.session.commit()
    assert auto_assign(add_lead()) is None  # both at the limit now: the lead waits in the inbox


def test_auto_assignment_emails_the_consultant_and_marks_the_timeline_as_system(app, make_user, reference) -> None:
    consultant = make_user(Role.CONSULTANT, email="c@example.om")
    switch_on()
    lead = add_lead()
    auto_assign(lead)
    db.session.commit()
    (message,) = db.session.scalars(select(OutboxMessage))
    assert message.recipient == "c@example.om" and "assigned to you automatically" in message.body_text
    (entry,) = db.session.scalars(select(Activity).where(Activity.kind == "assignment"))
    assert entry.author_id is None and entry.details["to_id"] == consultant.id


def enquiry(**overrides) -> EnquiryData:
    values = dict(
        contact_name="Aisha",
        email="aisha@alnoor.om",
        phone="+96892123456",
        company="Al Noor",
        sector_code=35,
        employees=20,
        sites=1,
        region_slug="muscat",
        standard_slugs=("iso-9001",),
        consent=True,
    )
    values.update(overrides)
    return EnquiryData(**values)


def test_enquiry_intake_assigns_new_leads_but_not_spam(app, make_user, reference) -> None:
    consultant = make_user(Role.CONSULTANT)
    switch_on()
    with app.test_request_context():
        lead = submit_enquiry(enquiry())
        spam = submit_enquiry(enquiry(email="bot@x.om", spam_reason="honeypot"))
        db.session.commit()
    assert lead.assigned_to_id == consultant.id
    assert spam.assigned_to_id is None


def test_enquiry_intake_leaves_leads_alone_when_off(app, make_user, reference) -> None:
    make_user(Role.CONSULTANT)
    with app.test_request_context():
        lead = submit_enquiry(enquiry())
        db.session.commit()
    assert lead.assigned_to_id is None


def test_admin_switches_it_on_with_a_limit(client, login_as) -> None:
    login_as(Role.ADMIN)
    page = client.get("/app/admin/settings/")
    assert page.status_code == 200
    response = client.post(
        "/app/admin/settings/",
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True)), "auto_assign": "y", "max_open": "7"},
    )
    assert response.status_code == 302
    assert load_settings() == AutoAssignSettings(enabled=True, max_open=7)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "settings.auto_assign")) is not None


@pytest.mark.parametrize("max_open", ["0", "abc", ""])
def test_a_bad_limit_is_refused_and_kept(client, login_as, max_open: str) -> None:
    login_as(Role.ADMIN)
    page = client.get("/app/admin/settings/")
    response = client.post(
        "/app/admin/settings/",
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True)), "auto_assign": "y", "max_open": max_open},
    )
    assert response.status_code == 400
    assert 'id="max_open-error"' in response.get_data(as_text=True)
    assert load_settings() == AutoAssignSettings()


def test_consultants_cannot_open_the_settings(client, login_as) -> None:
    login_as(Role.CONSULTANT)
    assert client.get("/app/admin/settings/").status_code == 403
