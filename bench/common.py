"""What every benchmark sets up the same way: the app, a fresh database, the bench account."""

from __future__ import annotations

from flask import Flask
from werkzeug.security import generate_password_hash

from portal import create_app
from portal.core.reference_data import load_reference_data
from portal.extensions import db
from portal.models import Role, User

PASSWORD = "bench password 123"  # noqa: S105  (a throw-away bench account)
BENCH_EMAIL = "bench@example.om"
FAST_HASH = "pbkdf2:sha256:1000"


def make_app(url: str) -> Flask:
    """The portal on `url`, without CSRF and rate limits (the bench measures the pages, not those)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": FAST_HASH,
        }
    )


def bench_user() -> User:
    """The consultant the benchmarks log in as (added to the session, not committed)."""
    user = User(
        email=BENCH_EMAIL,
        name="Bench Consultant",
        role=Role.CONSULTANT.value,
        password_hash=generate_password_hash(PASSWORD, method=FAST_HASH),
    )
    db.session.add(user)
    return user


def reset(app: Flask) -> int:
    """Fresh tables, reference data and the bench consultant; returns the consultant's id."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_reference_data()
        user = bench_user()
        db.session.commit()
        return user.id
