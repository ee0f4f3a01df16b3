"""The operator's commands: `flask seed ...` and `flask users ...`, run through Flask's CLI runner."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from portal.auth.services import check_password, validate_password
from portal.extensions import db
from portal.models import Role, Standard, User
from tests.fixtures.auth import csrf_token_from, enrol

GOOD_PASSWORD = "a long enough secret"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def user_emails() -> list[str]:
    return list(db.session.scalars(select(User.email).order_by(User.email)))


def create_user_cli(runner, *args: str, password: str = GOOD_PASSWORD):
    base = ["users", "create", "--email", "Noor@Example.om", "--name", "Noor Al-Test", "--password-stdin"]
    return runner.invoke(args=[*base, *args], input=password + "\n")


def test_seed_reference_twice_loads_once_and_reports_counts(runner):
    first = runner.invoke(args=["seed", "reference"])
    second = runner.invoke(args=["seed", "reference"])

    assert first.exit_code == 0, first.output
    assert "standards: 14 (14 new)" in first.output
    assert second.exit_code == 0, second.output
    assert "standards: 14 (0 new)" in second.output
    assert "sectors: 39 (0 new)" in second.output
    assert count(Standard) == 14


def test_seed_demo_twice_creates_fictional_staff_once(runner):
    first = runner.invoke(args=["seed", "demo"])
    emails_after_first = user_emails()
    second = runner.invoke(args=["seed", "demo"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert len(emails_after_first) == 2
    assert user_emails() == emails_after_first
    assert all(email.endswith("@demo.example.om") for email in emails_after_first)
    assert count(Standard) == 14


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner):
    runner.invoke(args=["seed", "reference"])

    result = runner.invoke(args=["seed", "demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert user_emails() == []


def test_seed_demo_if_empty_loads_an_empty_database(runner):
    result = runner.invoke(args=["seed", "demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert count(Standard) == 14
    assert len(user_emails()) == 2


def test_users_create_with_password_from_stdin(runner):
    result = create_user_cli(runner, "--role", "admin")

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "noor@example.om"))
    assert user is not None
    assert user.role == Role.ADMIN.value
    assert user.name == "Noor Al-Test"
    assert check_password(user, GOOD_PASSWORD)


def test_users_create_asks_the_password_twice_at_a_prompt(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "sami@example.om", "--name", "Sami"],
        input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output
    user = db.session.scalar(select(User).where(User.email == "sami@example.om"))
    assert user.role == Role.CONSULTANT.value
    assert check_password(user, GOOD_PASSWORD)


def test_users_create_short_password_is_refused_with_a_message(runner):
    result = create_user_cli(runner, password="short")

    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert "Traceback" not in result.output
    assert user_emails() == []


def test_users_create_refuses_a_guessable_password_with_the_reason(runner):
    common = create_user_cli(runner, password="password12345")
    personal = create_user_cli(runner, password="NoorAlTest2026")

    assert (common.exit_code, personal.exit_code) == (1, 1)
    assert "one of the most common passwords" in common.output
    assert "built on your name or e-mail address" in personal.output
    assert user_emails() == []


def test_users_create_malformed_email_is_refused_with_a_message(runner):
    result = runner.invoke(
        args=["users", "create", "--email", "noor.example.om", "--name", "Noor", "--password-stdin"],
        input=GOOD_PASSWORD + "\n",
    )

    assert result.exit_code == 1
    assert "not a valid e-mail address" in result.output
    assert "@-sign" in result.output
    assert "Traceback" not in result.output
    assert user_emails() == []


def test_users_create_existing_email_is_refused_with_a_message(runner):
    create_user_cli(runner)

    result = create_user_cli(runner)

    assert result.exit_code == 1
    assert "already exists" in result.output
    assert user_emails() == ["noor@example.om"]


def test_users_create_unknown_role_is_refused(runner):
    result = create_user_cli(runner, "--role", "superuser")

    assert result.exit_code == 2
    assert "superuser" in result.output
    assert user_emails() == []


def test_users_list_shows_every_account(runner, make_user):
    make_user(role=Role.ADMIN, email="boss@example.om")
    make_user(email="helper@example.om")
    make_user(email="newcomer@example.om", invited_at=datetime(2026, 12, 1, tzinfo=UTC))

    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0, result.output
    assert re.search(r"boss@example\.om\s+admin\s+active", result.output)
    assert re.search(r"helper@example\.om\s+consultant\s+active", result.output)
    assert re.search(r"newcomer@example\.om\s+consultant\s+invited", result.output)


def test_ensure_demo_admin_prints_working_credentials_on_an_empty_portal(runner, client):
    result = runner.invoke(args=["users", "ensure-demo-admin"])

    assert result.exit_code == 0, result.output
    password = re.search(r"password: (\S+)", result.output).group(1)
    assert "admin@demo.example.om" in result.output
    validate_password(password, ("admin@demo.example.om", "Demo Admin (fictional)"))  # passes the rule
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    login = client.post(
        "/auth/login", data={"email": "admin@demo.example.om", "password": password, "csrf_token": token}
    )
    assert login.status_code == 302
    assert login.headers["Location"].endswith("/auth/two-factor")  # an admin enrols at the first login
    assert enrol(client).status_code == 302
    assert client.get("/app/admin/users").status_code == 200


def test_ensure_demo_admin_does_nothing_when_an_admin_exists(runner, make_user):
    make_user(role=Role.ADMIN, email="someone@example.om")

    result = runner.invoke(args=["users", "ensure-demo-admin"])

    assert result.exit_code == 0, result.output
    assert "password" not in result.output
    assert user_emails() == ["someone@example.om"]


def test_ensure_demo_admin_creates_one_next_to_the_demo_consultants(runner, make_user):
    """`make run` seeds the demo consultants first, so only an admin's absence counts."""
    make_user(role=Role.CONSULTANT, email="consultant@example.om")

    result = runner.invoke(args=["users", "ensure-demo-admin"])

    assert result.exit_code == 0, result.output
    assert "password: " in result.output
    assert user_emails() == ["admin@demo.example.om", "consultant@example.om"]
