"""Start-up settings: production refuses to run unsafely, and runs hardened when configured."""

from __future__ import annotations

import pytest
from flask import Flask

from portal import create_app
from portal.config import ConfigError, ProductionConfig, normalise_database_url, trusted_hosts
from portal.extensions import db
from tests.fixtures.production import HEALTH_CHECK_HOST, PRODUCTION_SECRET


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


def test_production_answers_healthz_over_plain_http(production_app: Flask) -> None:
    """Load balancers probe over plain HTTP (with a host name the operator added to
    TRUSTED_HOSTS) and do not follow the redirect to HTTPS."""
    response = production_app.test_client().get("/healthz", base_url=f"http://{HEALTH_CHECK_HOST}")

    assert response.status_code == 200
    assert response.json["status"] == "ok"


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


GUNICORN_4_WORKERS = ["/srv/portal/.venv/bin/gunicorn", "-w", "4", "-b", "0.0.0.0:8000", "wsgi:app"]


@pytest.mark.parametrize(
    ("argv", "environment"),
    [
        (GUNICORN_4_WORKERS, {}),
        (["/srv/portal/.venv/bin/gunicorn", "wsgi:app"], {"GUNICORN_CMD_ARGS": "--workers 3"}),
        (["waitress-serve"], {"WEB_CONCURRENCY": "2"}),
    ],
    ids=["gunicorn -w 4", "gunicorn, GUNICORN_CMD_ARGS", "another server, WEB_CONCURRENCY"],
)
def test_production_refuses_memory_rate_limits_when_several_processes_serve(
    production_environment: pytest.MonkeyPatch, argv: list[str], environment: dict[str, str]
) -> None:
    production_environment.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "memory://")
    production_environment.setattr("sys.argv", argv)
    for name, value in environment.items():
        production_environment.setenv(name, value)

    with pytest.raises(ConfigError, match="worker processes serve the portal"):
        create_app("production")


def test_production_with_one_process_and_memory_rate_limits_says_so_in_the_log(
    production_environment: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    production_environment.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "memory://")
    production_environment.setattr("sys.argv", ["/srv/portal/.venv/bin/gunicorn", "-w", "1", "wsgi:app"])

    production = create_app("production")

    assert "rate limits are counted per process" in caplog.text
    with production.app_context():
        db.engine.dispose()


def test_production_with_redis_rate_limits_runs_several_processes(
    production_environment: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    production_environment.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/9")
    production_environment.setattr("sys.argv", GUNICORN_4_WORKERS)

    production = create_app("production")

    assert "per process" not in caplog.text
    with production.app_context():
        db.engine.dispose()


def test_trusted_hosts_are_the_public_address_host_and_the_extra_names() -> None:
    assert trusted_hosts("https://Portal.Example.om:8443/base", ["LB-Health.internal"]) == [
        "portal.example.om",
        "lb-health.internal",
    ]


def test_production_refuses_webhooks_to_private_addresses(production_environment: pytest.MonkeyPatch) -> None:
    production_environment.setattr(ProductionConfig, "WEBHOOK_ALLOW_PRIVATE_HOSTS", True)
    with pytest.raises(ConfigError, match="WEBHOOK_ALLOW_PRIVATE_HOSTS"):
        create_app("production")
