"""Attaching files to a lead in Chromium: the chosen file is listed and on the timeline, a file of
another kind is refused next to the field, and deleting asks first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.documents import PDF
from tests.fixtures.leads import add_lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def test_attach_refuse_and_delete_a_file(page, browser_login):
    browser_login(Role.CONSULTANT, name="Salim Files")
    lead = add_lead()
    page.goto(f"/app/leads/{lead.id}")
    files = page.get_by_test_id("lead-attachments")

    page.get_by_label("File to attach").set_input_files(
        files=[{"name": "Scope of work.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Attach file").click()
    expect(page.get_by_text("File attached: Scope of work.pdf").first).to_be_visible()
    expect(files.get_by_test_id("lead-attachment")).to_contain_text("Salim Files")
    expect(page.get_by_test_id("lead-timeline")).to_contain_text("File attached: Scope of work.pdf")
    assert_accessible(page)

    page.get_by_label("File to attach").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 a program"}]
    )
    page.get_by_role("button", name="Attach file").click()
    expect(page.locator("#file-error")).to_contain_text("This kind of file cannot be attached.")
    expect(page.get_by_label("File to attach")).to_have_attribute("aria-invalid", "true")
    expect(files.get_by_test_id("lead-attachment")).to_have_count(1)
    assert_accessible(page)

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    files.get_by_role("button", name="Delete Scope of work.pdf").click()
    expect(page.get_by_test_id("lead-timeline")).to_contain_text("File deleted: Scope of work.pdf")
    expect(files.get_by_test_id("lead-attachment")).to_have_count(0)
    assert asked == ["Delete Scope of work.pdf? The timeline keeps that it was attached."]
