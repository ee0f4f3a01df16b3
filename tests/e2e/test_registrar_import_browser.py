"""An admin imports a registrar CSV in Chromium: dry run, confirm, and the bodies in the list."""

from __future__ import annotations

import pytest

from portal.models import Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.registrars import csv_bytes, row

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def test_admin_imports_reviews_the_dry_run_and_confirms(page, browser_login):
    browser_login(Role.ADMIN)
    page.get_by_role("link", name="Registrars").click()
    page.wait_for_url("**/app/registrars/")
    page.get_by_role("link", name="Import CSV").click()
    page.wait_for_url("**/app/registrars/import")
    assert_accessible(page)

    data = csv_bytes(
        [
            row(body_name="شركة الخليج للشهادات"),
            row(
                body_name="شركة الخليج للشهادات",
                accreditation_number="GAC-EMS-1",
                standard="ISO 14001",
                sectors="28",
            ),
            row(
                body_slug="dune-cert",
                body_name="Dune Cert",
                regions="all",
                accreditation_number="UKAS-1",
                accreditation_body="UKAS",
                standard="ISO 22000",
                sectors="",
            ),
        ],
        delimiter=";",
        bom=True,
        newline="\r\n",
    )
    page.get_by_label("CSV file").set_input_files({"name": "directory.csv", "mimeType": "text/csv", "buffer": data})
    page.get_by_role("button", name="Check the file (dry run)").click()
    summary = page.get_by_test_id("dry-run-summary")
    assert "3 to create, 0 to update, 0 unchanged, 0 rejected" in summary.inner_text()
    assert page.locator('tr[data-action="create"]').count() == 3
    assert_accessible(page)

    page.get_by_role("button", name="Apply this import").click()
    page.wait_for_url("**/app/registrars/?active=all")
    assert page.get_by_text("Import applied: 3 rows created").is_visible()
    assert page.get_by_role("link", name="شركة الخليج للشهادات").is_visible()
    assert page.get_by_role("link", name="Dune Cert").is_visible()
    assert page.locator('tr[data-slug="dune-cert"]').get_by_text("All of Oman").is_visible()

    page.get_by_role("link", name="Dune Cert").click()
    page.wait_for_url("**/app/registrars/dune-cert")
    assert page.get_by_role("heading", name="ISO 22000").is_visible()
    assert_accessible(page)


def test_a_rejected_row_cannot_be_applied(page, browser_login):
    browser_login(Role.ADMIN)
    page.goto("/app/registrars/import")
    data = csv_bytes([row(standard="ISO 31000")])
    page.get_by_label("CSV file").set_input_files({"name": "bad.csv", "mimeType": "text/csv", "buffer": data})
    page.get_by_role("button", name="Check the file (dry run)").click()
    assert page.get_by_text('unknown standard code "ISO 31000"').is_visible()
    assert page.get_by_role("button", name="Apply this import").count() == 0


def test_admin_adds_a_body_with_field_messages_and_the_pages_are_accessible(page, browser_login):
    browser_login(Role.ADMIN)
    page.goto("/app/registrars/")
    assert_accessible(page)
    page.get_by_role("link", name="Add certification body").click()
    page.get_by_label("Name", exact=True).fill("Sur Audit House")
    page.get_by_label("E-mail").fill("not an address")
    page.get_by_label("Day rate (OMR per auditor-day)").fill("310.250")
    page.get_by_label("South Ash Sharqiyah").check()
    page.get_by_label("Arabic").check()
    page.get_by_role("button", name="Add certification body").click()
    assert page.get_by_text("Enter a valid e-mail address").is_visible()
    assert page.get_by_label("Name", exact=True).input_value() == "Sur Audit House"
    assert page.get_by_label("South Ash Sharqiyah").is_checked()
    assert_accessible(page)

    page.get_by_label("E-mail").fill("audits@sur.example.com")
    page.get_by_role("button", name="Add certification body").click()
    page.wait_for_url("**/app/registrars/sur-audit-house")
    assert page.get_by_text("OMR 310.250").is_visible()
    assert page.get_by_text("No quote requests yet.").is_visible()
    assert_accessible(page)
