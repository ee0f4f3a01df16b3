"""Spam defence: honeypot, signed render time, rate limit. Spam is kept (status spam) but sends no e-mail."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Lead, OutboxMessage
from portal.public.enquiry.spam import make_form_token
from tests.fixtures.enquiry import (
    open_form,
    submit,
    valid_enquiry,
)

pytestmark = pytest.mark.usefixtures("enquiry_app")


def only_lead() -> Lead:
    return db.session.scalars(select(Lead)).one()


def outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def assert_stored_as_spam(client, reason: str) -> None:
    lead = only_lead()
    assert lead.status == "spam" and reason in lead.status_reason
    assert outbox_count() == 0
    # The visitor (or bot) sees the same thanks page as everyone else.
    assert lead.reference in client.get("/enquire/thanks").get_data(as_text=True)


def test_a_filled_honeypot_is_stored_as_spam_without_emails(app, client):
    response = submit(client, website="http://cheap-pills.example")
    assert response.status_code == 302 and response.headers["Location"].endswith("/enquire/thanks")
    assert_stored_as_spam(client, "honeypot")


def test_a_form_sent_faster_than_a_person_can_type_is_spam(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ENQUIRY_MIN_SECONDS", 3600)
    assert submit(client).status_code == 302
    assert_stored_as_spam(client, "after the form was shown")


def test_a_form_older_than_a_day_is_spam(app, client):
    with app.test_request_context():
        two_days_old = make_form_token(now=time.time() - 2 * 24 * 3600)
    data = {**open_form(client), **valid_enquiry(), "form_token": two_days_old}
    assert client.post("/enquire", data=data).status_code == 302
    assert_stored_as_spam(client, "older")


@pytest.mark.parametrize("token", ["", "forged.token", "eyJzIjoiYSIsInQiOjF9.forgedsignature"])
def test_a_missing_or_forged_form_token_is_spam(app, client, token):
    data = {**open_form(client), **valid_enquiry(), "form_token": token}
    assert client.post("/enquire", data=data).status_code == 302
    assert_stored_as_spam(client, "form token")


def test_a_person_taking_their_time_is_not_spam(app, client):
    with app.test_request_context():
        an_hour_ago = make_form_token(now=time.time() - 3600)
    data = {**open_form(client), **valid_enquiry(), "form_token": an_hour_ago}
    client.post("/enquire", data=data)
    assert only_lead().status == "new"
    assert outbox_count() == 2


def test_an_invalid_form_with_a_filled_honeypot_is_not_stored(app, client):
    response = submit(client, website="spam", email="not-an-email")
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_too_many_posts_from_one_address_are_refused(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ENQUIRY_RATE_LIMIT", "2 per minute")
    statuses = [submit(client, email="bad").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/enquire").status_code == 200  # reading the form is never limited
