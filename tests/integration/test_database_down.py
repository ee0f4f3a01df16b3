"""The database goes away under a running portal: every page says "temporarily unavailable"
(503, Retry-After), never a 500 or a traceback, and the portal recovers by itself when the
database is back.

On PostgreSQL the app talks to the database through a TCP proxy that the test cuts and
restores (tests/fixtures/tcp_proxy.py), as when the database server restarts or the network
drops. On SQLite, another process holds the database file's exclusive lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url

from portal import create_app
from portal.auth.services import create_user
from portal.config import CONFIGS, ProductionConfig
from portal.core.reference_data import load_reference_data
from portal.extensions import db
from portal.models import Role
from portal.models.types import utcnow
from portal.web.errors import ERROR_TEXT
from tests.fixtures.auth import TEST_PASSWORD, TEST_TOTP_SECRET, csrf_token_from, log_in
from tests.fixtures.production import PRODUCTION_ENCRYPTION_KEY
from tests.fixtures.tcp_proxy import TcpProxy

# Public pages that read the database (reference data, the enquiry form's choices) and
# workspace pages (the signed-in user is loaded from the database on every request).
DATABASE_PAGES = [
    "/standards",
    "/standards/iso-9001",
    "/locations/muscat",
    "/enquire",
    "/estimate",
    "/estimate?standard=iso-9001&employees=40&sites=1",
    "/readiness",
    "/app/",
    "/app/leads/",
    "/app/engagements/",
    "/app/clients/",
    "/app/registrars/",
    "/app/admin/users",
    "/app/admin/audit",
]

# The public pages that read the database for a visitor too (the readiness check does not:
# a visitor can use it while the database is away).
PUBLIC_DATABASE_PAGES = [url for url in DATABASE_PAGES if not url.startswith(("/app/", "/readiness"))]


def assert_unavailable(response, url: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503, f"{url}: {response.status_code}"
    assert response.headers["Retry-After"].isdigit(), url
    assert f"<h1>{ERROR_TEXT[503][0]}</h1>" in html, url
    assert "Traceback" not in html, url
    assert "Qurum Assurance Partners" in html, url
    if url.startswith("/app/"):
        assert response.headers["Cache-Control"] == "private, no-store", url


@pytest.fixture()
def signed_in(app: Flask, reference, make_user) -> str:
    """Reference data and an admin, committed (clean_tables) for the second app to read."""
    return make_user(role=Role.ADMIN).email


def served(url: str, **config) -> Iterator[Flask]:
    """The portal as production runs it (not in testing mode) on `url`."""
    portal = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, **config})
    yield portal
    with portal.app_context():
        db.engine.dispose()


@pytest.fixture()
def proxy(database_url: str) -> Iterator[TcpProxy]:
    server = make_url(database_url)
    proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432)
    yield proxy
    proxy.close()


@pytest.fixture()
def proxied_app(database_url: str, proxy: TcpProxy) -> Iterator[Flask]:
    """Every request reads the content version: production trusts the one it read for a second
    (CONTENT_VERSION_MAX_AGE), so in an outage's first second the enquiry form may still be drawn
    from the values kept for that version, and only its sending answers 503."""
    url = make_url(database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    yield from served(url, CONTENT_VERSION_MAX_AGE=0)


def logged_in_client(portal: Flask, email: str) -> FlaskClient:
    client = portal.test_client()
    assert log_in(client, email).status_code == 302
    return client


@pytest.mark.postgres
@pytest.mark.clean_tables
def test_pages_answer_503_while_postgresql_is_cut_and_recover_when_it_returns(
    signed_in: str, proxy: TcpProxy, proxied_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = logged_in_client(proxied_app, signed_in)
    assert [url for url in DATABASE_PAGES if client.get(url).status_code != 200] == []

    proxy.cut()
    for url in DATABASE_PAGES:
        assert_unavailable(client.get(url), url)
    visitor = proxied_app.test_client()
    for url in PUBLIC_DATABASE_PAGES:
        assert_unavailable(visitor.get(url), f"{url} (visitor)")
    health = client.get("/healthz")
    assert health.status_code == 503
    assert client.get("/app/leads/", headers={"Accept": "application/json"}).json == {
        "error": str(ERROR_TEXT[503][0]),
        "status": 503,
    }
    assert "database unavailable on GET /standards" in caplog.text

    proxy.restore()
    assert client.get("/healthz").status_code == 200
    still_signed_in = [url for url in DATABASE_PAGES if client.get(url).status_code != 200]
    assert still_signed_in == []


@pytest.mark.postgres
@pytest.mark.clean_tables
def test_a_form_sent_while_postgresql_is_cut_gets_503(signed_in: str, proxy: TcpProxy, proxied_app: Flask) -> None:
    client = logged_in_client(proxied_app, signed_in)
    page = client.get("/app/admin/users/new")
    assert page.status_code == 200

    token = csrf_token_from(page.get_data(as_text=True))

    proxy.cut()
    response = client.post("/app/admin/users/new", data={"csrf_token": token, "email": "new@example.om"})
    assert_unavailable(response, "POST /app/admin/users/new")
    # Error pages load the signed-in user too: a missing page or an expired form is not a 500 either.
    assert_unavailable(client.post("/app/admin/users/new", data={"email": "new@example.om"}), "no token")
    assert_unavailable(client.get("/app/no-such-page"), "/app/no-such-page")


def test_pages_answer_503_while_sqlite_is_locked_and_recover_when_it_is_released(tmp_path) -> None:
    """Another process holds the file's exclusive lock (a backup, a long migration) longer than
    the app waits for it."""
    path = tmp_path / "locked.sqlite3"
    for portal in served(f"sqlite:///{path}", SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.2}}):
        with portal.app_context():
            db.create_all()
            load_reference_data()
            admin = create_user(email="admin@example.om", name="Admin", role=Role.ADMIN, password=TEST_PASSWORD)
            admin.totp_secret, admin.totp_enabled_at = TEST_TOTP_SECRET, utcnow()  # admins sign in with a code
            email = admin.email
            db.session.commit()
            client = logged_in_client(portal, email)  # in this app's context: the code is read from its database
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            for url in DATABASE_PAGES:
                assert_unavailable(client.get(url), url)
            for url in PUBLIC_DATABASE_PAGES:
                assert_unavailable(portal.test_client().get(url), f"{url} (visitor)")
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert [url for url in DATABASE_PAGES if client.get(url).status_code != 200] == []


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_config_pings_pooled_connections_before_use(name: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """pool_pre_ping is what lets the portal recover by itself after a database restart; an app
    given engine options of its own keeps it."""
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "ping.sqlite3"))
    monkeypatch.setattr(ProductionConfig, "DATA_ENCRYPTION_KEYS", [PRODUCTION_ENCRYPTION_KEY])
    for portal in (create_app(name), create_app({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 3}})):
        with portal.app_context():
            assert db.engine.pool._pre_ping is True
            db.engine.dispose()
