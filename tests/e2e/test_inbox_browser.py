"""The lead inbox in Chromium: filter and search, bulk assign, select-all; the dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Lead, Role
from tests.fixtures.leads import add_lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def rows(page):
    return page.locator("tbody tr[data-lead-id]")


def test_filter_and_search(page, browser_login):
    browser_login(Role.CONSULTANT)
    nizwa = add_lead(company="Nizwa Dates Factory", standards=("iso-22000",), region="nizwa")
    add_lead(company="Sohar Steel", standards=("iso-9001",), region="sohar")
    add_lead(company="Nizwa Cement", standards=("iso-9001",), region="nizwa", status="spam")

    page.goto("/app/leads/")
    expect(rows(page)).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("Search").fill("nizwa")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"q=nizwa"))
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Nizwa Dates Factory")

    # Filters combine, and the address bar holds them so the view can be shared.
    page.get_by_label("Search").fill("")
    page.get_by_label("Status", exact=True).select_option("all")
    page.get_by_label("Location").select_option("nizwa")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"location=nizwa"))
    expect(rows(page)).to_have_count(2)
    page.get_by_label("Standard").select_option("iso-22000")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(nizwa.reference)

    shared = page.url
    page.goto("/app/leads/")
    page.goto(shared)
    expect(rows(page)).to_have_count(1)
    expect(page.get_by_label("Location")).to_have_value("nizwa")


def test_bulk_assign(page, browser_login, make_user):
    browser_login(Role.CONSULTANT)
    colleague = make_user(name="Maryam Colleague")
    first, second, third = add_lead(), add_lead(), add_lead()

    page.goto("/app/leads/")
    page.get_by_label(f"Tick {first.reference}").check()
    page.get_by_label(f"Tick {third.reference}").check()
    page.get_by_label("Action", exact=True).select_option("assign")
    page.get_by_label("Consultant, status or tag").select_option(label="Maryam Colleague")
    page.get_by_role("button", name="Apply to ticked leads").click()

    expect(page.get_by_text("2 leads changed.")).to_be_visible()
    expect(page.locator(f'tr[data-lead-id="{first.id}"]')).to_contain_text("Maryam Colleague")
    expect(page.locator(f'tr[data-lead-id="{second.id}"]')).to_contain_text("Unassigned")
    db.session.expire_all()
    assigned = db.session.scalars(select(Lead.id).where(Lead.assigned_to_id == colleague.id))
    assert set(assigned) == {first.id, third.id}


def test_select_all_then_change_status(page, browser_login):
    browser_login(Role.ADMIN)
    leads = [add_lead() for _ in range(3)]

    page.goto("/app/leads/")
    page.get_by_label("Tick every lead on this page").check()
    page.get_by_label("Action", exact=True).select_option("status")
    page.get_by_label("Consultant, status or tag").select_option("contacted")
    page.get_by_role("button", name="Apply to ticked leads").click()

    expect(page.get_by_text("3 leads changed.")).to_be_visible()
    db.session.expire_all()
    assert {db.session.get(Lead, lead.id).status for lead in leads} == {"contacted"}


def test_dashboard_is_accessible_and_links_to_the_inbox(page, browser_login):
    browser_login(Role.CONSULTANT)
    add_lead(standards=("iso-9001", "iso-45001"))
    page.goto("/app/")
    expect(page.get_by_test_id("lead-chart")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("new-waiting").click()
    page.wait_for_url(re.compile(r"/app/leads/\?status=new"))
    expect(rows(page)).to_have_count(1)


def test_admin_exports_the_filtered_view_with_the_button(page, browser_login):
    """The export is a POST-only button (it writes an audit row): clicking it downloads the view as CSV."""
    browser_login(Role.ADMIN)
    add_lead(company="Nizwa Dates Factory", standards=("iso-22000",), region="nizwa")
    add_lead(company="Sohar Steel", standards=("iso-9001",), region="sohar")

    page.goto("/app/leads/?q=nizwa")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export this view (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("leads-") and download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "Nizwa Dates Factory" in text and "Sohar Steel" not in text
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "leads.exported")) is not None


def test_a_reference_read_out_on_the_phone_finds_its_lead(page, browser_login):
    browser_login(Role.CONSULTANT)
    wanted = add_lead(company="Duqm Marine Services", standards=("iso-9001",))
    add_lead(company="Ibri Water Company", standards=("iso-9001",))

    page.goto("/app/leads/")
    expect(rows(page)).to_have_count(2)
    page.get_by_label("Search").fill(wanted.reference.rsplit("-", 1)[1])  # the number part, as said aloud
    page.get_by_role("button", name="Apply filters").click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Duqm Marine Services")

    # The whole reference, typed any case, opens the lead itself.
    page.get_by_label("Search").fill(wanted.reference.lower())
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf"/app/leads/{wanted.id}$"))
    expect(page.locator("main")).to_contain_text("Duqm Marine Services")
