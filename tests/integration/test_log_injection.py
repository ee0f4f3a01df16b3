"""What a visitor types cannot forge a log line: control characters in logged values are escaped."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from portal.core.logs import escape_control_characters
from portal.extensions import db

FORGED = "2026-12-06 04:00:00,000 INFO portal.auth: user 1 (admin) signed in"


@pytest.fixture()
def log_output() -> Iterator[io.StringIO]:
    """A handler on the root logger, as a server's log configuration adds one before the app starts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@pytest.fixture()
def app_without_database(log_output: io.StringIO, tmp_path: Path) -> Iterator[Flask]:
    broken = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "missing" / "portal.sqlite3")})
    yield broken
    with broken.app_context():
        db.engine.dispose()


def test_a_typed_crlf_does_not_start_a_log_line_of_its_own(app_without_database: Flask, log_output) -> None:
    """The address is logged when the database cannot answer; a CR LF typed into it stays on its line."""
    response = app_without_database.test_client().get("/standards/iso%0D%0A" + FORGED.replace(" ", "%20"))

    assert response.status_code == 503
    lines = log_output.getvalue().splitlines()
    assert [line for line in lines if line.startswith("2026-12-06")] == []
    logged = [line for line in lines if "database unavailable" in line]
    assert logged == [
        f"WARNING portal.web.errors: database unavailable on GET /standards/iso\\r\\n{FORGED}: OperationalError"
    ]


def test_every_control_character_is_written_as_its_escape() -> None:
    assert escape_control_characters("a@b.om\r\nx\x1b[2J\x00\u2028y") == "a@b.om\\r\\nx\\x1b[2J\\x00\\u2028y"
    assert escape_control_characters("Shaṭṭ al-ʿArab — ok") == "Shaṭṭ al-ʿArab — ok"


def test_a_traceback_keeps_its_lines(log_output) -> None:
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("portal.test").exception("failed for %s", "x\ny")

    text = log_output.getvalue()
    assert "failed for x\\ny\nTraceback (most recent call last):\n" in text
