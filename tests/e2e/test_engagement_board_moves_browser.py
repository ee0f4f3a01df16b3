"""Moving engagements on the board in Chromium by drag and drop and from the keyboard (the card's
own form is what is sent, so the server's rules apply), and the board at 1280 px: every stage in
view, no sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Engagement, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.engagements import add_engagement

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def column(page, stage: str):
    return page.locator(f'.engagement-column[data-stage="{stage}"]')


def card(page, engagement: Engagement):
    return page.locator(f'[data-engagement-id="{engagement.id}"]')


def stage_of(engagement: Engagement) -> str:
    db.session.expire_all()
    return db.session.get(Engagement, engagement.id).stage


@pytest.fixture()
def laptop(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    return page


def test_drag_a_card_onto_the_next_stage(laptop, browser_login):
    page = laptop
    consultant = browser_login(Role.CONSULTANT)
    moving = add_engagement(owner=consultant, stage="internal_audit", client_name="Barka Demo Dairy")

    page.goto("/app/engagements/?owner=me")
    card(page, moving).drag_to(column(page, "registrar_selection"))

    expect(page.get_by_text("Barka Demo Dairy moved to Registrar selection.")).to_be_visible()
    assert page.url.endswith("/app/engagements/?owner=me")
    expect(column(page, "registrar_selection").locator(f'[data-engagement-id="{moving.id}"]')).to_be_visible()
    assert stage_of(moving) == "registrar_selection"


def test_a_drop_that_needs_a_note_lands_on_the_engagement_page_asking_for_it(laptop, browser_login):
    page = laptop
    consultant = browser_login(Role.CONSULTANT)
    moving = add_engagement(owner=consultant, stage="registrar_selection", client_name="Seeb Demo Print")

    page.goto("/app/engagements/?owner=me")
    card(page, moving).drag_to(column(page, "gap_analysis"))  # back two steps: the server wants a note

    expect(page.get_by_text("say why in a note")).to_be_visible()
    assert page.url.endswith(f"/app/engagements/{moving.id}/stage")
    assert stage_of(moving) == "registrar_selection"


def test_a_card_is_only_dropped_where_its_form_could_send_it(laptop, browser_login):
    """An engagement on hold may only resume where it was (or close): other columns refuse the drop."""
    page = laptop
    consultant = browser_login(Role.CONSULTANT)
    held = add_engagement(
        owner=consultant, stage="on_hold", stage_before_hold="implementation", client_name="Sur Demo Boats"
    )
    add_engagement(owner=consultant, stage="certified", client_name="Ibri Demo Foods")

    page.goto("/app/engagements/?owner=me")
    card(page, held).drag_to(column(page, "certified"))
    expect(column(page, "on_hold").locator(f'[data-engagement-id="{held.id}"]')).to_be_visible()
    card(page, held).drag_to(column(page, "implementation"))
    expect(page.get_by_text("Sur Demo Boats moved to Implementation.")).to_be_visible()
    assert stage_of(held) == "implementation"


def test_pick_up_choose_and_drop_from_the_keyboard(laptop, browser_login):
    page = laptop
    consultant = browser_login(Role.CONSULTANT)
    moving = add_engagement(owner=consultant, stage="internal_audit", client_name="Barka Demo Dairy")
    live = page.locator("#board-live")

    page.goto("/app/engagements/?owner=me")
    pick = page.get_by_role("button", name="Pick up Barka Demo Dairy")
    pick.focus()
    page.keyboard.press("Enter")
    expect(pick).to_have_attribute("aria-pressed", "true")
    expect(live).to_have_text("Barka Demo Dairy picked up. Column: Registrar selection.")
    expect(column(page, "registrar_selection")).to_have_class(
        "engagement-column card is-empty is-drop-target is-chosen"
    )
    assert_accessible(page)

    page.keyboard.press("ArrowRight")
    expect(live).to_have_text("Column: Stage 1 audit.")
    page.keyboard.press("Escape")
    expect(live).to_have_text("Barka Demo Dairy put back.")
    expect(pick).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".is-drop-target")).to_have_count(0)

    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    expect(live).to_have_text("Column: Registrar selection.")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Barka Demo Dairy moved to Registrar selection.")).to_be_visible()
    assert stage_of(moving) == "registrar_selection"


def test_every_stage_is_in_view_at_1280_px_without_sideways_scrolling(laptop, browser_login):
    page = laptop
    consultant = browser_login(Role.CONSULTANT)
    for n, stage in enumerate(("gap_analysis", "implementation", "internal_audit", "stage1_audit", "surveillance_1")):
        add_engagement(owner=consultant, stage=stage, client_name=f"Muscat Demo Trading {n}")

    page.goto("/app/engagements/?owner=me")
    columns = page.locator(".engagement-column")
    expect(columns).to_have_count(11)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    board = page.get_by_test_id("engagement-board")
    assert board.evaluate("el => el.scrollWidth <= el.clientWidth")
    for index in range(11):
        box = columns.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, index
    empty = column(page, "certified").bounding_box()
    full = column(page, "gap_analysis").bounding_box()
    assert empty["width"] < 64 < 200 < full["width"]  # an empty stage folds to a strip, a busy one stays readable
    expect(column(page, "certified")).to_contain_text("Certified")
    assert_accessible(page)
