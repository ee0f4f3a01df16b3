"""The breach register in real Chromium: an admin records a breach with the browser's date-time
fields (Oman time), sees the clock against the deadline, then records the notification."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.domain.working_days import MUSCAT
from portal.models import Role
from portal.models.types import utcnow
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


def typed(moment) -> str:
    return moment.astimezone(MUSCAT).strftime("%Y-%m-%dT%H:%M")


def test_an_admin_records_a_breach_and_its_notification(page, browser_login):
    browser_login(Role.ADMIN)
    page.goto("/app/privacy/breaches")
    page.get_by_role("link", name="Record a breach").click()
    found = utcnow() - timedelta(hours=10)
    page.locator("#title").fill("Shared mailbox forwarded to a wrong address")
    page.locator("#discovered_at").fill(typed(found))
    page.locator("#people_affected").fill("14")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/app/privacy/breaches/*")
    clock = page.get_by_test_id("breach-clock")
    assert clock.get_by_test_id("clock-running").is_visible()
    # Typed to the minute: 10 h since discovery, 61 h and some minutes left (whole hours shown).
    assert re.search(r"10 h since it was found; 6[12] h left of the 72 h deadline", clock.inner_text())

    page.get_by_role("link", name="Edit").click()
    page.locator("#authority_notified_at").fill(typed(found + timedelta(hours=9)))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/app/privacy/breaches/\d+$"))
    assert page.get_by_test_id("breach-clock").get_by_test_id("clock-on_time").is_visible()
    assert_accessible(page)
