"""`flask users create | list | ensure-demo-admin`: staff accounts from the command line."""

from __future__ import annotations

import secrets
import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.auth.services import create_user
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import Role, User

users = AppGroup("users", help="Create and list staff accounts.")

DEMO_ADMIN_EMAIL = "admin@demo.example.om"
DEMO_ADMIN_NAME = "Demo Admin (fictional)"


def read_password(from_stdin: bool) -> str:
    """One line from standard input, or a hidden prompt asked twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def check_email(email: str) -> None:
    """Refuse a malformed address before asking for a password, as the admin form does."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not a valid e-mail address: {error}") from None


def add_user(email: str, name: str, role: Role, password: str) -> User:
    """Create and commit the account; a broken rule ends the command with its message and exit code 1."""
    try:
        user = create_user(email=email, name=name, role=role, password=password, actor=None)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    return user


@users.command("create")
@click.option("--email", required=True, help="Login e-mail address (stored lower-case).")
@click.option("--name", required=True, help="Full name shown in the portal.")
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), default=Role.CONSULTANT.value, show_default=True
)
@click.option("--password-stdin", is_flag=True, help="Read the password from one line of standard input.")
def create(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create a staff account; the password is asked at a hidden prompt."""
    check_email(email)
    user = add_user(email, name, Role(role), read_password(password_stdin))
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users.command("list")
def list_users() -> None:
    """List every account with its role and status."""
    accounts = db.session.scalars(select(User).order_by(User.email)).all()
    if not accounts:
        click.echo("No users yet. Create one with: flask users create --email ... --name ... --role admin")
        return
    for user in accounts:
        status = "inactive" if not user.active else "invited" if user.is_invited else "active"
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_login_at else "never"
        click.echo(f"{user.id:>5}  {user.email:<40} {user.role:<11} {status:<9} last login {last}  {user.name}")


@users.command("ensure-demo-admin")
def ensure_demo_admin() -> None:
    """When no admin exists (a new portal, perhaps with the demo consultants), create a demo
    admin and print its random password once; `make run` calls it last so the password is
    the last thing shown before the server starts."""
    if db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN.value)):
        click.echo("An admin already exists: no demo admin created (see `flask users list`).")
        return
    password = secrets.token_urlsafe(18)  # 24 random characters: far above the password rule
    add_user(DEMO_ADMIN_EMAIL, DEMO_ADMIN_NAME, Role.ADMIN, password)
    click.echo(
        "\n".join(
            [
                "",
                "=" * 60,
                "  Demo admin account created. Log in at /auth/login with:",
                f"    e-mail:   {DEMO_ADMIN_EMAIL}",
                f"    password: {password}",
                "  This password is shown only this once: write it down.",
                "  Admins sign in with a second factor: at the first login the portal",
                "  shows a QR code to scan with an authenticator app (setup key as text too).",
                "=" * 60,
                "",
            ]
        )
    )
