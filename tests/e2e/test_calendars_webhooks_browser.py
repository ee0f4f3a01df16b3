"""In Chromium: a consultant makes a calendar link on the account page and a calendar app reads it;
an admin registers a webhook endpoint (refused on a private address, with the message next to
the field), sees its secret once, and reads the same pages in Arabic, right to left."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from portal.models import Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.engagements import add_engagement

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


def test_a_consultant_subscribes_to_their_calendar(page, browser_login, reference):
    user = browser_login(Role.CONSULTANT)
    engagement = add_engagement(
        owner=user, stage="certified", client_name="Sohar Steel", decision_date=date(2026, 3, 1)
    )
    page.goto("/auth/account")
    page.get_by_role("button", name="Make a calendar link").click()
    page.wait_for_url("**/auth/account#calendars")
    link = page.get_by_label("Your calendar link (shown only this once)").input_value()
    assert_accessible(page)

    answer = page.request.get(urlsplit(link).path)  # the path on the test server; the host is PUBLIC_BASE_URL's
    assert answer.ok and answer.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(answer.body()).walk("VEVENT")]
    assert "Surveillance audit 1: Sohar Steel" in summaries

    page.reload()
    assert page.get_by_label("Your calendar link (shown only this once)").count() == 0
    page.get_by_role("button", name="Revoke the link").click()
    assert page.request.get(urlsplit(link).path).status == 404
    page.goto(f"/app/engagements/{engagement.id}")
    assert page.get_by_role("link", name="Add all these dates to my calendar (.ics)").is_visible()
    next_audit = page.get_by_role("link", name=re.compile(r"^Add the next audit \(.+\) to my calendar"))
    with page.expect_download() as download:
        next_audit.click()
    assert download.value.suggested_filename == f"engagement-{engagement.id}-next-audit.ics"
    (event,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Surveillance audit 1: Sohar Steel"


def test_an_admin_registers_a_webhook_endpoint_in_english_then_reads_it_in_arabic(page, browser_login):
    browser_login(Role.ADMIN)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name=re.compile("^Webhooks")).click()
    page.wait_for_url("**/app/admin/webhooks/")
    assert_accessible(page)

    page.get_by_label("Address (https)").fill("https://192.168.1.5/hook")
    page.get_by_label("A lead is created (an enquiry arrives)").check()
    page.get_by_role("button", name="Register").click()
    assert page.get_by_text("This address is on a private or local network").is_visible()
    assert page.get_by_label("Address (https)").input_value() == "https://192.168.1.5/hook"

    page.get_by_label("Address (https)").fill("https://93.184.215.14/hook")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/app/admin/webhooks/\d+$"))
    secret = page.get_by_label(re.compile("Signing secret")).input_value()
    assert secret.startswith("whsec_")
    assert_accessible(page)
    page.reload()
    assert secret not in page.content()

    page.goto("/auth/account")
    page.locator("#locale").select_option("ar")
    page.get_by_role("button", name="Save language").click()
    page.goto("/app/admin/webhooks/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="خطافات الويب").is_visible()
    assert_accessible(page)
