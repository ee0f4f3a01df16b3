"""Password reset: same answer for every address, a link in the outbox that works once and expires."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, LoginFailure, OutboxMessage
from tests.fixtures.auth import TEST_PASSWORD, choose_password, csrf_token_from, log_in

SAME_ANSWER = "If an account exists for that address, we have sent a link"
NEW_PASSWORD = "a brand new passphrase"


def request_reset(client, email: str):
    token = csrf_token_from(client.get("/auth/reset").get_data(as_text=True))
    return client.post("/auth/reset", data={"email": email, "csrf_token": token}, follow_redirects=True)


def reset_link_path(client, email: str) -> str:
    request_reset(client, email)
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)).one()
    match = re.search(r"https?://[^/\s]+(/auth/reset/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def can_log_in(client, email: str, password: str) -> bool:
    return log_in(client, email, password).status_code == 302


def test_known_and_unknown_addresses_get_the_same_answer_and_only_the_known_one_gets_mail(client, make_user):
    make_user(email="amal@example.om")
    known = request_reset(client, "AMAL@example.om").get_data(as_text=True)
    unknown = request_reset(client, "nobody@example.om").get_data(as_text=True)
    assert SAME_ANSWER in known
    assert SAME_ANSWER in unknown
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.kind, m.recipient) for m in messages] == [("password_reset", "amal@example.om")]


def test_deactivated_account_gets_no_mail(client, make_user):
    make_user(email="gone@example.om", active=False)
    assert SAME_ANSWER in request_reset(client, "gone@example.om").get_data(as_text=True)
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_full_reset_flow_and_the_link_works_once(client, make_user):
    make_user(email="amal@example.om")
    path = reset_link_path(client, "amal@example.om")
    response = choose_password(client, path, NEW_PASSWORD)
    assert response.status_code == 302
    assert can_log_in(client, "amal@example.om", NEW_PASSWORD)
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/app/").get_data(as_text=True))})
    assert not can_log_in(client, "amal@example.om", TEST_PASSWORD)

    again = client.get(path)
    assert again.status_code == 400
    assert "invalid, has expired or has already been used" in again.get_data(as_text=True)
    assert "password.reset" in db.session.scalars(select(AuditLog.action)).all()


def test_reset_lifts_a_pause(client, make_user):
    make_user(email="amal@example.om")
    for _ in range(5):
        log_in(client, "amal@example.om", "wrong password!")
    path = reset_link_path(client, "amal@example.om")
    assert choose_password(client, path, NEW_PASSWORD).status_code == 302
    assert db.session.scalars(select(LoginFailure)).all() == []
    assert can_log_in(client, "amal@example.om", NEW_PASSWORD)


def test_an_account_gets_at_most_three_reset_mails_an_hour_from_any_address(app, make_user):
    make_user(email="amal@example.om")
    answers = []
    for n in range(5):
        visitor = app.test_client()
        token = csrf_token_from(visitor.get("/auth/reset").get_data(as_text=True))
        response = visitor.post(
            "/auth/reset",
            data={"email": "amal@example.om", "csrf_token": token},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"},
            follow_redirects=True,
        )
        answers.append(SAME_ANSWER in response.get_data(as_text=True))
    assert answers == [True] * 5
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 3
    assert db.session.scalars(select(AuditLog.action)).all().count("password.reset_throttled") == 2


def test_expired_link_is_refused(client, make_user, monkeypatch):
    make_user(email="amal@example.om")
    issued = int(time.time()) - 3601  # PASSWORD_RESET_MAX_AGE is 3600 s
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
    path = reset_link_path(client, "amal@example.om")
    monkeypatch.undo()
    response = client.get(path)
    assert response.status_code == 400
    assert "has expired" in response.get_data(as_text=True)


def test_link_just_inside_its_lifetime_still_works(client, make_user, monkeypatch):
    make_user(email="amal@example.om")
    issued = int(time.time()) - 3500
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
    path = reset_link_path(client, "amal@example.om")
    monkeypatch.undo()
    assert client.get(path).status_code == 200


def test_forged_token_shows_a_clear_page_not_an_error(client):
    response = client.get("/auth/reset/not-a-real-token")
    assert response.status_code == 400
    assert "Ask for a new link" in response.get_data(as_text=True)


def test_short_or_mismatched_password_is_refused_next_to_the_field(client, make_user):
    make_user(email="amal@example.om")
    path = reset_link_path(client, "amal@example.om")
    short = choose_password(client, path, "short")
    assert short.status_code == 200
    assert "at least 12 characters" in short.get_data(as_text=True)
    common = choose_password(client, path, "qwertyuiop12")
    assert "Use a few uncommon words instead." in common.get_data(as_text=True)
    personal = choose_password(client, path, "amal@example.om")
    assert "built on your name or e-mail address" in personal.get_data(as_text=True)
    mismatch = choose_password(client, path, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert "The two passwords do not match." in mismatch.get_data(as_text=True)
    assert can_log_in(client, "amal@example.om", TEST_PASSWORD)


def test_reset_requests_are_rate_limited_too(client):
    for _ in range(10):
        assert request_reset(client, "someone@example.om").status_code == 200
    response = client.post(
        "/auth/reset",
        data={
            "email": "someone@example.om",
            "csrf_token": csrf_token_from(client.get("/auth/reset").get_data(as_text=True)),
        },
    )
    assert response.status_code == 429


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(client, app, make_user):
    make_user(email="amal@example.om")
    elsewhere = app.test_client()  # say, a laptop left logged in, with "remember me"
    assert log_in(elsewhere, "amal@example.om", TEST_PASSWORD, remember="y").status_code == 302
    assert elsewhere.get("/app/").status_code == 200
    assert elsewhere.get_cookie("remember_token") is not None

    assert choose_password(client, reset_link_path(client, "amal@example.om"), NEW_PASSWORD).status_code == 302
    assert elsewhere.get("/app/").status_code == 302  # neither its session nor its remember-me cookie works
    assert can_log_in(elsewhere, "amal@example.om", NEW_PASSWORD)
    assert elsewhere.get("/app/").status_code == 200
