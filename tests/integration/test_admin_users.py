"""User management by admins: list, create, edit, deactivate/reactivate, last-admin protection, audit."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, OutboxMessage, Role, User
from tests.fixtures.auth import NEW_PASSWORD, choose_password, csrf_token_from, log_in


def token(client, url: str = "/app/admin/users") -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def audit_rows(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def table_body(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<tbody>") :]


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_list_shows_users_with_role_status_and_last_login(client, login_as, make_user):
    login_as(Role.ADMIN, name="Amal Admin")
    make_user(name="Badr Consultant", email="badr@example.om", active=False)
    html = client.get("/app/admin/users").get_data(as_text=True)
    assert "Amal Admin" in html
    assert "badr@example.om" in html
    assert "Deactivated" in html
    assert "Never" in html  # Badr has never logged in


def test_list_is_paginated(client, login_as, make_user):
    login_as(Role.ADMIN, name="AAA Admin")
    for n in range(30):
        make_user(name=f"User {n:02d}")
    first = client.get("/app/admin/users").get_data(as_text=True)
    second = client.get("/app/admin/users?page=2").get_data(as_text=True)
    assert first.count('data-testid="user-row"') == 25
    assert second.count('data-testid="user-row"') == 6
    assert "Page 1 of 2" in first


def test_create_refuses_a_duplicate_email_next_to_the_field(client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user(email="taken@example.om")
    data = {"name": "Kept Name", "email": "TAKEN@example.om", "role": "consultant"}
    duplicate = client.post("/app/admin/users/new", data={**data, "csrf_token": token(client, "/app/admin/users/new")})
    html = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 200
    assert "An account with this e-mail already exists." in html
    assert 'value="Kept Name"' in html
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_new_user_form_asks_no_password(client, login_as):
    login_as(Role.ADMIN)
    html = client.get("/app/admin/users/new").get_data(as_text=True)
    assert 'type="password"' not in html
    assert "invitation link to choose their own password" in html


def test_no_reset_link_for_an_invited_account(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user(email="new@example.om", invited_at=datetime(2026, 12, 1, tzinfo=UTC))
    response = client.post(f"/app/admin/users/{user.id}/send-reset", data={"csrf_token": token(client)})
    html = client.get(response.location).get_data(as_text=True)
    assert "new@example.om has no password yet: send the invitation again instead." in html
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_edit_changes_name_and_role_and_audits_before_and_after(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    user = make_user(name="Old Name")
    url = f"/app/admin/users/{user.id}/edit"
    response = client.post(url, data={"name": "New Name", "role": "admin", "csrf_token": token(client, url)})
    assert response.status_code == 302
    user = fresh(user)
    assert (user.name, user.role) == ("New Name", "admin")
    row = audit_rows("user.update")[-1]
    assert row.actor_id == admin.id
    assert row.details == {
        "before": {"name": "Old Name", "role": "consultant"},
        "after": {"name": "New Name", "role": "admin"},
    }


def test_edit_of_a_missing_user_is_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/app/admin/users/9999/edit").status_code == 404


def test_deactivate_and_reactivate_are_audited_and_end_sessions(client, app, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user(email="badr@example.om")
    other = app.test_client()
    assert log_in(other, user.email).status_code == 302
    assert other.get("/app/").status_code == 200

    response = client.post(f"/app/admin/users/{user.id}/deactivate", data={"csrf_token": token(client)})
    assert response.status_code == 302
    assert fresh(user).active is False
    assert other.get("/app/").status_code == 302  # the open session no longer works
    assert audit_rows("user.deactivate")[-1].details == {"before": {"active": True}, "after": {"active": False}}

    client.post(f"/app/admin/users/{user.id}/reactivate", data={"csrf_token": token(client)})
    assert fresh(user).active is True
    assert audit_rows("user.reactivate")[-1].details["after"] == {"active": True}


def test_deactivate_is_post_only(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user()
    assert client.get(f"/app/admin/users/{user.id}/deactivate").status_code == 405
    assert fresh(user).active is True


def test_last_active_admin_cannot_deactivate_themself(client, login_as):
    admin = login_as(Role.ADMIN)
    response = client.post(
        f"/app/admin/users/{admin.id}/deactivate", data={"csrf_token": token(client)}, follow_redirects=True
    )
    assert "last active admin" in response.get_data(as_text=True)
    assert fresh(admin).active is True
    assert audit_rows("user.deactivate") == []


def test_last_active_admin_cannot_demote_themself(client, login_as, make_user):
    admin = login_as(Role.ADMIN, name="Only Admin")
    make_user(role=Role.ADMIN, active=False)  # a deactivated admin does not count
    url = f"/app/admin/users/{admin.id}/edit"
    response = client.post(url, data={"name": "Only Admin", "role": "consultant", "csrf_token": token(client, url)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "last active admin" in html
    assert 'aria-invalid="true"' in html
    assert fresh(admin).role == "admin"


def test_an_invited_admin_does_not_count_as_another_admin(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    make_user(role=Role.ADMIN, invited_at=datetime(2026, 12, 1, tzinfo=UTC))  # has not chosen a password yet
    response = client.post(
        f"/app/admin/users/{admin.id}/deactivate", data={"csrf_token": token(client)}, follow_redirects=True
    )
    assert "last active admin" in response.get_data(as_text=True)
    assert fresh(admin).active is True


def test_an_admin_may_step_down_when_another_admin_remains(client, login_as, make_user):
    admin = login_as(Role.ADMIN, name="Stepping Down")
    make_user(role=Role.ADMIN)
    url = f"/app/admin/users/{admin.id}/edit"
    response = client.post(url, data={"name": "Stepping Down", "role": "consultant", "csrf_token": token(client, url)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/")
    assert fresh(admin).role == "consultant"
    assert client.get("/app/admin/users").status_code == 403


def test_list_sorts_by_an_allowed_key_only(client, login_as, make_user):
    login_as(Role.ADMIN, name="Zainab Admin")
    make_user(name="Early Bird", last_login_at=datetime(2026, 1, 1, tzinfo=UTC))
    make_user(name="Never Seen")
    by_login = table_body(client.get("/app/admin/users?sort=last_login"))
    # Zainab just logged in, Early Bird in January, Never Seen never.
    assert by_login.index("Zainab Admin") < by_login.index("Early Bird") < by_login.index("Never Seen")
    by_unknown = table_body(client.get("/app/admin/users?sort=password_hash"))
    assert by_unknown.index("Early Bird") < by_unknown.index("Never Seen") < by_unknown.index("Zainab Admin")


def test_admin_sends_a_reset_link_and_the_user_chooses_a_new_password(client, app, login_as, make_user):
    admin = login_as(Role.ADMIN, name="Aisha Admin")
    user = make_user(email="badr@example.om")
    page = client.get(f"/app/admin/users/{user.id}/edit")
    response = client.post(
        f"/app/admin/users/{user.id}/send-reset", data={"csrf_token": token(client, page.request.path)}
    )
    assert response.status_code == 302
    assert "A password-reset link is on its way to badr@example.om." in client.get(response.location).get_data(
        as_text=True
    )

    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)).one()
    assert "Aisha Admin, an administrator of the Qurum Assurance Partners portal" in message.body_text
    row = audit_rows("password.reset_sent")[-1]
    assert (row.actor_id, row.subject_id) == (admin.id, user.id)

    path = re.search(r"https?://[^/\s]+(/auth/reset/\S+)", message.body_text).group(1)
    badr = app.test_client()
    assert choose_password(badr, path, NEW_PASSWORD).status_code == 302
    assert log_in(badr, user.email, NEW_PASSWORD).status_code == 302


def test_no_reset_link_for_a_deactivated_account(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user(email="gone@example.om", active=False)
    response = client.post(f"/app/admin/users/{user.id}/send-reset", data={"csrf_token": token(client)})
    html = client.get(response.location).get_data(as_text=True)
    assert "Reactivate gone@example.om before sending a password-reset link." in html
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert audit_rows("password.reset_sent") == []


def test_only_admins_send_reset_links_and_only_by_post(client, login_as, make_user):
    user = make_user(email="badr@example.om")
    login_as(Role.CONSULTANT)
    assert (
        client.post(f"/app/admin/users/{user.id}/send-reset", data={"csrf_token": token(client, "/app/")}).status_code
        == 403
    )
    assert client.get(f"/app/admin/users/{user.id}/send-reset").status_code == 405
    assert db.session.scalars(select(OutboxMessage)).all() == []
