"""The dashboard's first-response chart in Chromium: drawn under the strict CSP, readable, accessible."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role
from portal.models.types import utcnow
from tests.fixtures.leads import add_lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def test_the_response_chart_draws_bars_with_their_numbers_written(page, browser_login, make_user):
    me = browser_login(Role.CONSULTANT)
    colleague = make_user(name="Maryam Colleague")
    # Ten calendar days always hold working hours, whatever the weekends and holidays in them.
    for owner, days in ((me, 11), (me, 12), (colleague, 13)):
        lead = add_lead(created_at=utcnow() - timedelta(days=days), status="contacted", assigned_to_id=owner.id)
        lead.first_response_at = lead.created_at + timedelta(days=10)
    db.session.commit()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    page.goto("/app/")
    chart = page.get_by_test_id("response-chart")
    expect(chart).to_be_visible()
    rows = chart.get_by_test_id("response-row")
    expect(rows).to_have_count(3)  # the team, then each consultant by name
    expect(rows.first).to_contain_text("Team")
    expect(rows.nth(1)).to_contain_text("Maryam Colleague")
    # Every row's bars are drawn (a response took working time) and carry their values as text.
    for index in range(3):
        bars = rows.nth(index).locator("rect")
        assert all(bars.nth(n).bounding_box()["width"] > 0 for n in range(2))
        expect(rows.nth(index)).to_contain_text("median")
        expect(rows.nth(index)).to_contain_text("90th percentile")
    expect(page.get_by_test_id("response-table")).to_contain_text("Maryam Colleague")
    assert violations == []
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_long_name_is_shortened_to_stay_inside_the_chart_and_given_whole_in_the_table(page, browser_login, make_user):
    me = browser_login(Role.CONSULTANT)
    long_name = "Khalid bin Mohammed bin Salim Al Hashmi"
    colleague = make_user(name=long_name)
    for owner in (me, colleague):
        lead = add_lead(created_at=utcnow() - timedelta(days=12), status="contacted", assigned_to_id=owner.id)
        lead.first_response_at = lead.created_at + timedelta(days=10)
    db.session.commit()

    page.goto("/app/")
    chart = page.get_by_test_id("response-chart")
    label = chart.get_by_test_id("response-row").nth(1).locator("text").first
    expect(label).to_contain_text("Khalid bin Mohammed bin S…")
    assert label.bounding_box()["x"] >= chart.bounding_box()["x"]  # not cut off at the chart's edge
    expect(label.locator("title")).to_have_text(long_name)
    expect(page.get_by_test_id("response-table")).to_contain_text(long_name)
