"""Settings read from environment variables, one class per environment.

Every variable is documented in README.md (Configuration). Nothing secret has a
usable default in production: `ProductionConfig.validate()` refuses to start
without `SECRET_KEY`, `DATABASE_URL` and `DATA_ENCRYPTION_KEYS`.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def trusted_hosts(public_base_url: str, extra: list[str]) -> list[str]:
    """The host of the public address plus the operator's extra names (a health check's host, say)."""
    host = urlsplit(public_base_url).hostname
    return ([host] if host else []) + [name.lower() for name in extra]


def normalise_database_url(url: str) -> str:
    """Point plain `postgres://` / `postgresql://` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


ARABIC_DIGIT_SYSTEMS = ("latn", "arab")  # Babel's numbering-system names: 0-9, ٠-٩


class ConfigError(RuntimeError):
    """Raised at start-up when a required setting is missing."""


DEFAULT_FIRM_NAME = "Qurum Assurance Partners"  # invented: a real deployment sets its own FIRM_NAME
# "ISO" not inside a longer word, in any case: "ISO Partners", "Muscat-Iso", "ISO9001 Advisors",
# not "Isosceles".
ISO_WORD = re.compile(r"(?<![a-z])iso(?![a-z])", re.IGNORECASE)


# Development and tests only: anyone can read it here, so production refuses it.
DEVELOPMENT_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWtleSE="


def check_encryption_keys(keys: list[str]) -> None:
    """Production needs its own keys, each a Fernet key (32 bytes, URL-safe base64)."""
    if not keys:
        raise ConfigError(
            "DATA_ENCRYPTION_KEYS is not set. Production refuses to start without it: it encrypts the "
            "two-factor and webhook secrets in the database. Make one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' "
            "and keep it (and a copy) apart from the database backups."
        )
    for number, key in enumerate(keys, start=1):
        if key == DEVELOPMENT_ENCRYPTION_KEY:
            raise ConfigError("DATA_ENCRYPTION_KEYS holds the development key, which is public: make your own.")
        try:
            valid = len(base64.urlsafe_b64decode(key.encode())) == 32
        except ValueError:
            valid = False
        if not valid:
            raise ConfigError(f"DATA_ENCRYPTION_KEYS: key {number} is not a Fernet key (32 bytes, URL-safe base64).")


