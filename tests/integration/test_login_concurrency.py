"""Wrong passwords sent at the same moment are all counted: the count is one atomic upsert."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import LoginFailure
from tests.fixtures.auth import csrf_token_from

pytestmark = [pytest.mark.postgres, pytest.mark.clean_tables]  # threads, each on its own connection

ATTEMPTS = 12


def test_parallel_wrong_passwords_are_all_counted(app, make_user, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 1000)  # no pause may stop an attempt from counting
    make_user(email="amal@example.om")
    browsers = [app.test_client() for _ in range(ATTEMPTS)]
    tokens = [csrf_token_from(browser.get("/auth/login").get_data(as_text=True)) for browser in browsers]
    start = threading.Barrier(ATTEMPTS)

    def attempt(n: int) -> int:
        start.wait()
        data = {"email": "amal@example.om", "password": "wrong password!", "csrf_token": tokens[n]}
        return browsers[n].post("/auth/login", data=data).status_code

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        statuses = list(pool.map(attempt, range(ATTEMPTS)))

    assert statuses == [200] * ATTEMPTS
    counts = {address: n for address, n in db.session.execute(select(LoginFailure.address, LoginFailure.failures))}
    assert counts == {"127.0.0.1": ATTEMPTS, "": ATTEMPTS}
