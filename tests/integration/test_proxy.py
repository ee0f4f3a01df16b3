"""Behind a reverse proxy: client addresses (rate limits, audit log) and the scheme of links
come from the proxy's headers when TRUSTED_PROXIES says so, and never from a client's own
headers otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import AuditLog, OutboxMessage
from tests.fixtures.auth import TEST_PASSWORD, csrf_token_from

WRONG_PASSWORD = "wrong password!"  # noqa: S105

# The proxied app is a second app (its own engine) on the test database: it must see committed rows.
pytestmark = pytest.mark.clean_tables


def login_from(client, address: str, password: str = WRONG_PASSWORD):
    """Post the real login form as a client at `address` seen through the proxy."""
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    data = {"email": "consultant@example.om", "password": password, "csrf_token": token}
    return client.post("/auth/login", data=data, headers={"X-Forwarded-For": address})


@pytest.fixture()
def proxied_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """The portal behind one reverse proxy, two login attempts a minute per client."""
    proxied = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TRUSTED_PROXIES": 1,
            "LOGIN_RATE_LIMIT": "2 per minute",
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": True,
        }
    )
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def test_clients_behind_the_proxy_each_have_their_own_login_budget(proxied_app: Flask) -> None:
    client = proxied_app.test_client()
    assert [login_from(client, "203.0.113.7").status_code for _ in range(3)] == [200, 200, 429]
    assert login_from(client, "198.51.100.20").status_code == 200


def test_the_audit_log_records_the_client_not_the_proxy(proxied_app: Flask, make_user) -> None:
    make_user(email="consultant@example.om")
    response = login_from(proxied_app.test_client(), "203.0.113.7", TEST_PASSWORD)
    assert response.status_code == 302
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "login.success")).one()
    assert row.ip == "203.0.113.7"


def test_without_a_trusted_proxy_a_forged_address_escapes_no_limit(client) -> None:
    codes = [login_from(client, f"203.0.113.{n}").status_code for n in range(11)]
    assert codes == [200] * 10 + [429]


@pytest.mark.parametrize("proto", ["https", None])
def test_links_in_e_mails_come_from_the_public_address_whatever_the_request_says(
    proxied_app: Flask, make_user, proto
) -> None:
    make_user(email="consultant@example.om")
    client = proxied_app.test_client()
    token = csrf_token_from(client.get("/auth/reset").get_data(as_text=True))
    scheme = proto or "http"
    headers = {"X-Forwarded-For": "203.0.113.7", "Referer": f"{scheme}://localhost/auth/reset"}
    if proto:
        headers["X-Forwarded-Proto"] = proto  # over HTTPS, CSRF also checks the Referer, as browsers send it
    client.post("/auth/reset", data={"email": "consultant@example.om", "csrf_token": token}, headers=headers)
    message = db.session.scalars(select(OutboxMessage)).one()
    assert proxied_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/auth/reset/" in message.body_text


def test_a_forged_host_header_cannot_put_its_address_into_a_reset_link(client, make_user) -> None:
    make_user(email="consultant@example.om")
    forged = {"Host": "attacker.example"}
    token = csrf_token_from(client.get("/auth/reset", headers=forged).get_data(as_text=True))
    client.post("/auth/reset", data={"email": "consultant@example.om", "csrf_token": token}, headers=forged)
    message = db.session.scalars(select(OutboxMessage)).one()
    assert "attacker.example" not in message.body_text
