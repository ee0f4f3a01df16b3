"""A consultant moves engagements on the board in Chromium (plain form posts, no JavaScript
needed), then certifies one on its page and sees the schedule; records a transfer and a
suspension."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from portal.core.clock import today_in_oman
from portal.domain.schedule import add_months
from portal.extensions import db
from portal.models import Engagement, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.engagements import add_client, add_engagement

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


def test_record_a_transfer_then_a_suspension(page, browser_login, reference):
    """From the client page: start a transfer (IAF MD 2), see the kept cycle, then record a suspension."""
    browser_login(Role.CONSULTANT, name="Maryam Consultant")
    owner = add_client(name="Rusayl Demo Tiles")
    today = today_in_oman()
    expiry = add_months(today, 14)

    page.goto(f"/app/clients/{owner.id}")
    page.get_by_test_id("start-transfer").click()
    page.get_by_label("Standard", exact=True).select_option(label="ISO 9001")
    page.get_by_label("Certificate number").fill("OLD-RDT-9001")
    page.get_by_label("Certification body that issued the certificate").fill("Earlier Body Ltd")
    page.get_by_label("Certificate expiry").fill(expiry.isoformat())
    page.get_by_label("Next audit, by the accepting body").select_option("surveillance_2")
    page.get_by_label("Pre-transfer review date").fill(today.isoformat())
    page.get_by_label("Reviewed by (the accepting body's reviewer)").fill("R. Reviewer")
    # Not confirmed as accredited and unsuspended: refused, next to the box, input kept.
    page.get_by_role("button", name="Record the transfer").click()
    expect(page.locator("#eligible-error")).to_contain_text("IAF MD 2")
    expect(page.get_by_label("Certificate number")).to_have_value("OLD-RDT-9001")
    assert_accessible(page)
    page.get_by_label("The certificate is issued under accreditation").check()
    page.get_by_role("button", name="Record the transfer").click()

    expect(page.get_by_test_id("transfer")).to_contain_text("Transferred from Earlier Body Ltd")
    expect(page.get_by_test_id("engagement-stage")).to_have_text("Surveillance 2")
    expect(page.get_by_test_id("expiry-date")).to_have_text(expiry.isoformat())
    expect(page.get_by_test_id("certificate-state")).to_contain_text("Valid")
    assert_accessible(page)

    page.get_by_text("Record a suspension, withdrawal or restoration").click()
    page.get_by_label("What happened").select_option("suspended")
    page.get_by_label("From (date)").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("The certification body's reason").fill("Surveillance audit not allowed in time")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_test_id("certificate-state")).to_contain_text("Suspended")
    expect(page.get_by_test_id("certificate-state")).to_contain_text("Surveillance audit not allowed in time")

    db.session.expire_all()
    engagement = db.session.query(Engagement).filter_by(client_id=owner.id).one()
    assert (engagement.certificate_state, engagement.transfer.issuing_body) == ("suspended", "Earlier Body Ltd")
