"""Login, lockout, rate limit, remember-me, safe redirects, logout and CSRF, through the real forms."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, User
from portal.models.types import utcnow
from tests.fixtures.auth import TEST_PASSWORD, csrf_token_from, log_in

GENERIC = "E-mail or password is incorrect."


def post_login(client, email: str, password: str, next_url: str | None = None, **extra):
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return log_in(client, email, password, url=url, **extra)


def is_logged_in(client) -> bool:
    return client.get("/app/").status_code == 200


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_login_page_has_labelled_fields(client):
    html = client.get("/auth/login").get_data(as_text=True)
    for label in ("E-mail", "Password", "Remember me", "Log in"):
        assert label in html


def test_login_success_redirects_to_workspace_and_records_it(client, make_user):
    user = make_user(email="amal@example.om")
    response = post_login(client, "Amal@Example.om", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/")
    assert is_logged_in(client)
    db.session.refresh(user)
    assert user.last_login_at is not None
    assert "login.success" in audit_actions()


def test_unknown_email_and_wrong_password_give_the_same_message(client, make_user):
    make_user(email="amal@example.om")
    unknown = post_login(client, "nobody@example.om", TEST_PASSWORD).get_data(as_text=True)
    wrong = post_login(client, "amal@example.om", "wrong password!").get_data(as_text=True)
    assert GENERIC in unknown
    assert GENERIC in wrong
    assert not is_logged_in(client)
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "login.failure")).first()
    assert row.actor_email == "nobody@example.om"


def test_email_typed_is_kept_after_a_failure(client, make_user):
    html = post_login(client, "kept@example.om", "wrong password!").get_data(as_text=True)
    assert 'value="kept@example.om"' in html


def test_account_locks_after_five_failures_even_for_the_right_password(client, make_user):
    user = make_user(email="amal@example.om")
    for _ in range(5):
        post_login(client, "amal@example.om", "wrong password!")
    html = post_login(client, "amal@example.om", TEST_PASSWORD).get_data(as_text=True)
    assert "temporarily locked" in html
    assert "15 minutes" in html
    assert not is_logged_in(client)
    db.session.refresh(user)
    assert user.locked_until is not None
    assert "login.locked" in audit_actions()


def test_lock_ends_after_the_lock_period(client, make_user):
    user = make_user(email="amal@example.om")
    for _ in range(5):
        post_login(client, "amal@example.om", "wrong password!")
    user = db.session.get(User, user.id)
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert post_login(client, "amal@example.om", TEST_PASSWORD).status_code == 302
    db.session.refresh(user)
    assert user.locked_until is None
    assert user.failed_logins == 0


def test_success_clears_the_failure_count(client, make_user):
    user = make_user(email="amal@example.om")
    for _ in range(4):
        post_login(client, "amal@example.om", "wrong password!")
    assert post_login(client, "amal@example.om", TEST_PASSWORD).status_code == 302
    db.session.refresh(user)
    assert user.failed_logins == 0


def test_eleventh_login_post_in_a_minute_gets_the_branded_429(client):
    for _ in range(10):
        assert post_login(client, "nobody@example.om", "wrong password!").status_code == 200
    response = post_login(client, "nobody@example.om", "wrong password!")
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)


def test_deactivated_user_is_refused_with_the_generic_message(client, make_user):
    make_user(email="gone@example.om", active=False)
    html = post_login(client, "gone@example.om", TEST_PASSWORD).get_data(as_text=True)
    assert GENERIC in html
    assert not is_logged_in(client)
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "login.failure")).one()
    assert row.details["reason"] == "inactive"


@pytest.mark.parametrize(("remember", "expected"), [("y", True), (None, False)])
def test_remember_me_sets_the_remember_cookie(client, make_user, remember, expected):
    make_user(email="amal@example.om")
    extra = {"remember": remember} if remember else {}
    response = post_login(client, "amal@example.om", TEST_PASSWORD, **extra)
    cookies = " ".join(response.headers.getlist("Set-Cookie"))
    assert (re.search(r"remember_token=[^;]+", cookies) is not None) is expected


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/app/admin/users?page=2", "/app/admin/users?page=2"),
        ("//evil.example/app/", "/app/"),
        ("http://evil.example/app/", "/app/"),
        ("https:/evil.example", "/app/"),
        ("/\\evil.example", "/app/"),
    ],
)
def test_only_local_next_urls_are_followed(client, make_user, next_url, expected):
    make_user(email="amal@example.om")
    response = post_login(client, "amal@example.om", TEST_PASSWORD, next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] in (expected, "http://localhost" + expected)


def test_logout_is_post_only_and_ends_the_session(client, login_as):
    login_as()
    assert client.get("/auth/logout").status_code == 405
    token = csrf_token_from(client.get("/app/").get_data(as_text=True))
    response = client.post("/auth/logout", data={"csrf_token": token}, follow_redirects=True)
    assert "You have been logged out." in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user(email="amal@example.om")
    response = client.post("/auth/login", data={"email": "amal@example.om", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert not is_logged_in(client)
