"""A consultant triages a new lead in Chromium: inbox -> assign to self -> contacted -> qualified -> convert."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Engagement, Lead, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.leads import add_lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


def test_triage_a_new_lead_through_to_conversion(page, browser_login, reference):
    earlier = add_lead(email="aisha@alnoor.om", company="Al Noor Est", age=timedelta(days=30))
    lead = add_lead(
        email="Aisha@AlNoor.om", company="Al Noor Trading LLC", contact_name="Aisha Al Balushi", standards=("iso-9001",)
    )
    consultant = browser_login(Role.CONSULTANT, name="Salim Consultant")

    page.goto("/app/leads/")
    page.get_by_role("link", name=lead.reference).click()
    page.wait_for_url(f"**/app/leads/{lead.id}")
    assert page.get_by_role("heading", name=re.compile("Al Noor Trading LLC")).is_visible()
    duplicates = page.get_by_test_id("lead-duplicates").inner_text()
    assert earlier.reference in duplicates and "same e-mail" in duplicates
    assert_accessible(page)

    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text("Lead assigned to Salim Consultant.")).to_be_visible()

    page.get_by_label("New status").select_option(label="Contacted")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("lead-status")).to_have_text("Contacted")

    page.get_by_label("New status").select_option(label="Qualified")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("lead-status")).to_have_text("Qualified")
    assert_accessible(page)

    assert page.get_by_label(re.compile("^ISO 9001")).is_checked()
    page.get_by_label(re.compile("^ISO 14001")).check()
    page.get_by_role("button", name="Convert").click()
    expect(page.get_by_test_id("lead-status")).to_have_text("Converted")

    engagement = db.session.scalar(select(Engagement).where(Engagement.lead_id == lead.id))
    assert engagement is not None
    assert engagement.stage == "gap_analysis" and engagement.owner_id == consultant.id
    assert [s.slug for s in engagement.standards] == ["iso-9001", "iso-14001"]
    expect(page.get_by_test_id("lead-converted")).to_contain_text(
        f"Converted: client Al Noor Trading LLC, engagement #{engagement.id}"
    )
    timeline = page.get_by_test_id("lead-timeline").inner_text()
    assert "Status: Contacted → Qualified" in timeline and "Assigned to Salim Consultant" in timeline
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).status == "converted"
