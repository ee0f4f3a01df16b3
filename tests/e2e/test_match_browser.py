"""A consultant matches an engagement in real Chromium: eligible and excluded bodies with
reasons, a complexity change that re-runs the days, a shortlisted body; an admin removes an
MLA scope and the match page says why the body is now excluded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.matching import body_accredited_for, engagement_from_enquiry

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


def test_consultant_matches_changes_complexity_and_shortlists(page, browser_login, reference):
    body_accredited_for("Alpha Certification", day_rate="250")
    body_accredited_for("Epsilon Offices", sectors=(33,))
    body_accredited_for("Delta Look-alike", accreditation_body="UK-ABCB")
    engagement = engagement_from_enquiry()
    browser_login(Role.CONSULTANT)

    page.goto(f"/app/engagements/{engagement.id}/match")
    eligible = page.get_by_test_id("eligible-body")
    assert eligible.count() == 1
    assert "Alpha Certification" in eligible.first.inner_text()
    assert "10 days initial" in eligible.first.inner_text()

    excluded = page.get_by_test_id("excluded-bodies")
    reason = excluded.get_by_text("IAF sector 28 is not in its scope.").first
    assert not reason.is_visible()
    excluded.locator("summary").click()
    reason.wait_for(state="visible")
    assert excluded.get_by_text(
        "UK-ABCB is not an IAF MLA signatory (the recognitions Global Accreditation"
    ).first.is_visible()
    assert_accessible(page)

    page.get_by_label("OH&S complexity (ISO 45001)").select_option("low")
    page.get_by_role("button", name="Re-run the match").click()
    page.wait_for_url("**ohs=low**")
    # (4 + 4) less 10% = 7.2 days, to the nearest half day (IAF MD 5:2019 2.2.3)
    assert "Initial audit 7 days" in page.get_by_test_id("match-days").inner_text()
    assert "7 days initial" in page.get_by_test_id("eligible-body").first.inner_text()

    page.get_by_role("button", name="Shortlist Alpha Certification").click()
    page.get_by_role("button", name="Remove Alpha Certification from the shortlist").wait_for()
    assert "ohs=low" in page.url  # back on the same figures


def test_admin_removes_a_scope_and_the_match_page_says_why_the_body_is_excluded(page, browser_login, reference):
    body_accredited_for("Kappa Info Sec", standards=("iso-27001",))  # GAC, which the seed list shows signed ISMS
    engagement = engagement_from_enquiry(standards=("iso-27001",))
    browser_login(Role.ADMIN)

    page.goto(f"/app/engagements/{engagement.id}/match")
    assert "Kappa Info Sec" in page.get_by_test_id("eligible-body").first.inner_text()
    notes = page.get_by_test_id("recognition-notes").inner_text()
    assert "ISO/IEC 27001: accreditation scopes are written in the accreditation body's own words" in notes

    page.goto("/app/admin/mla-recognition")
    assert_accessible(page)
    page.get_by_role("button", name="Remove ISMS of GAC").click()
    page.get_by_text("GAC: ISMS – ISO/IEC 27001 (sub-scope) removed.").wait_for()

    page.goto(f"/app/engagements/{engagement.id}/match")
    assert page.get_by_test_id("eligible-body").count() == 0
    page.get_by_test_id("excluded-bodies").locator("summary").click()
    page.get_by_text("GAC has not signed the IAF MLA sub-scope this standard needs: ISMS").wait_for(state="visible")
    db.session.expire_all()
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "mla_signature.remove"))
