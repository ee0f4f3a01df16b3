"""The lead page in Chromium: add and remove a tag on one lead, seen on its timeline, and the
lead's first-response line."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role, Tag
from tests.fixtures.leads import add_lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def test_tag_a_lead_from_its_page_and_remove_the_tag(page, browser_login):
    browser_login(Role.CONSULTANT)
    db.session.add_all([Tag(name="Tender", colour="amber"), Tag(name="Government", colour="teal")])
    db.session.commit()
    lead = add_lead(company="Duqm Port Services")

    page.goto(f"/app/leads/{lead.id}")
    tags = page.get_by_test_id("lead-tags")
    expect(tags).to_contain_text("No tags yet.")
    expect(page.get_by_test_id("lead-response")).to_contain_text("Waiting")
    tags.get_by_label("Add a tag").select_option(label="Tender")
    tags.get_by_role("button", name="Add the tag").click()

    expect(page.get_by_text("Tagged Tender.")).to_be_visible()
    expect(page.get_by_test_id("lead-tag")).to_contain_text("Tender")
    expect(tags.get_by_label("Add a tag").locator("option")).to_have_text(["Government"])  # not offered twice
    expect(page.get_by_test_id("lead-timeline")).to_contain_text("Tagged Tender")

    tags.get_by_role("button", name="Remove the tag Tender").click()
    expect(page.get_by_text("Tag removed: Tender.")).to_be_visible()
    expect(page.get_by_test_id("lead-tag")).to_have_count(0)
    expect(page.get_by_test_id("lead-timeline")).to_contain_text("Tag removed: Tender")

    # Logging a call answers the lead: the line now says how fast, in working hours.
    page.get_by_test_id("call-form").get_by_role("button").click()
    expect(page.get_by_test_id("lead-response")).to_contain_text("Answered in")
    expect(page.get_by_test_id("lead-response")).to_contain_text("(working hours)")
