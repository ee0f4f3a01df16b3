"""A secret carried to the page that shows it once: encrypted in the session, and only briefly."""

from __future__ import annotations

import time

from cryptography.fernet import Fernet
from flask import Flask, session

from portal.models.types import data_cipher
from portal.web import shown_once


def test_a_kept_value_is_taken_once(app: Flask) -> None:
    with app.test_request_context():
        shown_once.keep("new_thing", {"secret": "s3cret"})
        assert "s3cret" not in session["new_thing"]
        assert shown_once.take("new_thing") == {"secret": "s3cret"}
        assert shown_once.take("new_thing") is None


def test_a_value_kept_longer_than_its_life_is_dropped_unread(app: Flask) -> None:
    with app.test_request_context():
        written = int(time.time()) - shown_once.MAX_AGE_SECONDS - 1
        session["new_thing"] = data_cipher().encrypt_at_time(b'{"secret": "old"}', written).decode()
        assert shown_once.take("new_thing") is None
        assert "new_thing" not in session


def test_a_value_under_a_key_no_longer_listed_is_dropped_unread(app: Flask) -> None:
    with app.test_request_context():
        session["new_thing"] = Fernet(Fernet.generate_key()).encrypt(b'{"secret": "elsewhere"}').decode()
        assert shown_once.take("new_thing") is None