class BaseConfig:
    """Defaults shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    # Fernet keys for secrets stored encrypted (portal/models/types.py EncryptedString): the first
    # encrypts, every one decrypts, so a new key goes first and the old one stays until
    # `flask secrets rotate` has written everything again under the new one.
    DATA_ENCRYPTION_KEYS: list[str] = _list("DATA_ENCRYPTION_KEYS")
    SQLALCHEMY_DATABASE_URI: str | None = (
        normalise_database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 12 * 1024 * 1024)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed; 0 believes none.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_COOKIE_DAYS", 14))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 12))

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = _int("CSRF_TIME_LIMIT", 8 * 3600)

    BOOTSTRAP_SERVE_LOCAL = True

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Muscat"
    # The catalogues (`make translations` updates the .po files, `make run`/`make test` compile them).
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent / "translations")
    LANGUAGES = ["en", "ar"]
    # Digits in Arabic pages and e-mails: "latn" (0-9, as Omani business documents write them) or "arab" (٠-٩).
    ARABIC_DIGITS = os.environ.get("ARABIC_DIGITS", "latn")

    # Public pages (portal/web/page_cache.py): what a shared cache may keep, and where rendered
    # pages are kept: this process's memory, bounded, and Redis too when PAGE_CACHE_URL is set.
    PUBLIC_PAGE_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_MAX_AGE", "300"))
    PUBLIC_PAGE_STALE = int(os.environ.get("PUBLIC_PAGE_STALE", "86400"))
    PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL", "")
    # How long a process trusts the content version it read (its own edits count at once).
    CONTENT_VERSION_MAX_AGE = float(os.environ.get("CONTENT_VERSION_MAX_AGE", "1"))
    PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "512"))
    PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", str(32 * 1024 * 1024)))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Redis down: count in this process's memory (Flask-Limiter logs a warning) and try Redis
    # again later, rather than answer every limited page with a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Wrong passwords for one account from one address before signing in pauses (1 minute,
    # then 2, 4, ... up to LOGIN_LOCK_MINUTES); from all addresses together, the higher ceiling.
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_ACCOUNT_MAX_FAILURES = _int("LOGIN_ACCOUNT_MAX_FAILURES", 50)
    LOGIN_LOCK_MINUTES = _int("LOGIN_LOCK_MINUTES", 15)
    LOGIN_FAILURE_MEMORY_HOURS = _int("LOGIN_FAILURE_MEMORY_HOURS", 24)
    # A signed-in session's "last seen" is written at most this often, not on every request.
    LOGIN_SESSION_TOUCH_SECONDS = _int("LOGIN_SESSION_TOUCH_SECONDS", 300)
    RESET_EMAILS_PER_ACCOUNT_PER_HOUR = _int("RESET_EMAILS_PER_ACCOUNT_PER_HOUR", 3)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 12
    INVITATION_MAX_AGE = _int("INVITATION_MAX_AGE", 7 * 24 * 3600)
    # Roles that must sign in with a second factor (TOTP); others may turn it on for themselves.
    TWO_FACTOR_REQUIRED_ROLES = _list("TWO_FACTOR_REQUIRED_ROLES", "admin")
    # The name authenticator apps show next to the account; FIRM_NAME when not set.
    TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER")

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "portal@example.om")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    NOTIFY_EMAILS = _list("NOTIFY_EMAILS", "consultants@example.om")
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_BATCH_SIZE = _int("OUTBOX_BATCH_SIZE", 50)
    OUTBOX_BACKOFF_SECONDS = _int("OUTBOX_BACKOFF_SECONDS", 60)

    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    FILE_STORAGE = os.environ.get("FILE_STORAGE", "database")  # where uploads live: see portal/core/storage.py
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")  # old on-disk uploads, read by `flask storage import-files`
    QUOTE_UPLOAD_MAX_BYTES = _int("QUOTE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    LEAD_ATTACHMENT_MAX_BYTES = _int("LEAD_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    QUOTE_LINK_MAX_AGE_DAYS = _int("QUOTE_LINK_MAX_AGE_DAYS", 30)
    QUOTE_LINK_RATE_LIMIT = os.environ.get("QUOTE_LINK_RATE_LIMIT", "30 per minute")
    # Calendar apps re-read a feed about hourly; the limit only stops someone guessing links.
    # Webhooks: posted by `flask webhooks send`; private/loopback hosts and plain http only
    # when WEBHOOK_ALLOW_PRIVATE_HOSTS is set (development, a receiver on this machine).
    WEBHOOK_ALLOW_PRIVATE_HOSTS = _bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", False)
    WEBHOOK_TIMEOUT = _int("WEBHOOK_TIMEOUT", 5)
    WEBHOOK_MAX_ATTEMPTS = _int("WEBHOOK_MAX_ATTEMPTS", 8)
    WEBHOOK_BACKOFF_SECONDS = _int("WEBHOOK_BACKOFF_SECONDS", 60)
    WEBHOOK_BATCH_SIZE = _int("WEBHOOK_BATCH_SIZE", 50)
    CALENDAR_FEED_RATE_LIMIT = os.environ.get("CALENDAR_FEED_RATE_LIMIT", "30 per minute")
    # The client status page: the admin's link lifetime (settings page) may not pass this many days;
    # the page and its uploads are rate-limited per address; a client's document is at most this big.
    STATUS_LINK_MAX_DAYS = _int("STATUS_LINK_MAX_DAYS", 365)
    STATUS_LINK_RATE_LIMIT = os.environ.get("STATUS_LINK_RATE_LIMIT", "30 per minute")
    CLIENT_DOCUMENT_MAX_BYTES = _int("CLIENT_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
    ENQUIRY_MIN_SECONDS = _int("ENQUIRY_MIN_SECONDS", 3)
    ENQUIRY_MAX_AGE_SECONDS = _int("ENQUIRY_MAX_AGE_SECONDS", 24 * 3600)
    ENQUIRY_RATE_LIMIT = os.environ.get("ENQUIRY_RATE_LIMIT", "10 per minute; 60 per day")
    # The intake API (portal/api): requests per key, the largest JSON body, how long an
    # Idempotency-Key's first answer is kept.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "60 per minute; 2000 per day")
    API_MAX_BODY_BYTES = _int("API_MAX_BODY_BYTES", 64 * 1024)
    API_IDEMPOTENCY_HOURS = _int("API_IDEMPOTENCY_HOURS", 24)
    # Personal data (Royal Decree 6/2022, executive regulation 34/2024): a breach is notified to the
    # authority within 72 hours of being found (reg. art. 30); a person's request answered within 45 days.
    BREACH_NOTIFICATION_HOURS = _int("BREACH_NOTIFICATION_HOURS", 72)
    PRIVACY_REQUEST_DEADLINE_DAYS = _int("PRIVACY_REQUEST_DEADLINE_DAYS", 45)
    PRIVACY_REQUEST_RATE_LIMIT = os.environ.get("PRIVACY_REQUEST_RATE_LIMIT", "5 per minute; 20 per day")
    ENQUIRY_ATTACHMENT_MAX_AGE_SECONDS = _int("ENQUIRY_ATTACHMENT_MAX_AGE_SECONDS", 7 * 24 * 3600)
    REGISTRAR_IMPORT_MAX_BYTES = _int("REGISTRAR_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
    # Recertification (practice, not a standard): start 6 months before expiry, audit about 3 months before.
    RECERTIFICATION_START_MONTHS = _int("RECERTIFICATION_START_MONTHS", 6)
    RECERTIFICATION_AUDIT_MONTHS = _int("RECERTIFICATION_AUDIT_MONTHS", 3)
    # The consultancy that runs the portal, on every page, e-mail and in structured data.
    # Never a name with "ISO" in it: ISO asks that its name not be used in company names.
    FIRM_NAME = os.environ.get("FIRM_NAME", DEFAULT_FIRM_NAME)
    FIRM_LEGAL_NAME = os.environ.get("FIRM_LEGAL_NAME")
    FIRM_ADDRESS = os.environ.get("FIRM_ADDRESS")
    FIRM_CR_NUMBER = os.environ.get("FIRM_CR_NUMBER")  # Omani commercial registration
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL")
    CONTACT_PHONE = os.environ.get("CONTACT_PHONE")
    FORCE_HTTPS = False
    HSTS = False

    @classmethod
    def validate(cls) -> None:
        """Hook for environments that must refuse to start on missing settings."""


class DevelopmentConfig(BaseConfig):
    """Local use: SQLite in instance/, a fixed dev secret, mail logged."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    DATA_ENCRYPTION_KEYS = _list("DATA_ENCRYPTION_KEYS", DEVELOPMENT_ENCRYPTION_KEY)


