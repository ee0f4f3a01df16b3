"""50 visitors sending the enquiry form at the same moment to real gunicorn workers on PostgreSQL.

Every submission must become exactly one lead with its own reference: references
come from the lead's id, so concurrent requests cannot collide.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Lead, OutboxMessage
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.enquiry import hidden_value, valid_enquiry
from tests.fixtures.servers import gunicorn_server, server_env

pytestmark = [pytest.mark.postgres, pytest.mark.clean_tables]  # gunicorn workers are other processes

VISITORS = 50


@pytest.fixture()
def gunicorn_url(app, reference, database_url, tmp_path):
    """A 4-worker gunicorn serving the app on the test database (tables and reference data committed)."""
    db.session.remove()
    env = server_env(database_url, SECRET_KEY="concurrency-test-secret", ENQUIRY_MIN_SECONDS="0")
    with gunicorn_server(env, tmp_path / "gunicorn.log", workers=4) as url:
        yield url


def visitor(url: str, number: int, start: threading.Barrier) -> str:
    """Open the form with its own cookies, wait for everyone, send it; return the reference shown."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(url + "/enquire", timeout=60) as response:
        html = response.read().decode()
    data = {
        **valid_enquiry(email=f"visitor{number}@example.om", company=f"Company {number}"),
        "csrf_token": csrf_token_from(html),
        "form_token": hidden_value(html, "form_token"),
    }
    start.wait(timeout=120)
    with browser.open(url + "/enquire", data=urlencode(data, doseq=True).encode(), timeout=120) as response:
        assert response.url.endswith("/enquire/thanks")
        thanks = response.read().decode()
    return re.search(r"ENQ-\d{4}-\d{6}", thanks).group(0)


def test_fifty_simultaneous_enquiries_make_fifty_leads_with_distinct_references(gunicorn_url):
    start = threading.Barrier(VISITORS)
    with ThreadPoolExecutor(max_workers=VISITORS) as pool:
        shown = list(pool.map(lambda n: visitor(gunicorn_url, n, start), range(VISITORS)))

    assert len(set(shown)) == VISITORS
    references = set(db.session.scalars(select(Lead.reference)))
    assert references == set(shown)
    assert db.session.scalar(select(func.count(Lead.id))) == VISITORS
    assert {lead.status for lead in db.session.scalars(select(Lead))} == {"new"}
    assert all(len(lead.standards) == 2 for lead in db.session.scalars(select(Lead)))
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2 * VISITORS
