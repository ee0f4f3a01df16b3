"""Two-factor and webhook signing secrets are stored encrypted: the database alone does not give
them away, the portal reads them as before, and a new key takes over without locking anyone out."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import column, select, table

from portal import create_app
from portal.config import DEVELOPMENT_ENCRYPTION_KEY, ConfigError
from portal.extensions import db
from portal.models import Role, User, WebhookEndpoint
from portal.models.types import UnreadableSecretError
from tests.fixtures.auth import TEST_TOTP_SECRET, log_in

WEBHOOK_SECRET = "whsec_" + "s" * 43


def stored(table_name: str, column_name: str, row_id: int) -> str:
    """The value as it lies in the database (what a copy of it or a backup holds)."""
    rows = table(table_name, column("id"), column(column_name))
    return db.session.execute(select(rows.c[column_name]).where(rows.c.id == row_id)).scalar_one()


def read_back(model: type, row_id: int, attribute: str) -> str:
    db.session.expire_all()
    return getattr(db.session.get(model, row_id), attribute)


@pytest.fixture()
def endpoint(app: Flask) -> WebhookEndpoint:
    row = WebhookEndpoint(url="https://crm.example.com/hooks", events=["lead.created"], secret=WEBHOOK_SECRET)
    db.session.add(row)
    db.session.commit()
    return row


def test_a_two_factor_secret_is_stored_encrypted_and_signing_in_still_works(client, make_user):
    admin = make_user(role=Role.ADMIN, email="admin@example.om")  # enrolled with TEST_TOTP_SECRET
    raw = stored("users", "totp_secret", admin.id)
    assert TEST_TOTP_SECRET not in raw
    assert read_back(User, admin.id, "totp_secret") == TEST_TOTP_SECRET
    assert log_in(client, "admin@example.om").status_code == 302  # the code step read the secret


def test_a_webhook_secret_is_stored_encrypted(endpoint):
    raw = stored("webhook_endpoints", "secret", endpoint.id)
    assert WEBHOOK_SECRET not in raw
    assert read_back(WebhookEndpoint, endpoint.id, "secret") == WEBHOOK_SECRET


def test_a_new_key_reads_the_old_secrets_and_rotate_moves_them_to_it(app: Flask, make_user, endpoint, monkeypatch):
    admin = make_user(role=Role.ADMIN)
    before = stored("users", "totp_secret", admin.id)
    new_key = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", [new_key, DEVELOPMENT_ENCRYPTION_KEY])  # new first
    assert read_back(User, admin.id, "totp_secret") == TEST_TOTP_SECRET

    result = app.test_cli_runner().invoke(args=["secrets", "rotate"])
    assert result.exit_code == 0, result.output
    assert "User.totp_secret 1, WebhookEndpoint.secret 1" in result.output
    assert stored("users", "totp_secret", admin.id) != before

    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", [new_key])  # the old key removed
    assert read_back(User, admin.id, "totp_secret") == TEST_TOTP_SECRET
    assert read_back(WebhookEndpoint, endpoint.id, "secret") == WEBHOOK_SECRET


def test_without_the_key_a_secret_is_refused_with_the_reason(app: Flask, make_user, monkeypatch):
    admin = make_user(role=Role.ADMIN)
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", [Fernet.generate_key().decode()])
    with pytest.raises(UnreadableSecretError, match="the key it was written under is missing"):
        read_back(User, admin.id, "totp_secret")


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "DATA_ENCRYPTION_KEYS is not set"),
        ([DEVELOPMENT_ENCRYPTION_KEY], "the development key, which is public"),
        (["not-a-key"], "key 1 is not a Fernet key"),
    ],
)
def test_production_refuses_to_start_without_a_key_of_its_own(production_environment, keys, message):
    production_environment.setattr("portal.config.ProductionConfig.DATA_ENCRYPTION_KEYS", keys)
    with pytest.raises(ConfigError, match=message):
        create_app("production")
