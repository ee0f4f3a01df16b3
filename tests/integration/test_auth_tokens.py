"""Password-reset tokens: bound to one user and one password, refused once either changes."""

from __future__ import annotations

from portal.auth.services import hash_password
from portal.auth.tokens import make_reset_token, user_for_reset_token
from portal.extensions import db


def test_token_finds_its_user(make_user):
    user = make_user()
    assert user_for_reset_token(make_reset_token(user)) == user


def test_token_stops_working_when_the_password_changes(make_user):
    user = make_user()
    token = make_reset_token(user)
    user.password_hash = hash_password("another long password")
    db.session.commit()
    assert user_for_reset_token(token) is None


def test_tampered_or_foreign_tokens_are_refused(app, make_user):
    user = make_user()
    token = make_reset_token(user)
    assert user_for_reset_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    app.config["SECRET_KEY"], original = "another-secret", app.config["SECRET_KEY"]
    try:
        assert user_for_reset_token(token) is None
    finally:
        app.config["SECRET_KEY"] = original


def test_token_of_a_deactivated_user_is_refused(make_user):
    user = make_user()
    token = make_reset_token(user)
    user.active = False
    db.session.commit()
    assert user_for_reset_token(token) is None
