"""Invitations: an admin adds a colleague, who chooses their own password through a signed,
single-use, expiring link; until then the account cannot log in."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.auth import throttle
from portal.auth.tokens import make_invitation_token, make_reset_token
from portal.extensions import db
from portal.models import AuditLog, OutboxMessage, Role, User
from portal.models.types import utcnow
from tests.fixtures.auth import NEW_PASSWORD, TEST_PASSWORD, choose_password, csrf_token_from, log_in, press

PUBLIC = "https://portal.example.om"
INVALID = "This invitation link is invalid, has expired or has already been used."


def invite(client, email: str = "salim@example.om", name: str = "Salim Consultant", role: str = "consultant"):
    token = csrf_token_from(client.get("/app/admin/users/new").get_data(as_text=True))
    return client.post("/app/admin/users/new", data={"name": name, "email": email, "role": role, "csrf_token": token})


def invitations(email: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.recipient == email, OutboxMessage.kind == "invitation")
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def link_path(message: OutboxMessage) -> str:
    match = re.search(re.escape(PUBLIC) + r"(/auth/invitation/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def user_by_email(email: str) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.email == email)).one()


def actions(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_admin_invites_a_colleague_who_chooses_a_password_and_then_logs_in(client, app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)
    admin = login_as(Role.ADMIN, name="Aisha Admin")
    response = invite(client, email="Salim@Example.om")
    assert response.status_code == 302
    assert "an invitation to choose a password is on its way" in client.get(response.location).get_data(as_text=True)
    salim = user_by_email("salim@example.om")
    assert salim.is_invited and salim.role == "consultant"
    assert actions("user.create")[-1].actor_id == admin.id

    [message] = invitations("salim@example.om")
    assert "Aisha Admin, an administrator of the Qurum Assurance Partners portal" in message.body_text
    path = link_path(message)  # from PUBLIC_BASE_URL, never from the request's Host

    invitee = app.test_client()
    page = invitee.get(path)
    assert page.status_code == 200
    assert "Choose your password" in page.get_data(as_text=True)
    assert choose_password(invitee, path, NEW_PASSWORD).status_code == 302
    assert not user_by_email("salim@example.om").is_invited
    assert log_in(invitee, "salim@example.om", NEW_PASSWORD).status_code == 302
    assert [row.subject_id for row in actions("user.invitation_accepted")] == [salim.id]


def test_the_link_works_once(client, app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)
    login_as(Role.ADMIN)
    invite(client)
    path = link_path(invitations("salim@example.om")[0])
    assert choose_password(app.test_client(), path, NEW_PASSWORD).status_code == 302
    again = app.test_client().get(path)
    assert again.status_code == 400
    assert INVALID in again.get_data(as_text=True)


def test_an_expired_link_is_refused_and_one_just_inside_its_seven_days_works(client, make_user, monkeypatch):
    week = 7 * 24 * 3600  # INVITATION_MAX_AGE
    tokens = {}
    for email, age in [("late@example.om", week + 1), ("early@example.om", week - 600)]:
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self, age=age: int(time.time()) - age)
        tokens[email] = make_invitation_token(make_user(email=email, invited_at=utcnow()))
    monkeypatch.undo()
    expired = client.get(f"/auth/invitation/{tokens['late@example.om']}")
    assert expired.status_code == 400
    assert INVALID in expired.get_data(as_text=True)
    assert client.get(f"/auth/invitation/{tokens['early@example.om']}").status_code == 200


def test_forged_links_and_reset_tokens_do_not_open_the_invitation_page(client, make_user):
    user = make_user(invited_at=None)
    for token in ("not-a-real-token", make_reset_token(user)):
        response = client.get(f"/auth/invitation/{token}")
        assert response.status_code == 400
        assert INVALID in response.get_data(as_text=True)


def test_an_invited_account_cannot_log_in_and_is_not_paused_by_trying(client, login_as, app):
    login_as(Role.ADMIN)
    invite(client)
    other = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        answer = log_in(other, "salim@example.om", TEST_PASSWORD)
        assert answer.status_code == 200
        assert "E-mail or password is incorrect." in answer.get_data(as_text=True)
    salim = user_by_email("salim@example.om")
    assert (
        throttle.pause_end(salim, "127.0.0.1", utcnow()) is None
    )  # once they choose a password, they can log in at once
    assert {row.details["reason"] for row in actions("login.failure")} == {"invited"}


def test_asking_for_a_password_reset_sends_the_invitation_again(client, app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)
    login_as(Role.ADMIN)
    invite(client)
    stranger = app.test_client()
    token = csrf_token_from(stranger.get("/auth/reset").get_data(as_text=True))
    answer = stranger.post("/auth/reset", data={"email": "salim@example.om", "csrf_token": token})
    assert answer.status_code == 302
    sent = invitations("salim@example.om")
    assert len(sent) == 2
    assert "you have not chosen your password yet" in sent[1].body_text
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "password_reset")).all() == []
    assert choose_password(stranger, link_path(sent[1]), NEW_PASSWORD).status_code == 302


def test_a_weak_password_is_refused_with_the_reason_next_to_the_field(client, app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)
    login_as(Role.ADMIN)
    invite(client, email="salim@example.om", name="Salim Consultant")
    path = link_path(invitations("salim@example.om")[0])
    invitee = app.test_client()
    for password, reason in [
        ("password12345", "This is one of the most common passwords"),
        ("SalimConsultant1", "This password is built on your name or e-mail address"),
        ("short", "at least 12 characters"),
    ]:
        html = choose_password(invitee, path, password).get_data(as_text=True)
        error = re.search(r'id="password-error"[^>]*>(.*?)</', html, re.S)
        assert error and reason in error.group(1), html
    assert user_by_email("salim@example.om").is_invited


def test_users_list_shows_invited_accounts_and_the_admin_can_send_the_invitation_again(client, login_as):
    admin = login_as(Role.ADMIN)
    invite(client)
    salim = user_by_email("salim@example.om")
    listing = client.get("/app/admin/users").get_data(as_text=True)
    row = next(r for r in listing.split('data-testid="user-row"')[1:] if "salim@example.om" in r)
    assert "Invited" in row and "Send the invitation again" in row
    edit_page = client.get(f"/app/admin/users/{salim.id}/edit").get_data(as_text=True)
    assert "has not chosen a password yet, so cannot log in" in edit_page
    assert "Send a password-reset link" not in edit_page

    answer = press(client, f"/app/admin/users/{salim.id}/send-invitation", "/app/admin/users")
    assert "The invitation is on its way to salim@example.om again." in client.get(answer.location).get_data(
        as_text=True
    )
    assert len(invitations("salim@example.om")) == 2
    [row] = actions("user.invitation_sent")
    assert (row.actor_id, row.subject_id) == (admin.id, salim.id)


def test_only_invited_active_accounts_get_the_invitation_again(client, login_as, make_user):
    login_as(Role.ADMIN)
    settled = make_user(email="settled@example.om")
    answer = press(client, f"/app/admin/users/{settled.id}/send-invitation", "/app/admin/users")
    assert "settled@example.om has already chosen a password." in client.get(answer.location).get_data(as_text=True)
    assert invitations("settled@example.om") == []
    assert actions("user.invitation_sent") == []


def test_only_admins_send_invitations_and_only_by_post(client, login_as):
    login_as(Role.ADMIN)
    invite(client)
    salim = user_by_email("salim@example.om")
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/app/").get_data(as_text=True))})
    login_as(Role.CONSULTANT)
    assert press(client, f"/app/admin/users/{salim.id}/send-invitation", "/app/").status_code == 403
    assert client.get(f"/app/admin/users/{salim.id}/send-invitation").status_code == 405
    assert len(invitations("salim@example.om")) == 1
