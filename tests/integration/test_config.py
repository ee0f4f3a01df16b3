"""Start-up settings: production refuses to run unsafely, and runs hardened when configured."""

from __future__ import annotations

import pytest
from flask import Flask

from portal import create_app
from portal.config import ConfigError, normalise_database_url, trusted_hosts
from tests.fixtures.production import PRODUCTION_SECRET


def test_production_refuses_to_start_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db/portal")

    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app("production")


def test_production_refuses_to_start_without_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_SECRET)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    with pytest.raises(ConfigError, match="DATABASE_URL is not set"):
        create_app("production")


def test_an_unknown_environment_name_is_refused_with_the_valid_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "staging")

    with pytest.raises(ConfigError, match="development, testing, production"):
        create_app()


@pytest.mark.parametrize("url", ["postgres://portal@db/portal", "postgresql://portal@db/portal"])
def test_plain_postgres_urls_use_the_psycopg_driver(url: str) -> None:
    assert normalise_database_url(url) == "postgresql+psycopg://portal@db/portal"


def test_production_redirects_plain_http_to_https(production_app: Flask) -> None:
    response = production_app.test_client().get("/auth/login", base_url="http://portal.example.om")

    assert response.status_code in (301, 302)
    assert response.headers["Location"].startswith("https://")


def test_production_sends_hsts_and_secure_session_cookies(production_app: Flask) -> None:
    response = production_app.test_client().get("/auth/login", base_url="https://portal.example.om")

    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    [session_cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("__Host-session=")]
    assert "Secure" in session_cookie
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie


def test_a_second_app_does_not_change_the_security_settings_of_the_first(production_app: Flask, client) -> None:
    response = client.get("/auth/login")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def test_trusted_hosts_are_the_public_address_host_and_the_extra_names() -> None:
    assert trusted_hosts("https://Portal.Example.om:8443/base", ["LB-Health.internal"]) == [
        "portal.example.om",
        "lb-health.internal",
    ]
