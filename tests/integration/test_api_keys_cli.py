"""`flask api-keys create | list | revoke`: keys made from the command line, with the admin page's rules."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiKey, AuditLog
from tests.fixtures.api import api_enquiry, bearer


def test_create_prints_the_secret_once_and_the_key_works(runner, client, api_app):
    result = runner.invoke(args=["api-keys", "create", "--name", "Sohar landing page", "--scope", "enquiries:write"])

    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    key = db.session.scalar(select(ApiKey))
    assert secret.startswith(key.prefix) and key.scopes == ["enquiries:write"]
    assert client.post("/api/v1/enquiries", json=api_enquiry(), headers=bearer(secret)).status_code == 201
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "api_key.created")).subject_id == key.id


def test_create_without_scope_gives_every_scope(runner, api_app):
    assert runner.invoke(args=["api-keys", "create", "--name", "Partner"]).exit_code == 0

    assert db.session.scalar(select(ApiKey)).scopes == ["enquiries:write", "enquiries:read"]


def test_a_name_in_use_or_an_unknown_scope_fails_with_a_message(runner, api_app):
    runner.invoke(args=["api-keys", "create", "--name", "Partner"])

    taken = runner.invoke(args=["api-keys", "create", "--name", "Partner"])
    unknown = runner.invoke(args=["api-keys", "create", "--name", "Other", "--scope", "leads:delete"])

    assert taken.exit_code == 1 and "exists already" in taken.output
    assert unknown.exit_code == 2
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "Other")) is None


def test_list_shows_prefixes_never_secrets(runner, api_app):
    secret = runner.invoke(args=["api-keys", "create", "--name", "Partner"]).stdout.strip().splitlines()[-1]

    listed = runner.invoke(args=["api-keys", "list"])

    assert listed.exit_code == 0
    assert "Partner" in listed.output and secret[:12] in listed.output and secret not in listed.output
    assert "active" in listed.output


def test_revoke_refuses_the_key_and_is_audited(runner, client, api_app):
    secret = runner.invoke(args=["api-keys", "create", "--name", "Partner"]).stdout.strip().splitlines()[-1]

    result = runner.invoke(args=["api-keys", "revoke", "Partner"])

    assert result.exit_code == 0, result.output
    assert client.post("/api/v1/enquiries", json=api_enquiry(), headers=bearer(secret)).status_code == 401
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "api_key.revoked")) is not None
    assert "revoked" in runner.invoke(args=["api-keys", "list"]).output
    again = runner.invoke(args=["api-keys", "revoke", "Partner"])
    assert again.exit_code == 1 and "revoked already" in again.output
    missing = runner.invoke(args=["api-keys", "revoke", "Nobody"])
    assert missing.exit_code == 1 and "No API key is named" in missing.output
