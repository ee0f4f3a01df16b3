"""A consultant moves engagements on the board in Chromium (plain form posts, no JavaScript
needed), then certifies one on its page and sees the schedule."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Engagement, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.engagements import add_engagement

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


def test_move_a_card_then_certify_on_the_engagement_page(page, browser_login, reference):
    consultant = browser_login(Role.CONSULTANT, name="Maryam Consultant")
    moving = add_engagement(owner=consultant, stage="internal_audit", client_name="Barka Demo Dairy")
    certifying = add_engagement(owner=consultant, stage="stage2_audit", client_name="Seeb Demo Print")

    page.goto("/app/engagements/?owner=me")
    card = page.locator(f'[data-engagement-id="{moving.id}"]')
    expect(card).to_contain_text("Barka Demo Dairy")
    assert_accessible(page)
    card.get_by_label("Move to").select_option(label="Registrar selection")
    card.get_by_role("button", name="Move").click()
    expect(page.get_by_text("Barka Demo Dairy moved to Registrar selection.")).to_be_visible()
    assert page.url.endswith("/app/engagements/?owner=me")
    moved = page.locator('[data-stage="registrar_selection"]').locator(f'[data-engagement-id="{moving.id}"]')
    expect(moved).to_be_visible()

    # Skipping back without a note: the move is refused and explained on the engagement page.
    moved.get_by_label("Move to").select_option("gap_analysis")
    moved.get_by_role("button", name="Move").click()
    expect(page.get_by_text("say why in a note")).to_be_visible()

    page.goto(f"/app/engagements/{certifying.id}")
    page.get_by_label("Certificate number (when certifying)").fill("QMS-SEEB-2026")
    page.get_by_label("Certification decision date (when certifying)").fill("2026-01-31")
    page.get_by_role("button", name="Certified").click()
    expect(page.get_by_test_id("engagement-stage")).to_have_text("Certified")
    expect(page.get_by_test_id("expiry-date")).to_have_text("2029-01-30")
    expect(page.get_by_test_id("surveillance-1-due")).to_have_text("2027-01-31")
    assert_accessible(page)

    db.session.expire_all()
    assert db.session.get(Engagement, moving.id).stage == "registrar_selection"
    certified = db.session.get(Engagement, certifying.id)
    assert (certified.stage, certified.decision_date) == ("certified", date(2026, 1, 31))
