"""In Chromium: an admin creates an API key (its secret shown once), another system sends an
enquiry with it, the admin revokes it; the API's reference page reads in English and Arabic."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from portal.models import Role
from tests.fixtures.api import api_enquiry
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


def send_enquiry(base_url: str, secret: str) -> int:
    """POST an enquiry as another system would (no browser, no cookies); the HTTP status."""
    request = urllib.request.Request(  # noqa: S310 (the test's own server)
        base_url + "/api/v1/enquiries",
        data=json.dumps(api_enquiry()).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_admin_creates_a_key_that_works_and_revokes_it(page, browser_login, live_server, reference):
    browser_login(Role.ADMIN)
    page.goto("/app/admin/settings")
    page.get_by_role("link", name="API keys").click()
    page.wait_for_url("**/app/admin/api-keys")
    assert_accessible(page)

    page.get_by_label("Name").fill("Sohar landing page")
    page.get_by_label("Read the status of the enquiries it sent").uncheck()
    page.get_by_role("button", name="Create key").click()
    notice = page.get_by_test_id("new-key")
    secret = notice.locator("code").inner_text()
    assert re.fullmatch(r"prt_[\w-]{40,}", secret)
    row = page.get_by_role("row", name=re.compile("Sohar landing page"))
    assert row.get_by_text("Send enquiries").is_visible()
    assert_accessible(page)

    assert send_enquiry(live_server, secret) == 201

    page.goto("/app/admin/api-keys")
    assert secret not in page.content()
    page.get_by_role("row", name=re.compile("Sohar landing page")).get_by_role("button", name="Revoke").click()
    page.wait_for_url("**/app/admin/api-keys")
    assert page.get_by_text("Key Sohar landing page revoked.").is_visible()
    assert send_enquiry(live_server, secret) == 401


@pytest.mark.parametrize(("locale", "heading"), [("en-GB", "Parameters"), ("ar", "المعاملات")])
def test_the_reference_page_reads_in_both_languages(browser, live_server, locale, heading):
    context = browser.new_context(base_url=live_server, locale=locale)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto("/api/v1/docs")

    assert page.get_by_role("heading", name="POST /api/v1/enquiries").is_visible()
    assert page.get_by_role("heading", name=heading).first.is_visible()
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    assert errors == []  # nothing refused by the CSP
    assert_accessible(page)
    context.close()
