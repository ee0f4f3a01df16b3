"""Branded error pages: the right status, a heading, never a stack trace; JSON for JSON clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Blueprint, Flask, abort, g

from portal import create_app
from portal.core.outbox import enqueue
from portal.extensions import db
from portal.web.errors import ERROR_TEXT

SECRET_DETAIL = "connection string postgresql://admin:hunter2@db"
CODES = [400, 403, 404, 405, 413, 429, 500, 503]


@pytest.fixture(scope="module")
def failing_app(_app: Flask, database_url: str) -> Iterator[tuple[Flask, list[bool]]]:
    """An app (not in testing mode, as in production) on the test database, with routes that fail on purpose.

    Also yields what a teardown saw: whether the half-written row was still in the session.
    Module-scoped: the failing routes leave nothing behind, so tests need no table clean-up.
    """
    failing = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": False})
    bp = Blueprint("failing", __name__)
    row_still_in_session: list[bool] = []

    @bp.get("/fail/<int:code>")
    def fail_with(code: int):
        abort(code)

    @bp.get("/fail/crash")
    @bp.get("/<any(app, auth, q):area>/fail/crash")
    def crash(area: str = ""):
        g.half_written = enqueue("test", "someone@example.om", "Half-written", "Must not survive the error.")
        db.session.flush()
        raise RuntimeError(SECRET_DETAIL)

    @bp.teardown_app_request
    def observe_session(_error):
        if "half_written" in g:
            row_still_in_session.append(g.half_written in db.session)

    failing.register_blueprint(bp)
    yield failing, row_still_in_session
    with failing.app_context():
        db.engine.dispose()


def assert_branded(html: str, code: int) -> None:
    title, message = ERROR_TEXT[code]
    assert f"<h1>{title}</h1>" in html
    assert str(message) in html
    assert "Qurum Assurance Partners" in html
    assert "Go to the home page" in html
    assert "Traceback" not in html


@pytest.mark.parametrize("code", CODES)
def test_each_error_renders_the_branded_page_with_its_status(failing_app, code: int) -> None:
    failing, _ = failing_app

    response = failing.test_client().get(f"/fail/{code}", headers={"Accept": "text/html"})

    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert_branded(response.get_data(as_text=True), code)


@pytest.mark.parametrize("code", CODES)
def test_json_clients_get_json_errors(failing_app, code: int) -> None:
    failing, _ = failing_app

    response = failing.test_client().get(f"/fail/{code}", headers={"Accept": "application/json"})

    assert response.status_code == code
    assert response.json == {"error": str(ERROR_TEXT[code][0]), "status": code}


def test_an_unexpected_exception_gives_the_500_page_without_its_details(failing_app) -> None:
    failing, _ = failing_app

    response = failing.test_client().get("/fail/crash")

    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert_branded(html, 500)
    assert "RuntimeError" not in html
    assert "hunter2" not in html


def test_an_unexpected_exception_rolls_back_the_session_before_the_page(failing_app) -> None:
    failing, row_still_in_session = failing_app
    row_still_in_session.clear()

    failing.test_client().get("/fail/crash")

    assert row_still_in_session == [False]


def test_an_unknown_address_gets_the_branded_404(client) -> None:
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert_branded(response.get_data(as_text=True), 404)


def test_a_wrong_method_gets_the_branded_405(client) -> None:
    response = client.get("/auth/logout")

    assert response.status_code == 405
    assert_branded(response.get_data(as_text=True), 405)


@pytest.mark.parametrize("path", ["/app/fail", "/auth/fail", "/q/fail"])
def test_error_pages_on_private_paths_are_not_stored(failing_app, path: str) -> None:
    """A 404 or a 500 under a workspace, sign-in or quote-link address may still name private
    things (the signed-in user's menu): no browser or proxy keeps it."""
    failing, _ = failing_app
    client = failing.test_client()

    for response in (client.get(path + "/404"), client.get(path + "/crash")):
        assert response.status_code in (404, 500)
        assert response.headers["Cache-Control"] == "private, no-store"
