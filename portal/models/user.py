"""Accounts of the consultancy's staff."""

from __future__ import annotations

import enum
import hmac
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import EncryptedString, UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a user may do: admins do everything consultants do, plus administration."""

    ADMIN = "admin"
    CONSULTANT = "consultant"


class User(UserMixin, db.Model):
    """A staff account. E-mail is unique and stored lower-case."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'consultant')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.CONSULTANT.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set while the person has not yet chosen a password through their invitation link
    # (when the latest invitation was sent); None once they have.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Two-factor sign-in (portal/auth/two_factor.py). The secret is stored encrypted under
    # DATA_ENCRYPTION_KEYS: a copy of the database alone does not give the codes away.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString())
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The newest 30-second step whose code was accepted: an older or equal step is a replay.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # The language the workspace and the e-mails to this person are written in (one of LANGUAGES).
    locale: Mapped[str] = mapped_column(String(10), default="en", server_default="en")
    # The saved inbox view /app/leads/ opens with when no filters are asked for (None: open leads).
    default_view_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_views.id", ondelete="SET NULL", use_alter=True, name="fk_users_default_view_id")
    )

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    # The token of the signed-in session this request runs in (not a column: set by
    # portal.auth.login_sessions when a login starts or a cookie is checked).
    login_token = None

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot log in
        return self.active

    @property
    def password_fingerprint(self) -> str:
        """A digest of the password hash keyed with SECRET_KEY: it changes whenever the password
        does, and the session cookie that carries it tells nothing about the hash."""
        secret = current_app.secret_key or ""
        key = secret if isinstance(secret, bytes) else secret.encode()
        return hmac.new(key, self.password_hash.encode(), "sha256").hexdigest()[:32]

    def get_id(self) -> str:
        """What session and remember-me cookies keep: the id, the password fingerprint (a new
        password ends every session opened with the old one) and the session's token (ending
        its server-side record ends the session); see portal.auth.login_sessions."""
        return f"{self.id}:{self.password_fingerprint}:{self.login_token or ''}"

    @property
    def is_invited(self) -> bool:
        """Invited but without a password yet: cannot log in, only follow the invitation link."""
        return self.invited_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class RecoveryCode(db.Model):
    """One single-use recovery code of a user's second factor, kept only as a sha256 digest."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} of user {self.user_id}>"
