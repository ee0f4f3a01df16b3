"""Browser tests: real Chromium (Debian's, via Playwright) against a real HTTP server.

The server runs the same app (same database) on a free loopback port in a thread.
Without Chromium the tests are skipped with a reason, except in CI, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal.models import Role, User
from tests.fixtures.auth import TEST_PASSWORD, code_for

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install -y chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install it with 'apt-get install -y chromium'")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(_app: Flask) -> Iterator[str]:
    """Serve the test app over real HTTP on 127.0.0.1 and yield its base URL."""
    server = make_server("127.0.0.1", 0, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_server: str, app: Flask, monkeypatch: pytest.MonkeyPatch):
    """A fresh browser context per test (no cookies carried over), base URL set.

    The live server answers on 127.0.0.1:<port>, so no SERVER_NAME while the test runs."""
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def browser_login(page, make_user) -> Callable[..., User]:
    """Log a new user of the given role in through the login form in the browser."""

    def _login(role: Role = Role.CONSULTANT, **overrides) -> User:
        user = make_user(role=role, **overrides)
        page.goto("/auth/login")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        answer_code_step(page, user.email)
        page.wait_for_url("**/app/**")
        return user

    return _login


def answer_code_step(page, email: str) -> None:
    """If the portal asks for the second factor (admins), type the code the app would show."""
    page.wait_for_url(re.compile(r"/(auth/login/code|app/)"))
    if page.url.split("?")[0].endswith("/auth/login/code"):
        page.get_by_label("Code").fill(code_for(email) or "")
        page.get_by_role("button", name="Continue").click()
