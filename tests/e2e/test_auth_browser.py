"""Logging in and out in Chromium, through the real pages."""

from __future__ import annotations

import pyotp
import pytest

from portal.models import Role
from tests.e2e.conftest import answer_code_step
from tests.fixtures.auth import NEW_PASSWORD, TEST_PASSWORD, code_for
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

REFUSED = (
    "E-mail or password is incorrect. After several failed attempts, signing in pauses for a few minutes: "
    "wait a little and try again."
)


def test_log_in_and_log_out(page, browser_login):
    user = browser_login(Role.CONSULTANT, name="Maryam Consultant")
    assert page.get_by_test_id("current-user").inner_text().startswith("Maryam Consultant")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/auth/login")
    assert page.get_by_text("You have been logged out.").is_visible()

    page.goto("/app/")
    page.wait_for_url("**/auth/login?next=**")
    assert page.get_by_label("E-mail").input_value() == ""
    assert user.email not in page.content()


def test_wrong_password_shows_the_error_and_keeps_the_email(page, make_user):
    user = make_user()
    page.goto("/auth/login")
    assert_accessible(page)
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    error = page.get_by_test_id("login-error")
    error.wait_for()
    assert error.inner_text() == REFUSED
    assert page.get_by_label("E-mail").input_value() == user.email
    assert page.get_by_label("Password").input_value() == ""
    assert_accessible(page)


def test_login_returns_to_the_page_that_was_asked_for(page, make_user):
    user = make_user(role=Role.ADMIN)
    page.goto("/app/admin/audit")
    page.wait_for_url("**/auth/login?next=**")
    assert page.get_by_text("Please log in to open that page.").is_visible()
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    answer_code_step(page, user.email)
    page.wait_for_url("**/app/admin/audit")
    assert page.get_by_role("heading", name="Audit log").is_visible()
    assert_accessible(page)


def test_enrol_in_two_factor_sign_in_then_log_in_with_a_code(page, browser_login):
    """Scan-free enrolment as someone typing the setup key into their app, then a login with its code."""
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    user = browser_login(Role.CONSULTANT)
    page.get_by_test_id("current-user").click()  # the user's name in the menu opens their account
    page.wait_for_url("**/auth/account")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    page.wait_for_url("**/auth/two-factor")
    assert page.get_by_test_id("two-factor-qr").locator("svg").is_visible()
    assert_accessible(page)
    setup_key = page.get_by_test_id("setup-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(pyotp.TOTP(setup_key).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url("**/auth/two-factor/recovery-codes")
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/auth/login")

    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/auth/login/code")
    assert_accessible(page)
    page.get_by_label("Code").fill(code_for(user.email))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/app/")
    assert page.get_by_test_id("current-user").is_visible()
    assert refused == []


def signed_in_elsewhere(browser, live_server: str, email: str):
    """The same person signed in on a second browser (a laptop): its context and page."""
    laptop = browser.new_context(base_url=live_server, locale="en-GB")
    other = laptop.new_page()
    other.goto("/auth/login")
    other.get_by_label("E-mail").fill(email)
    other.get_by_label("Password").fill(TEST_PASSWORD)
    other.get_by_role("button", name="Log in").click()
    other.wait_for_url("**/app/**")
    return laptop, other


def test_the_account_page_logs_out_everywhere(page, browser, live_server, browser_login):
    user = browser_login(Role.CONSULTANT)
    laptop, other = signed_in_elsewhere(browser, live_server, user.email)

    page.get_by_role("link", name="My account").click()
    page.wait_for_url("**/auth/account")
    rows = page.get_by_test_id("session-row")
    assert rows.count() == 2
    assert page.get_by_text("This browser").is_visible()
    assert rows.filter(has_text="Chrome on Linux").count() == 2
    assert_accessible(page)

    page.get_by_role("button", name="Log out everywhere").click()
    page.wait_for_url("**/auth/login")
    assert page.get_by_text("You have been logged out everywhere").is_visible()
    other.goto("/app/")
    other.wait_for_url("**/auth/login?next=**")
    laptop.close()


def test_change_the_password_on_the_account_page(page, browser, live_server, browser_login):
    user = browser_login(Role.CONSULTANT)
    laptop, other = signed_in_elsewhere(browser, live_server, user.email)

    page.get_by_role("link", name="My account").click()
    page.wait_for_url("**/auth/account")
    section = page.get_by_test_id("password")
    section.get_by_label("Current password").fill("not my password")
    section.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    section.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    section.get_by_role("button", name="Change password").click()
    error = page.locator("#current_password-error")
    error.wait_for()
    assert error.inner_text() == "This is not your current password."
    assert page.get_by_label("Current password").input_value() == ""  # never written back
    assert_accessible(page)

    section.get_by_label("Current password").fill(TEST_PASSWORD)
    section.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    section.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    section.get_by_role("button", name="Change password").click()
    page.get_by_text("Your password is changed.").wait_for()
    assert page.get_by_test_id("session-row").count() == 1  # this browser, signed in again
    other.goto("/app/")
    other.wait_for_url("**/auth/login?next=**")  # the other one is signed out
    laptop.close()
