"""Login, the growing pause after wrong passwords, rate limit, remember-me, safe redirects, logout and CSRF, through the real forms."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, LoginFailure, Role
from tests.fixtures.auth import TEST_PASSWORD, csrf_token_from, log_in, press

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


def post_from(client, address: str, email: str, password: str):
    """The real login form, sent by a client at `address` (what ProxyFix resolves behind a proxy)."""
    token = csrf_token_from(client.get("/auth/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/auth/login", data=data, environ_base={"REMOTE_ADDR": address})


def login_message(response) -> str:
    match = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S)
    assert match, "no message on the login page"
    return match.group(1).strip()


def failures(user, address: str) -> int:
    row = db.session.scalars(
        select(LoginFailure).where(LoginFailure.user_id == user.id, LoginFailure.address == address)
    ).one_or_none()
    return row.failures if row else 0


def wind_back(user, seconds: int) -> None:
    """Pretend the last failures were `seconds` earlier: time passing without waiting for it."""
    for row in db.session.scalars(select(LoginFailure).where(LoginFailure.user_id == user.id)):
        row.last_failure_at -= timedelta(seconds=seconds)
    db.session.commit()


@pytest.fixture()
def many_attempts(app, monkeypatch):
    """Room for more login posts than the per-address rate limit allows in a minute."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")


def test_a_paused_account_reads_exactly_like_a_wrong_password(client, make_user, many_attempts):
    make_user(email="amal@example.om")
    wrong = [post_from(client, "192.0.2.1", "amal@example.om", "wrong password!") for _ in range(5)]
    paused = post_from(client, "192.0.2.1", "amal@example.om", TEST_PASSWORD)

    assert paused.status_code == wrong[0].status_code == 200
    assert login_message(paused) == login_message(wrong[0])
    assert GENERIC in login_message(paused)
    assert not is_logged_in(client)
    assert audit_actions().count("login.locked") == 2  # when the pause began, and the refused attempt


def test_the_pause_lasts_a_minute_then_doubles(client, make_user, many_attempts):
    user = make_user(email="amal@example.om")
    for _ in range(5):
        post_from(client, "192.0.2.1", "amal@example.om", "wrong password!")
    wind_back(user, 61)
    post_from(client, "192.0.2.1", "amal@example.om", "wrong password!")  # the sixth: two minutes now
    wind_back(user, 61)
    assert post_from(client, "192.0.2.1", "amal@example.om", TEST_PASSWORD).status_code == 200
    wind_back(user, 60)
    assert post_from(client, "192.0.2.1", "amal@example.om", TEST_PASSWORD).status_code == 302


def test_the_pause_never_exceeds_the_longest(client, make_user, many_attempts):
    user = make_user(email="amal@example.om")
    for _ in range(12):  # 2**7 minutes without the cap
        post_from(client, "192.0.2.1", "amal@example.om", "wrong password!")
        wind_back(user, 15 * 60)
    assert post_from(client, "192.0.2.1", "amal@example.om", TEST_PASSWORD).status_code == 302


def test_a_guesser_elsewhere_does_not_keep_the_owner_out(app, client, make_user, many_attempts):
    make_user(email="amal@example.om")
    attacker = app.test_client()
    for _ in range(20):
        post_from(attacker, "198.51.100.66", "amal@example.om", "wrong password!")
    assert post_from(attacker, "198.51.100.66", "amal@example.om", TEST_PASSWORD).status_code == 200
    assert post_from(client, "192.0.2.1", "amal@example.om", TEST_PASSWORD).status_code == 302


def test_many_addresses_together_do_pause_the_account(app, client, make_user, many_attempts, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_MAX_FAILURES", 8)
    make_user(email="amal@example.om")
    for n in range(8):
        post_from(app.test_client(), f"198.51.100.{n + 1}", "amal@example.om", "wrong password!")
    assert post_from(client, "192.0.2.1", "amal@example.om", TEST_PASSWORD).status_code == 200
    assert not is_logged_in(client)


def test_success_clears_the_count_of_its_address_only(app, client, make_user, many_attempts):
    user = make_user(email="amal@example.om")
    for _ in range(4):
        post_from(client, "192.0.2.1", "amal@example.om", "wrong password!")
    post_from(app.test_client(), "198.51.100.66", "amal@example.om", "wrong password!")
    assert post_from(client, "192.0.2.1", "amal@example.om", TEST_PASSWORD).status_code == 302
    assert failures(user, "192.0.2.1") == 0
    assert failures(user, "198.51.100.66") == 1
    assert failures(user, "") == 5


def test_reactivating_an_account_clears_its_failures(client, login_as, make_user, many_attempts):
    user = make_user(email="amal@example.om")
    for _ in range(5):
        post_from(client, "192.0.2.1", "amal@example.om", "wrong password!")
    user.active = False
    db.session.commit()
    login_as(Role.ADMIN)
    assert press(client, f"/app/admin/users/{user.id}/reactivate", page="/app/admin/users").status_code == 302
    assert failures(user, "192.0.2.1") == failures(user, "") == 0


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
