"""`/healthz` tells a load balancer whether this app server can reach its database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from portal.extensions import db


def test_healthz_is_ok_when_the_database_answers(client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.is_json
    assert response.json["status"] == "ok"


@pytest.fixture(params=["sqlite-missing-directory", "postgresql-closed-port"])
def app_without_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app whose database cannot be reached: a SQLite file in a missing folder, or a closed port."""
    url = {
        "sqlite-missing-directory": "sqlite:///" + str(tmp_path / "missing" / "portal.sqlite3"),
        "postgresql-closed-port": "postgresql+psycopg://nobody@127.0.0.1:1/none",
    }[request.param]
    broken = create_app({"SQLALCHEMY_DATABASE_URI": url})
    yield broken
    with broken.app_context():
        db.engine.dispose()


def test_healthz_is_503_with_json_when_the_database_does_not_answer(
    app_without_database: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    response = app_without_database.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.is_json
    assert response.json["status"] == "unavailable"
    assert "database unreachable" in caplog.text
