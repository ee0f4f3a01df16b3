"""An admin invites a consultant in Chromium; the consultant chooses a password through the
e-mailed link (a weak one is refused with the reason) and can then log in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Role
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

STRONG = "saffron camel dune at dusk"


def invitation_path(email: str) -> str:
    """The path of the link in the invitation e-mail (its host is PUBLIC_BASE_URL, not the test server)."""
    db.session.expire_all()
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "invitation", OutboxMessage.recipient == email)
    )
    assert message is not None, f"no invitation e-mailed to {email}"
    return urlsplit(re.search(r"https?://\S+/auth/invitation/\S+", message.body_text).group(0)).path


def test_admin_invites_a_consultant_who_chooses_a_password_and_logs_in(page, browser_login):
    browser_login(Role.ADMIN, name="Amal Admin")
    page.get_by_role("link", name="Users").click()
    page.wait_for_url("**/app/admin/users")
    assert_accessible(page)

    page.get_by_role("link", name="New user").click()
    assert page.locator('input[type="password"]').count() == 0  # the admin never types it
    page.get_by_label("Name", exact=True).fill("Said Consultant")
    page.get_by_label("E-mail").fill("said@example.om")
    page.get_by_label("Role").select_option(label="Consultant")
    page.get_by_role("button", name="Create user").click()
    page.wait_for_url("**/app/admin/users")
    assert page.get_by_text("Account created for said@example.om").is_visible()
    row = page.get_by_role("row", name=re.compile("Said Consultant"))
    assert row.get_by_text("Invited").is_visible()
    assert row.get_by_role("button", name="Send the invitation again").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/auth/login")

    page.goto(invitation_path("said@example.om"))
    assert page.get_by_role("heading", name="Choose your password").is_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("Said Consultant 1")
    page.get_by_label("Confirm new password").fill("Said Consultant 1")
    page.get_by_role("button", name="Set password").click()
    # The reason sits next to the field; password fields come back empty (never echoed into the page).
    reason = page.locator("#password-error")
    assert "built on your name or e-mail address" in reason.inner_text()
    assert page.get_by_label("New password", exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("New password", exact=True).input_value() == ""
    assert_accessible(page)

    page.get_by_label("New password", exact=True).fill(STRONG)
    page.get_by_label("Confirm new password").fill(STRONG)
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url("**/auth/login")
    assert page.get_by_text("Your password is set. You can now log in.").is_visible()

    page.get_by_label("E-mail").fill("said@example.om")
    page.get_by_label("Password").fill(STRONG)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/app/")
    assert page.get_by_test_id("current-user").inner_text().startswith("Said Consultant")
    assert page.get_by_role("link", name="Users").count() == 0


def test_admin_sends_a_colleague_a_password_reset_link(page, browser_login, make_user):
    make_user(name="Badr Consultant", email="badr@example.om")
    browser_login(Role.ADMIN, name="Amal Admin")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Badr Consultant").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send a password-reset link").click()
    page.wait_for_url("**/app/admin/users")
    assert page.get_by_text("A password-reset link is on its way to badr@example.om.").is_visible()
