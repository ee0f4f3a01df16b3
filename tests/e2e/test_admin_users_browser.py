"""An admin creates a consultant in Chromium, and the consultant can then log in."""

from __future__ import annotations

import pytest

from portal.models import Role
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]


def test_admin_creates_a_consultant_who_can_log_in(page, browser_login):
    browser_login(Role.ADMIN, name="Amal Admin")
    page.get_by_role("link", name="Users").click()
    page.wait_for_url("**/app/admin/users")
    assert_accessible(page)

    page.get_by_role("link", name="New user").click()
    page.get_by_label("Name", exact=True).fill("Said Consultant")
    page.get_by_label("E-mail").fill("said@example.om")
    page.get_by_label("Role").select_option(label="Consultant")
    page.get_by_label("Initial password").fill("short")
    page.get_by_role("button", name="Create user").click()
    assert page.get_by_text("The password must have at least 10 characters.").is_visible()
    assert page.get_by_label("Name", exact=True).input_value() == "Said Consultant"
    assert_accessible(page)

    page.get_by_label("Initial password").fill("a long enough password")
    page.get_by_role("button", name="Create user").click()
    page.wait_for_url("**/app/admin/users")
    assert page.get_by_text("Account created for said@example.om.").is_visible()
    assert page.get_by_role("row", name="Said Consultant").is_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/auth/login")
    page.get_by_label("E-mail").fill("said@example.om")
    page.get_by_label("Password").fill("a long enough password")
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
