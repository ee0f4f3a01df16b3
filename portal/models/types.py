"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (used as a column default callable)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC that refuses naive datetimes.

    SQLite keeps no zone, so values read back are marked UTC again; PostgreSQL
    stores `timestamptz`. Either way code only ever sees aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def data_cipher() -> MultiFernet:
    """The app's DATA_ENCRYPTION_KEYS as one cipher: the first key encrypts, each decrypts."""
    return _cipher(tuple(current_app.config["DATA_ENCRYPTION_KEYS"]))


class UnreadableSecretError(RuntimeError):
    """A stored secret none of DATA_ENCRYPTION_KEYS opens: the key it was written under is missing."""


class EncryptedString(TypeDecorator[str]):
    """A secret the portal must read back in clear (a TOTP seed, a webhook signing secret),
    stored encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under DATA_ENCRYPTION_KEYS: a
    copy of the database or of a backup alone does not give it away. Code sees plain strings.

    Unlike passwords, these cannot be hashed: the server computes with them. The key lives in
    the environment, apart from the data (README "Secrets at rest")."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return data_cipher().encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        try:
            return data_cipher().decrypt(value.encode()).decode()
        except InvalidToken:
            raise UnreadableSecretError(
                "A stored secret cannot be decrypted with DATA_ENCRYPTION_KEYS: "
                "the key it was written under is missing from the list."
            ) from None
