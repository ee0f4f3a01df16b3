"""The short enquiry in real Chromium: only the required answers, in English and in Arabic;
the consultant then sees what was not given. Fields are found by id (the Arabic words
arrive with the catalogue)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead, Role
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("/ar", "ar")])
def test_the_minimal_enquiry_is_sent_and_the_lead_page_lists_what_is_missing(
    page, app, reference, monkeypatch, browser_login, prefix, lang
):
    monkeypatch.setitem(app.config, "ENQUIRY_MIN_SECONDS", 0)
    page.goto(f"{prefix}/enquire")
    page.locator("#contact_name").fill("Aisha Al Balushi")
    page.locator("#email").fill("aisha.balushi@gmail.com")
    page.locator("#company").fill("Al Noor Trading LLC")
    page.locator("input[name=standards][value=iso-9001]").check()
    page.locator("#consent").check()
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"**{prefix}/enquire/thanks")
    assert page.locator(".enquiry-reference").is_visible()

    db.session.rollback()  # read what the server committed
    lead = db.session.scalars(select(Lead)).one()
    assert (lead.language, lead.status, lead.email_kind) == (lang, "new", "free")
    assert (lead.employees, lead.sector, lead.region, lead.timeline, lead.phone) == (None, None, None, "", "")

    browser_login(Role.CONSULTANT)
    page.goto(f"/app/leads/{lead.id}")
    missing = page.get_by_test_id("lead-not-given").inner_text()
    assert missing.startswith("Not given:")
    for answer in ("phone", "timeline", "employees", "sector", "location", "message"):
        assert answer in missing
    assert page.get_by_test_id("email-kind-free").is_visible()
    assert_accessible(page)
