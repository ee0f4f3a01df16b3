"""API keys: who may call the intake API and what for. Unknown and revoked keys are refused
(401), a key without the scope too (403); a key reads only the enquiries it sent; each key
has its own rate limit; admins create (seeing the secret once), list and revoke keys, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core.api_keys import ENQUIRIES_READ, ENQUIRIES_WRITE, hash_secret
from portal.extensions import db
from portal.models import ApiKey, AuditLog, Lead, Role
from tests.fixtures.api import api_enquiry, bearer
from tests.fixtures.auth import csrf_token_from

URL = "/api/v1/enquiries"


def _send(client, secret: str):
    return client.post(URL, json=api_enquiry(), headers=bearer(secret))


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer prt_not-a-key-the-portal-made", "Basic dXNlcjpwYXNz", "Bearer " + "prt_" + "x" * 300],
)
def test_a_request_without_a_valid_key_is_401_and_creates_nothing(client, api_app, make_api_key, authorization):
    make_api_key()
    headers = {"Authorization": authorization} if authorization else {}

    response = client.post(URL, json=api_enquiry(), headers=headers)

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.scalar(select(Lead)) is None


def test_a_revoked_key_is_refused_from_the_next_request(client, api_app, make_api_key):
    from portal.core.api_keys import key_named, revoke_key

    secret = make_api_key(name="Old landing page")
    assert _send(client, secret).status_code == 201
    revoke_key(key_named("Old landing page"), actor=None)
    db.session.commit()

    assert _send(client, secret).status_code == 401
    assert client.get(URL + "/ENQ-2026-000001", headers=bearer(secret)).status_code == 401


def test_a_key_without_the_scope_is_403(client, api_app, make_api_key):
    read_only = make_api_key(scopes=(ENQUIRIES_READ,))
    write_only = make_api_key(scopes=(ENQUIRIES_WRITE,))

    refused = _send(client, read_only)
    created = _send(client, write_only)
    status = client.get(created.headers["Location"], headers=bearer(write_only))

    assert refused.status_code == 403 and refused.get_json()["status"] == 403
    assert created.status_code == 201
    assert status.status_code == 403


def test_a_key_reads_the_status_of_its_own_enquiries_only(client, api_app, make_api_key):
    mine, theirs = make_api_key(), make_api_key()
    reference = _send(client, mine).get_json()["reference"]

    own = client.get(f"{URL}/{reference}", headers=bearer(mine))
    other = client.get(f"{URL}/{reference}", headers=bearer(theirs))
    unknown = client.get(f"{URL}/ENQ-2026-999999", headers=bearer(mine))

    assert own.status_code == 200
    body = own.get_json()
    assert (body["reference"], body["status"], body["standards"]) == (reference, "received", ["iso-9001", "iso-45001"])
    assert body["received_at"].endswith("+00:00") and body["status_text"]
    assert other.status_code == 404 and other.mimetype == "application/problem+json"
    assert unknown.status_code == 404


def test_the_status_follows_the_office_in_public_words(client, api_app, make_api_key):
    secret = make_api_key()
    reference = _send(client, secret).get_json()["reference"]
    lead = db.session.scalar(select(Lead))
    lead.status = "contacted"
    db.session.commit()

    body = client.get(f"{URL}/{reference}", headers=bearer(secret, **{"Accept-Language": "ar"})).get_json()

    assert body["status"] == "in_progress"
    assert any("\u0600" <= char <= "\u06ff" for char in body["status_text"])


def test_each_key_has_its_own_rate_limit_answered_429_with_retry_after(client, api_app, make_api_key, monkeypatch):
    monkeypatch.setitem(api_app.config, "API_RATE_LIMIT", "2 per minute")
    busy, other = make_api_key(), make_api_key()

    answers = [client.get(f"{URL}/ENQ-2026-000001", headers=bearer(busy)).status_code for _ in range(3)]
    limited = client.post(URL, json=api_enquiry(), headers=bearer(busy))

    assert answers == [404, 404, 429]
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json" and limited.get_json()["status"] == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert _send(client, other).status_code == 201


def test_only_a_hash_and_a_prefix_of_the_secret_are_stored(api_app, make_api_key):
    secret = make_api_key(name="Partner site")

    key = db.session.scalar(select(ApiKey).where(ApiKey.name == "Partner site"))
    assert key.key_hash == hash_secret(secret) != secret
    assert secret.startswith(key.prefix) and len(key.prefix) < len(secret) // 3


# The admin page


def test_an_admin_creates_a_key_sees_its_secret_once_and_it_works(client, api_app, login_as):
    login_as(Role.ADMIN)
    page = client.get("/app/admin/api-keys")
    assert page.status_code == 200

    created = client.post(
        "/app/admin/api-keys",
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "name": "Muscat landing page",
            "scopes": [ENQUIRIES_WRITE],
        },
    )

    html = created.get_data(as_text=True)
    key = db.session.scalar(select(ApiKey))
    secret = next(word for word in html.replace("<", " ").replace(">", " ").split() if word.startswith(key.prefix))
    assert created.status_code == 200 and key.scopes == [ENQUIRIES_WRITE]
    assert created.headers["Cache-Control"] == "private, no-store"
    assert _send(client, secret).status_code == 201
    assert secret not in client.get("/app/admin/api-keys").get_data(as_text=True)
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "api_key.created"))
    assert audit.subject_id == key.id and audit.details["name"] == "Muscat landing page"
    assert secret not in str(audit.details)


def test_a_name_in_use_is_refused_next_to_the_field(client, api_app, login_as, make_api_key):
    make_api_key(name="Partner site")
    login_as(Role.ADMIN)
    token = csrf_token_from(client.get("/app/admin/api-keys").get_data(as_text=True))

    response = client.post("/app/admin/api-keys", data={"csrf_token": token, "name": "Partner site", "scopes": []})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose what the key may do." in html
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "Partner site")) is not None
    response = client.post(
        "/app/admin/api-keys", data={"csrf_token": token, "name": "Partner site", "scopes": [ENQUIRIES_READ]}
    )
    assert response.status_code == 400 and "A key with this name exists already" in response.get_data(as_text=True)


def test_an_admin_revokes_a_key_at_once_and_the_revocation_is_audited(client, api_app, login_as, make_api_key):
    secret = make_api_key(name="Old site")
    key = db.session.scalar(select(ApiKey))
    login_as(Role.ADMIN)
    token = csrf_token_from(client.get("/app/admin/api-keys").get_data(as_text=True))

    response = client.post(f"/app/admin/api-keys/{key.id}/revoke", data={"csrf_token": token})

    assert response.status_code == 302
    assert key.revoked_at is not None
    assert _send(client, secret).status_code == 401
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "api_key.revoked")).subject_id == key.id


def test_revoking_needs_the_csrf_token(client, api_app, login_as, make_api_key):
    make_api_key()
    key = db.session.scalar(select(ApiKey))
    login_as(Role.ADMIN)

    assert client.post(f"/app/admin/api-keys/{key.id}/revoke").status_code == 400
    assert key.revoked_at is None


def test_consultants_may_not_open_or_use_the_key_page(client, api_app, login_as, make_api_key):
    make_api_key()
    key = db.session.scalar(select(ApiKey))
    login_as(Role.CONSULTANT)

    assert client.get("/app/admin/api-keys").status_code == 403
    assert client.post(f"/app/admin/api-keys/{key.id}/revoke").status_code in (400, 403)
    assert key.revoked_at is None
