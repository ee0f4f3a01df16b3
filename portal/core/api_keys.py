"""API keys: the credentials the firm's other systems call the intake API with.

Shared by the admin page, the `flask api-keys` commands and the API's own authentication,
so a key is made, named, scoped and revoked by one set of rules. A key is a random secret
shown once; only its SHA-256 is stored (the secret has 256 bits of entropy, so a fast hash
is enough), with its first characters as a visible prefix to tell keys apart. Creating and
revoking are audit-logged. Services flush; the caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core import audit
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import ApiKey, User
from portal.models.types import utcnow

KEY_PREFIX = "prt_"
VISIBLE_CHARACTERS = 12  # "prt_" and 8 characters of the secret: enough to tell keys apart, useless to guess
NAME_MAX_LENGTH = 60

ENQUIRIES_WRITE = "enquiries:write"
ENQUIRIES_READ = "enquiries:read"
# What each scope lets a key do, in the words the admin page shows.
SCOPES = {
    ENQUIRIES_WRITE: _l("Send enquiries"),
    ENQUIRIES_READ: _l("Read the status of the enquiries it sent"),
}


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("Give the key a name, such as the website that will use it."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise ServiceError(_("Use at most %(count)d characters.", count=NAME_MAX_LENGTH), "name")
    if db.session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise ServiceError(_("A key with this name exists already: choose another name."), "name")
    return name


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(scopes))
    if not chosen or any(scope not in SCOPES for scope in chosen):
        raise ServiceError(_("Choose what the key may do."), "scopes")
    return [scope for scope in SCOPES if scope in chosen]


def create_key(name: str, scopes: Iterable[str], actor: User | None) -> tuple[ApiKey, str]:
    """A new key and its secret, which is never stored and so can be shown only now."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        name=_clean_name(name),
        scopes=_clean_scopes(scopes),
        prefix=secret[:VISIBLE_CHARACTERS],
        key_hash=hash_secret(secret),
        created_by=actor,
    )
    db.session.add(key)
    db.session.flush()
    audit.record("api_key.created", actor, key, {"name": key.name, "scopes": key.scopes, "prefix": key.prefix})
    return key, secret


def revoke_key(key: ApiKey, actor: User | None) -> ApiKey:
    """Refuse the key from now on; it stays listed, so the log and its enquiries keep its name."""
    if key.revoked_at is not None:
        raise ServiceError(_("This key is revoked already."))
    key.revoked_at = utcnow()
    db.session.flush()
    audit.record("api_key.revoked", actor, key, {"name": key.name, "prefix": key.prefix})
    return key


def key_named(name: str) -> ApiKey | None:
    return db.session.scalar(select(ApiKey).where(ApiKey.name == " ".join(name.split())))


def all_keys() -> list[ApiKey]:
    """Every key, active ones first, newest first."""
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())))


def key_for_secret(secret: str) -> ApiKey | None:
    """The active key whose secret this is; None for an unknown, malformed or revoked one."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
    if key is None or key.revoked_at is not None or not hmac.compare_digest(key.key_hash, digest):
        return None
    return key
