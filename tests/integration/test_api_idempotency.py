"""Idempotency-Key: a retried POST (a timeout, a lost answer) returns the first answer instead
of making a second lead, even when the two copies arrive at the same moment; the same key with
another body is refused; keys are per API key and forgotten after API_IDEMPOTENCY_HOURS."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApiEnquiry, IdempotentRequest, Lead, OutboxMessage
from tests.fixtures.api import api_enquiry, bearer

URL = "/api/v1/enquiries"


def _post(client, secret, key, body=None):
    return client.post(URL, json=body or api_enquiry(), headers=bearer(secret, **{"Idempotency-Key": key}))


def _leads() -> int:
    return db.session.scalar(select(func.count(Lead.id)))


def test_a_retry_with_the_same_key_returns_the_first_answer_and_makes_no_second_lead(client, api_app, make_api_key):
    secret = make_api_key()

    first = _post(client, secret, "order-7f3a")
    again = _post(client, secret, "order-7f3a")

    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert _leads() == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2


def test_the_same_key_with_another_body_is_422_and_changes_nothing(client, api_app, make_api_key):
    secret = make_api_key()
    _post(client, secret, "order-7f3a")

    response = _post(client, secret, "order-7f3a", api_enquiry(company="Another Company"))

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/api/v1/problems/idempotency-conflict"
    assert _leads() == 1


def test_a_refused_request_is_not_remembered_so_the_corrected_one_may_reuse_the_key(client, api_app, make_api_key):
    secret = make_api_key()

    refused = _post(client, secret, "order-7f3a", api_enquiry(consent=False))
    corrected = _post(client, secret, "order-7f3a")

    assert (refused.status_code, corrected.status_code) == (422, 201)
    assert _leads() == 1


def test_keys_are_per_api_key(client, api_app, make_api_key):
    one, two = make_api_key(), make_api_key()

    first = _post(client, one, "same-key")
    second = _post(client, two, "same-key")

    assert first.get_json()["reference"] != second.get_json()["reference"]
    assert _leads() == 2


def test_an_expired_key_starts_afresh(client, api_app, make_api_key):
    secret = make_api_key()
    first = _post(client, secret, "order-7f3a")
    record = db.session.scalar(select(IdempotentRequest))
    record.expires_at = record.created_at - timedelta(seconds=1)
    db.session.commit()

    again = _post(client, secret, "order-7f3a")

    assert again.status_code == 201 and again.get_json()["reference"] != first.get_json()["reference"]
    assert db.session.scalar(select(func.count(IdempotentRequest.id))) == 1


def test_the_expired_answers_of_a_key_that_sends_nothing_more_are_forgotten_too(client, api_app, make_api_key):
    idle, busy = make_api_key(), make_api_key()
    _post(client, idle, "order-1")
    _post(client, busy, "order-2")
    for record in db.session.scalars(select(IdempotentRequest)):
        record.expires_at = record.created_at - timedelta(seconds=1)
    db.session.commit()

    _post(client, busy, "order-3")

    assert db.session.scalars(select(IdempotentRequest.idempotency_key)).all() == ["order-3"]


def test_the_first_answer_is_kept_for_the_configured_hours(client, api_app, make_api_key):
    secret = make_api_key()
    _post(client, secret, "order-7f3a")

    record = db.session.scalar(select(IdempotentRequest))
    assert record.expires_at - record.created_at == timedelta(hours=api_app.config["API_IDEMPOTENCY_HOURS"])


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "two words"])
def test_a_malformed_key_is_400(client, api_app, make_api_key, key):
    response = _post(client, make_api_key(), key)

    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert _leads() == 0


@pytest.mark.postgres
@pytest.mark.clean_tables
def test_identical_requests_sent_at_the_same_moment_make_one_lead(app, reference, make_api_key, monkeypatch):
    """Eight threads, each its own request and database connection, send the same request with
    the same key at once: the unique (key, Idempotency-Key) pair lets one insert; the others
    wait for it, fail, roll back their lead and answer with the winner's reference."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "1000 per minute")
    secret = make_api_key()
    db.session.remove()
    start = threading.Barrier(8)

    def send(_number: int):
        with app.test_client() as client:
            start.wait(timeout=30)
            return _post(client, secret, "burst-1")

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))

    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.get_json()["reference"] for answer in answers}) == 1
    assert _leads() == 1
    assert db.session.scalar(select(func.count(ApiEnquiry.lead_id))) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2


@pytest.mark.postgres
@pytest.mark.clean_tables
def test_different_bodies_with_one_key_at_the_same_moment_make_one_lead_and_conflicts(
    app, reference, make_api_key, monkeypatch
):
    """The losers of the race find the winner's row for another body: a 422 problem each, never a 500."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "1000 per minute")
    secret = make_api_key()
    db.session.remove()
    start = threading.Barrier(4)

    def send(number: int):
        with app.test_client() as client:
            start.wait(timeout=30)
            return _post(client, secret, "burst-2", api_enquiry(company=f"Company {number}"))

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(answer.status_code for answer in pool.map(send, range(4)))

    assert statuses == [201, 422, 422, 422]
    assert _leads() == 1
