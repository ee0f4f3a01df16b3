"""A visitor sends an enquiry in real Chromium; mistakes are shown next to their fields."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

axe = Axe()


def assert_accessible(page) -> None:
    violations = axe.run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


@pytest.fixture()
def enquiry_page(page, app, reference, monkeypatch):
    """The browser page, with reference data loaded and no minimum fill-in time."""
    monkeypatch.setitem(app.config, "ENQUIRY_MIN_SECONDS", 0)
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    assert csp_errors == []


def test_a_visitor_sends_an_enquiry_and_sees_the_reference(enquiry_page):
    page = enquiry_page
    page.goto("/enquire?standard=iso-9001&location=muscat")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Aisha Al Balushi")
    page.get_by_label("Work e-mail").fill("aisha@example.om")
    page.get_by_label("Phone").fill("9212 3456")
    page.get_by_label("Company").fill("Al Noor Trading LLC")
    page.get_by_label("Sector").select_option("28")
    page.get_by_label("Number of employees").fill("40")
    page.get_by_label("ISO 45001").check()
    page.get_by_label("When would you like to be certified?").select_option("3_6_months")
    page.get_by_label("How did you hear of us?").select_option("referral")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Send enquiry").click()

    page.wait_for_url("**/enquire/thanks")
    reference = page.locator(".enquiry-reference").inner_text()
    assert re.fullmatch(r"ENQ-\d{4}-\d{6}", reference)
    assert_accessible(page)

    lead = db.session.scalars(select(Lead).where(Lead.reference == reference)).one()
    assert [s.slug for s in lead.standards] == ["iso-9001", "iso-45001"]
    assert (lead.region.slug, lead.phone, lead.status) == ("muscat", "+96892123456", "new")


def test_a_visitor_making_mistakes_sees_each_error_by_its_field_and_keeps_their_input(enquiry_page):
    page = enquiry_page
    page.goto("/enquire")
    page.get_by_label("Your name").fill("Aisha Al Balushi")
    page.get_by_label("Work e-mail").fill("aisha@")
    page.get_by_label("Phone").fill("123")
    page.get_by_label("Company").fill("Al Noor Trading LLC")
    page.get_by_label("Number of employees").fill("0")
    page.get_by_label("Message (optional)").fill("Please call after 4pm.")
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_load_state()

    expected = {
        "email": "Enter a valid e-mail address",
        "phone": "Enter a valid phone number",
        "employees": "Enter a number from 1 to 1,000,000",
        "consent": "We need your consent",
    }
    for field, message in expected.items():
        error = page.locator(f"#{field}-error")
        assert message in error.inner_text()
        assert error.is_visible()
        assert f"{field}-error" in (page.locator(f"#{field}").get_attribute("aria-describedby") or "")
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    for optional in ("sector", "region", "timeline", "heard_from"):  # left blank: unknown, not a mistake
        assert page.locator(f"#{optional}-error").count() == 0
    standards_error = page.locator("#standards-error")
    assert "Choose at least one standard." in standards_error.inner_text() and standards_error.is_visible()

    assert page.get_by_label("Your name").input_value() == "Aisha Al Balushi"
    assert page.get_by_label("Work e-mail").input_value() == "aisha@"
    assert page.get_by_label("Phone").input_value() == "123"
    assert page.get_by_label("Number of employees").input_value() == "0"
    assert page.get_by_label("Message (optional)").input_value() == "Please call after 4pm."
    assert db.session.scalars(select(Lead)).first() is None
