"""Shared fixtures: the app from the factory, a clean database per test, login helpers.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
Tables are created once per session; each test starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from portal.models import Role, User

TEST_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def _fresh_request_globals(sender: Flask, **extra) -> None:
    """Start each request with an empty `g`, as in production.

    The session-wide app context below is reused by every test request, so without
    this the CSRF token and Flask-Login's current user would leak between requests
    and between tests.
    """
    g.__dict__.clear()


@pytest.fixture(scope="session")
def _app(database_url: str) -> Iterator[Flask]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SERVER_NAME": "localhost"})
    request_started.connect(_fresh_request_globals, app)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def clear_tables() -> None:
    """Empty every table (fast on both databases) so each test starts clean."""
    db.session.rollback()
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture()
def app(_app: Flask) -> Iterator[Flask]:
    """The app with empty tables, fresh rate limits and CSRF on (as in production)."""
    from portal.extensions import limiter

    clear_tables()
    limiter.reset()
    _app.config.update(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True)
    with _app.test_request_context():
        pass
    yield _app
    db.session.remove()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture()
def make_user(app: Flask) -> Callable[..., User]:
    """Factory: make_user(role=Role.ADMIN, email=..., name=..., active=..., password=...)."""
    from werkzeug.security import generate_password_hash

    counter = iter(range(1, 10_000))

    def _make(role: Role = Role.CONSULTANT, password: str = TEST_PASSWORD, **overrides) -> User:
        n = next(counter)
        user = User(
            email=overrides.pop("email", f"user{n}@example.om"),
            name=overrides.pop("name", f"Test User {n}"),
            role=role.value,
            password_hash=generate_password_hash(password, method=app.config["PASSWORD_HASH_METHOD"]),
            **overrides,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return _make


@pytest.fixture()
def reference(app: Flask) -> None:
    """Load the real reference data (standards, sectors, regions, accreditation bodies)."""
    from portal.core.reference_data import load_reference_data

    load_reference_data()
    db.session.commit()


def csrf_token_from(html: str) -> str:
    """Read the CSRF token out of a rendered form, as a browser would send it."""
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in the page"
    return match.group(1)


@pytest.fixture()
def login_as(client: FlaskClient, make_user) -> Callable[..., User]:
    """Log the test client in through the real login form; returns the user."""

    def _login(role: Role = Role.CONSULTANT, **overrides) -> User:
        user = make_user(role=role, **overrides)
        response = log_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


def log_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD, url: str = "/auth/login", **extra: str):
    """Post the real login form (CSRF token read from the page) and return the response."""
    page = client.get("/auth/login")
    return client.post(
        url,
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            **extra,
        },
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) `@pytest.mark.postgres` tests unless TEST_DATABASE_URL points at PostgreSQL.

    CI runs the suite once per database, so these tests run in the PostgreSQL pass.
    """
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
