"""Triage from the keyboard in Chromium: "/" search, j/k rows, x ticks, o and Enter open, "?" lists
the keys; keys typed into a field stay in the field; without JavaScript the inbox is unchanged."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.leads import add_lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def rows(page):
    return page.locator("tbody tr[data-lead-id]")


def current_row(page):
    return page.locator("tbody tr.is-current")


def three_leads() -> list[Lead]:
    """Three leads, newest first as the inbox lists them."""
    return [add_lead(company=f"Company {n}", age=timedelta(hours=n)) for n in (1, 2, 3)]


def test_move_tick_and_bulk_assign_from_the_keyboard(page, browser_login):
    me = browser_login(Role.CONSULTANT, name="Salim Keys")
    first, second, third = three_leads()
    page.goto("/app/leads/")
    expect(rows(page)).to_have_count(3)

    page.keyboard.press("j")
    expect(current_row(page)).to_have_attribute("data-lead-id", str(first.id))
    expect(current_row(page)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stays on the last row
    expect(current_row(page)).to_have_attribute("data-lead-id", str(third.id))
    page.keyboard.press("k")
    expect(current_row(page)).to_have_attribute("data-lead-id", str(second.id))
    expect(current_row(page)).to_have_count(1)

    page.keyboard.press("x")
    expect(page.get_by_label(f"Tick {second.reference}")).to_be_checked()
    page.keyboard.press("k")
    page.keyboard.press("x")
    page.keyboard.press("x")  # ticked, then unticked again
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.get_by_label(f"Tick {first.reference}")).not_to_be_checked()
    expect(page.get_by_label(f"Tick {third.reference}")).to_be_checked()

    # The ticks are the real form's: the bulk action applies to exactly those two.
    page.get_by_label("Action", exact=True).select_option("assign")
    page.get_by_label("Consultant, status or tag").select_option(label="Salim Keys")
    page.get_by_role("button", name="Apply to ticked leads").click()
    expect(page.get_by_text("2 leads changed.")).to_be_visible()
    db.session.expire_all()
    assigned = set(db.session.scalars(select(Lead.id).where(Lead.assigned_to_id == me.id)))
    assert assigned == {second.id, third.id}


def test_slash_searches_and_keys_typed_in_a_field_stay_there(page, browser_login):
    browser_login(Role.CONSULTANT)
    add_lead(company="Sohar Steel")
    add_lead(company="Nizwa Dates Factory")
    page.goto("/app/leads/")

    page.keyboard.press("/")
    search = page.get_by_label("Search")
    expect(search).to_be_focused()
    page.keyboard.type("jokx nizwa")  # j, o, k and x are letters here, not moves
    expect(search).to_have_value("jokx nizwa")
    expect(current_row(page)).to_have_count(0)
    search.fill("nizwa")
    page.keyboard.press("Enter")  # Enter in the search box still sends the filters
    page.wait_for_url(re.compile(r"q=nizwa"))
    expect(rows(page)).to_have_count(1)

    page.get_by_label("Reason").first.click()
    page.keyboard.type("x?")
    expect(page.get_by_label("Reason").first).to_have_value("x?")
    expect(page.locator("#inbox-keys")).not_to_be_visible()


def test_o_and_enter_open_the_lead(page, browser_login):
    browser_login(Role.CONSULTANT)
    first, second, _ = three_leads()
    page.goto("/app/leads/")
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url(f"**/app/leads/{first.id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.reference)

    page.go_back()
    expect(rows(page)).to_have_count(3)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/app/leads/{second.id}")


def test_question_mark_lists_the_keys_in_a_dialog(page, browser_login):
    browser_login(Role.CONSULTANT)
    three_leads()
    page.goto("/app/leads/")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).not_to_be_visible()

    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next and previous lead")
    expect(dialog).to_contain_text("Tick or untick the lead")
    page.keyboard.press("j")  # the keys rest while the list is open
    expect(current_row(page)).to_have_count(0)
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).not_to_be_visible()

    # The same list from a button, for those who do not know the "?" key yet; closed by its button.
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).not_to_be_visible()
    page.get_by_role("button", name="Keyboard shortcuts").click()
    dialog.get_by_role("button", name="Close").click()  # still works the second time
    expect(dialog).not_to_be_visible()
    assert_accessible(page)


def test_without_javascript_the_inbox_works_and_offers_no_keys(browser, live_server, app, monkeypatch, make_user):
    from tests.e2e.conftest import answer_code_step
    from tests.fixtures.auth import TEST_PASSWORD

    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    user = make_user(role=Role.CONSULTANT)
    lead = add_lead(company="Sur Fisheries")
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/auth/login")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        answer_code_step(page, user.email)
        page.goto("/app/leads/")
        expect(rows(page)).to_have_count(1)
        expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_hidden()
        expect(page.locator("#inbox-keys")).to_be_hidden()
        page.keyboard.press("j")
        expect(current_row(page)).to_have_count(0)
        page.get_by_role("link", name=lead.reference).click()
        page.wait_for_url(f"**/app/leads/{lead.id}")
    finally:
        context.close()
