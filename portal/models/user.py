"""Accounts of the consultancy's staff."""

from __future__ import annotations

import enum
import hmac
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


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
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set while the person has not yet chosen a password through their invitation link
    # (when the latest invitation was sent); None once they have.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

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
        """What sessions and remember-me cookies keep: the id with the password fingerprint,
        so a new password ends every session opened with the old one (see load_user)."""
        return f"{self.id}:{self.password_fingerprint}"

    @property
    def is_invited(self) -> bool:
        """Invited but without a password yet: cannot log in, only follow the invitation link."""
        return self.invited_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
