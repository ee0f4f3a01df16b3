"""The public request about personal data in real Chromium, in English and in Arabic: the form
on the privacy page, a refused sending that keeps what was typed, the thanks page with its
reference, the acknowledgement in the person's language, and the admin's task list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, PrivacyRequest, Role
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("/ar", "ar")])
def test_a_person_asks_for_their_data_and_an_admin_sees_the_task(page, app, monkeypatch, browser_login, prefix, lang):
    monkeypatch.setitem(app.config, "ENQUIRY_MIN_SECONDS", 0)
    page.goto(f"{prefix}/privacy")  # the notice, with the request form under it
    assert page.get_by_test_id("notice-version").is_visible()
    assert_accessible(page)

    page.locator("#name").fill("Aisha Al Balushi")
    page.locator("#email").fill("aisha.balushi@example.om")
    page.locator("#details").fill("Please delete what you hold about my enquiry.")
    page.locator("form button[type=submit]").click()  # no kind chosen yet
    page.wait_for_url(f"**{prefix}/privacy/request")  # shown again on the form's own page
    page.wait_for_selector("#kind-error")
    assert_accessible(page)
    assert page.locator("#name").input_value() == "Aisha Al Balushi"  # what was typed stays
    assert page.locator("#details").input_value() == "Please delete what you hold about my enquiry."

    page.locator("input[name=kind][value=erasure]").check()
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"**{prefix}/privacy/request/thanks")
    reference = page.locator(".privacy-request-reference").inner_text()

    db.session.rollback()  # read what the server committed
    task = db.session.scalars(select(PrivacyRequest)).one()
    assert (task.reference, task.kind, task.language, task.status) == (reference, "erasure", lang, "open")
    message = db.session.scalars(select(OutboxMessage)).one()
    assert (message.recipient, message.language) == ("aisha.balushi@example.om", lang)

    browser_login(Role.ADMIN)
    page.goto("/app/privacy/requests")
    row = page.get_by_test_id("privacy-requests").locator("tr", has_text=reference)
    assert row.is_visible() and "45" in row.inner_text()
    assert_accessible(page)
