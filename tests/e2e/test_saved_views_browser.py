"""Saved views and tags in Chromium: save a view and open it from its tab; tick rows and tag them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead, Role, Tag
from tests.fixtures.leads import add_lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def rows(page):
    return page.locator("tbody tr[data-lead-id]")


def tabs(page):
    return page.get_by_role("navigation", name="Saved views")


def test_save_a_view_and_open_it_from_its_tab(page, browser_login):
    browser_login(Role.CONSULTANT)
    add_lead(company="Sohar Steel", region="sohar")
    add_lead(company="Sohar Aluminium", region="sohar")
    add_lead(company="Muscat Bakery", region="muscat")

    page.goto("/app/leads/")
    page.get_by_label("Location").select_option("sohar")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"location=sohar"))
    page.get_by_label("Name of the view").fill("Sohar leads")
    page.get_by_label("Share with the whole team").check()
    page.get_by_role("button", name="Save this view").click()
    expect(page.get_by_text("View saved.")).to_be_visible()

    sohar_tab = tabs(page).get_by_role("link", name=re.compile("Sohar leads"))
    expect(sohar_tab).to_have_attribute("aria-current", "page")
    expect(sohar_tab).to_contain_text("2")

    tabs(page).get_by_role("link", name=re.compile("Open leads")).click()
    expect(rows(page)).to_have_count(3)
    tabs(page).get_by_role("link", name=re.compile("Sohar leads")).click()
    expect(rows(page)).to_have_count(2)
    expect(page.get_by_label("Location")).to_have_value("sohar")

    # Made the default, it is what the inbox opens with.
    page.get_by_role("button", name="Make this view my default").click()
    page.goto("/app/leads/")
    page.wait_for_url(re.compile(r"location=sohar"))
    expect(rows(page)).to_have_count(2)


def test_tick_rows_and_tag_them(page, browser_login):
    browser_login(Role.CONSULTANT)
    tag = Tag(name="Priority", colour="purple")
    db.session.add(tag)
    db.session.commit()
    first, second, third = add_lead(), add_lead(), add_lead()

    page.goto("/app/leads/")
    page.get_by_label(f"Tick {first.reference}").check()
    page.get_by_label(f"Tick {third.reference}").check()
    page.get_by_label("Action", exact=True).select_option("tag")
    page.get_by_label("Consultant, status or tag").select_option(label="Priority")
    page.get_by_role("button", name="Apply to ticked leads").click()

    expect(page.get_by_text("2 leads changed.")).to_be_visible()
    expect(page.locator(f'tr[data-lead-id="{first.id}"] [data-testid="lead-tags"]')).to_have_text("Priority")
    expect(page.locator(f'tr[data-lead-id="{second.id}"] [data-testid="lead-tags"]')).to_have_text("")
    db.session.expire_all()
    tagged = db.session.scalars(select(Lead.id).where(Lead.tags.any(Tag.name == "Priority")))
    assert set(tagged) == {first.id, third.id}

    # The tag filter shows just those two.
    page.get_by_label("Tag", exact=True).select_option(label="Priority")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows(page)).to_have_count(2)


def tab_names(page) -> list[str]:
    """Each tab's name (its first text, before the count)."""
    return tabs(page).get_by_role("link").evaluate_all("links => links.map(a => a.firstChild.textContent.trim())")


def test_rename_a_view_and_move_its_tab_with_buttons(page, browser_login):
    browser_login(Role.CONSULTANT)
    add_lead(region="sohar")
    add_lead(region="muscat")
    for region, name in (("sohar", "Sohar"), ("muscat", "Muscat")):
        page.goto(f"/app/leads/?location={region}")
        page.get_by_label("Name of the view").fill(name)
        page.get_by_role("button", name="Save this view").click()
        expect(page.get_by_text("View saved.")).to_be_visible()
    assert tab_names(page)[1:] == ["Sohar", "Muscat"]

    # On the Muscat tab: rename it, then move it before Sohar, from the keyboard alone.
    page.get_by_label("New name").fill("Muscat office")
    page.get_by_label("New name").press("Enter")
    expect(page.get_by_text("View renamed.")).to_be_visible()
    expect(tabs(page).get_by_role("link", name=re.compile("Muscat office"))).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Move this tab later")).to_have_count(0)  # the last of the user's
    page.get_by_role("button", name="Move this tab earlier").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("View moved.")).to_be_visible()
    assert tab_names(page)[1:] == ["Muscat office", "Sohar"]
    expect(page.get_by_role("button", name="Move this tab earlier")).to_have_count(0)

    # A name already taken stays in the field with the reason next to it.
    page.get_by_label("New name").fill("sohar")
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(page.get_by_label("New name")).to_have_value("sohar")
    expect(page.locator("#view-new-name-error")).to_have_text("You already have a view with this name.")
