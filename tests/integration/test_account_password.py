"""Changing one's password on the account page: proven by the current one, held to the password
rule, every other browser signed out, this one kept signed in, the person told by e-mail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, LoginSession, OutboxMessage, Role
from tests.fixtures.auth import NEW_PASSWORD, TEST_PASSWORD, csrf_token_from, log_in

ACCOUNT = "/auth/account"


def change_password(client, current: str, new: str, confirm: str | None = None, **headers: str):
    token = csrf_token_from(client.get(ACCOUNT, headers=headers).get_data(as_text=True))
    return client.post(
        "/auth/account/password",
        data={"csrf_token": token, "current_password": current, "password": new, "confirm": confirm or new},
        headers=headers,
    )


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error" class="invalid-feedback">([^<]+)<', html)
    assert match, f"no message next to {field}"
    return match.group(1)


def test_the_new_password_replaces_the_old_and_this_browser_stays_signed_in(client, login_as):
    user = login_as(email="amal@example.om")
    response = change_password(client, TEST_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(ACCOUNT)
    page = client.get(ACCOUNT)
    assert page.status_code == 200  # signed in again at once, with a new session
    assert "Your password is changed." in page.get_data(as_text=True)
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.actor_id == user.id).order_by(AuditLog.id))
    assert list(actions)[-2:] == ["password.changed", "login.success"]

    fresh = client.application.test_client()
    assert log_in(fresh, "amal@example.om", TEST_PASSWORD).status_code == 200  # the old one is refused
    assert log_in(fresh, "amal@example.om", NEW_PASSWORD).status_code == 302


def test_every_other_browser_is_signed_out(app, client, login_as):
    login_as(email="amal@example.om")
    other = app.test_client()
    assert log_in(other, "amal@example.om").status_code == 302
    assert other.get(ACCOUNT).status_code == 200

    assert change_password(client, TEST_PASSWORD, NEW_PASSWORD).status_code == 302
    assert other.get(ACCOUNT).headers["Location"].startswith("/auth/login")
    assert client.get(ACCOUNT).status_code == 200
    live = db.session.scalars(select(LoginSession).where(LoginSession.ended_at.is_(None))).all()
    assert len(live) == 1


def test_a_remembered_browser_stays_remembered(client, make_user):
    make_user(email="amal@example.om")
    assert log_in(client, "amal@example.om", remember="y").status_code == 302
    response = change_password(client, TEST_PASSWORD, NEW_PASSWORD)
    cookies = " ".join(response.headers.getlist("Set-Cookie"))
    assert re.search(r"remember_token=[^;]+", cookies), cookies


def test_the_person_is_told_by_email_in_their_language(app, client, login_as):
    login_as(email="amal@example.om", locale="ar")
    assert change_password(client, TEST_PASSWORD, NEW_PASSWORD).status_code == 302
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "password_changed")).one()
    assert message.recipient == "amal@example.om"
    assert message.language == "ar"
    assert app.config["PUBLIC_BASE_URL"] + "/auth/reset" in message.body_text  # the way back if it was not them
    assert "has just been changed" not in message.body_text  # written in Arabic
    assert NEW_PASSWORD not in message.body_text


def test_a_wrong_current_password_is_refused_next_to_its_field_and_nothing_changes(client, login_as):
    login_as(email="amal@example.om")
    response = change_password(client, "not my password", NEW_PASSWORD)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "current_password") == "This is not your current password."
    assert NEW_PASSWORD not in html  # passwords are never written back into the page
    assert client.get(ACCOUNT).status_code == 200  # still signed in
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert log_in(client.application.test_client(), "amal@example.om", TEST_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("new", "confirm", "field", "message"),
    [
        ("short", "short", "password", "at least"),
        ("amal example", "amal example", "password", "your name or e-mail address"),
        (NEW_PASSWORD, "something else entirely", "confirm", "The two passwords do not match."),
        (TEST_PASSWORD, TEST_PASSWORD, "password", "the same as the current one"),
    ],
)
def test_a_new_password_is_held_to_the_rule(client, login_as, new, confirm, field, message):
    login_as(email="amal@example.om", name="Amal Example")
    response = change_password(client, TEST_PASSWORD, new, confirm)
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), field)
    assert log_in(client.application.test_client(), "amal@example.om", TEST_PASSWORD).status_code == 302


def test_messages_are_in_arabic_for_an_arabic_reader(client, login_as):
    login_as(email="amal@example.om", locale="ar")
    response = change_password(client, "not my password", NEW_PASSWORD)
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "current_password") != "This is not your current password."


def test_without_a_csrf_token_nothing_changes(client, login_as):
    login_as(email="amal@example.om")
    response = client.post(
        "/auth/account/password",
        data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert log_in(client.application.test_client(), "amal@example.om", TEST_PASSWORD).status_code == 302


def test_an_admin_changes_their_own_password_too(client, login_as):
    login_as(role=Role.ADMIN, email="admin@example.om")
    assert change_password(client, TEST_PASSWORD, NEW_PASSWORD).status_code == 302
    assert client.get(ACCOUNT).status_code == 200