class TestingConfig(BaseConfig):
    """The test suite: fast hashing, database from TEST_DATABASE_URL or a temp SQLite file."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    DATA_ENCRYPTION_KEYS = [DEVELOPMENT_ENCRYPTION_KEY]
    SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(os.environ["TEST_DATABASE_URL"]) if os.environ.get("TEST_DATABASE_URL") else None
    )
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    MAIL_SERVER = None
    SERVER_NAME = None


class ProductionConfig(BaseConfig):
    """Real use behind HTTPS: secure `__Host-` cookies, HSTS, known host names, secrets required."""

    ENV_NAME = "production"
    # `__Host-`: the browser accepts these only over HTTPS, for path "/" and without a Domain,
    # so no other site or subdomain can plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_NAME = "__Host-remember"
    REMEMBER_COOKIE_SECURE = True
    # A request for any other Host is refused (400): links built from the request never
    # point at a host an attacker chose.
    TRUSTED_HOSTS = trusted_hosts(BaseConfig.PUBLIC_BASE_URL, _list("TRUSTED_HOSTS"))
    FORCE_HTTPS = _bool("FORCE_HTTPS", True)
    HSTS = True

    @classmethod
    def validate(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise ConfigError(
                "SECRET_KEY is not set. Production refuses to start without it: "
                "set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if not os.environ.get("DATABASE_URL"):
            raise ConfigError(
                "DATABASE_URL is not set. Production needs PostgreSQL, e.g. postgresql://user@host/portal."
            )
        check_encryption_keys(cls.DATA_ENCRYPTION_KEYS)
        if cls.RATELIMIT_STORAGE_URI.startswith("memory://"):
            refuse_per_process_rate_limits(server_processes())
        if cls.WEBHOOK_ALLOW_PRIVATE_HOSTS:
            raise ConfigError(
                "WEBHOOK_ALLOW_PRIVATE_HOSTS is on. It lets webhooks reach this network's private "
                "addresses and is for development only: unset it in production."
            )


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


FILE_STORAGES = ("database",)  # the implementations in portal/core/storage.py


def check_file_storage(value: str) -> None:
    """Refuse to start with a FILE_STORAGE nobody implemented, rather than fail at the first upload."""
    if value not in FILE_STORAGES:
        raise ConfigError(f"FILE_STORAGE must be one of: {', '.join(FILE_STORAGES)} (not {value!r}).")


def check_arabic_digits(value: str) -> None:
    """Only the two digit systems Arabic text uses; a typo would otherwise pass unnoticed."""
    if value not in ARABIC_DIGIT_SYSTEMS:
        raise ConfigError(f"ARABIC_DIGITS must be one of {', '.join(ARABIC_DIGIT_SYSTEMS)}, not {value!r}.")


def check_firm_name(config: Mapping[str, Any]) -> None:
    """Refuse to start when the firm's own name says "ISO": ISO's policy asks that its name
    not be used in company names, and a consultancy must not look like part of ISO."""
    for key in ("FIRM_NAME", "FIRM_LEGAL_NAME", "TWO_FACTOR_ISSUER"):
        value = config.get(key) or ""
        if ISO_WORD.search(value):
            raise ConfigError(
                f'{key} is {value!r}: the firm\'s own name must not contain "ISO" (ISO asks that its '
                "name not be used in company names). Set it to the firm's name without it."
            )
    if not (config.get("FIRM_NAME") or "").strip():
        raise ConfigError("FIRM_NAME is empty: set it to the consultancy's trading name.")


def refuse_per_process_rate_limits(processes: int) -> None:
    """Counters in memory are per process: with 4 workers, "10 per minute" allows 40. Refuse
    when several processes serve the portal; with one, say in the log that it must stay one."""
    if processes > 1:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI is memory:// but {processes} worker processes serve the portal, "
            "each counting rate limits on its own. Set RATELIMIT_STORAGE_URI=redis://host:6379/0."
        )
    logger.warning(
        "RATELIMIT_STORAGE_URI is memory://: rate limits are counted per process. "
        "Run one worker process, or set RATELIMIT_STORAGE_URI=redis://host:6379/0."
    )


def server_processes() -> int:
    """How many processes serve the app, as far as can be told: under gunicorn, its worker
    count as gunicorn itself reads it (command line, config file, GUNICORN_CMD_ARGS,
    WEB_CONCURRENCY); under another server, WEB_CONCURRENCY; else 1."""
    if Path(sys.argv[0]).name.startswith("gunicorn"):
        from gunicorn.app.wsgiapp import WSGIApplication

        return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg.workers
    return _int("WEB_CONCURRENCY", 1)


def config_for(name: str | None) -> type[BaseConfig]:
    """Pick the config class named by `name` or `PORTAL_ENV` (development by default)."""
    key = (name or os.environ.get("PORTAL_ENV") or "development").lower()
    if key not in CONFIGS:
        raise ConfigError(f"Unknown PORTAL_ENV {key!r}; use one of {', '.join(CONFIGS)}.")
    return CONFIGS[key]


def default_sqlite_uri(instance_path: str) -> str:
    """The newcomer's database: a file in instance/."""
    return "sqlite:///" + str(Path(instance_path) / "portal.sqlite3")
