"""Requests from the public: the form on the privacy page's request page files a task with its
legal deadline, acknowledges it in the person's language, and never makes two of one sending."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import AuditLog, OutboxMessage, PrivacyRequest, Role
from portal.models.types import utcnow
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.enquiry import hidden_value


@pytest.fixture()
def request_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """No minimum fill-in time and a generous rate limit (each test sets its own when it needs one)."""
    monkeypatch.setitem(app.config, "ENQUIRY_MIN_SECONDS", 0)
    monkeypatch.setitem(app.config, "PRIVACY_REQUEST_RATE_LIMIT", "1000 per minute")
    return app


def open_form(client, path: str = "/privacy/request") -> dict:
    html = client.get(path).get_data(as_text=True)
    return {"csrf_token": csrf_token_from(html), "form_token": hidden_value(html, "form_token")}


def valid_request(**overrides) -> dict:
    data = {
        "name": "Aisha Al Balushi",
        "email": "aisha@example.om",
        "phone": "9212 3456",
        "kind": "access",
        "details": "Please send me a copy of what you hold about my enquiry ENQ-2026-000012.",
        "website": "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


def send(client, path: str = "/privacy/request", **overrides):
    return client.post(path, data={**open_form(client, path), **valid_request(**overrides)})


def requests() -> list[PrivacyRequest]:
    return list(db.session.scalars(select(PrivacyRequest)))


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage)))


def test_a_request_becomes_a_task_with_its_deadline_and_an_english_acknowledgement(request_app, client):
    response = send(client)
    assert response.status_code == 302 and response.location.endswith("/privacy/request/thanks")
    (task,) = requests()
    assert (task.kind, task.status, task.language, task.phone) == ("access", "open", "en", "+96892123456")
    assert task.due_on == today_in_oman() + timedelta(days=45)
    assert re.fullmatch(rf"PRQ-{today_in_oman().year}-\d{{6}}", task.reference)
    (message,) = outbox()
    assert (message.kind, message.recipient, message.language) == ("privacy_request_acknowledgement", task.email, "en")
    assert task.reference in message.subject and task.reference in message.body_text
    assert "We will answer by" in message.body_text and str(task.due_on.year) in message.body_text
    assert "ENQ-2026-000012" not in message.body_text  # nothing the person typed is sent on
    thanks = client.get(response.location).get_data(as_text=True)
    assert task.reference in thanks


def test_an_arabic_request_is_acknowledged_in_arabic(request_app, client):
    assert send(client, path="/ar/privacy/request", kind="erasure").status_code == 302
    (task,) = requests()
    assert (task.kind, task.language) == ("erasure", "ar")
    (message,) = outbox()
    assert message.language == "ar"
    assert "طلبكم بشأن بياناتكم" in message.subject and "سنرد عليكم في موعد أقصاه" in message.body_text
    assert client.get("/ar/privacy/request/thanks").status_code == 200


def test_the_deadline_is_a_setting(request_app, client, monkeypatch):
    monkeypatch.setitem(request_app.config, "PRIVACY_REQUEST_DEADLINE_DAYS", 30)
    send(client)
    assert requests()[0].due_on == today_in_oman() + timedelta(days=30)


def test_the_same_form_sent_twice_makes_one_request_and_one_email(request_app, client):
    data = {**open_form(client), **valid_request()}
    first = client.post("/privacy/request", data=data)
    second = client.post("/privacy/request", data=data)
    assert first.status_code == second.status_code == 302
    assert second.location.endswith("/privacy/request/thanks")
    assert len(requests()) == 1 and len(outbox()) == 1


def test_two_separate_requests_are_two_tasks(request_app, client):
    send(client)
    send(client, kind="correction")
    assert sorted(r.kind for r in requests()) == ["access", "correction"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": None}, "kind", "Choose what you are asking for."),
        ({"kind": "everything"}, "kind", "Choose what you are asking for."),
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address, like name@company.om."),
        ({"details": ""}, "details", "Tell us what your request is about."),
        ({"phone": "12"}, "phone", "Enter a valid phone number"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_keeping_what_was_typed(request_app, client, overrides, field, message):
    response = send(client, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error" class="invalid-feedback[^"]*">{re.escape(message)}', html)
    assert 'value="Aisha Al Balushi"' in html
    assert requests() == [] and outbox() == []


def test_bad_input_is_explained_in_arabic_on_the_arabic_page(request_app, client):
    html = send(client, path="/ar/privacy/request", kind=None).get_data(as_text=True)
    assert "اختاروا نوع طلبكم." in html


def test_a_filled_honeypot_is_kept_for_review_without_an_email(request_app, client):
    assert send(client, website="http://spam.example").status_code == 302
    (task,) = requests()
    assert task.spam_reason == "honeypot filled" and outbox() == []


def test_a_post_without_csrf_token_is_refused(request_app, client):
    data = {**open_form(client), **valid_request()}
    del data["csrf_token"]
    assert client.post("/privacy/request", data=data).status_code == 400
    assert requests() == []


def test_too_many_requests_from_one_address_are_refused(request_app, client, monkeypatch):
    monkeypatch.setitem(request_app.config, "PRIVACY_REQUEST_RATE_LIMIT", "2 per minute")
    statuses = [send(client, email="bad").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert client.get("/privacy/request").status_code == 200  # reading the form is never limited


def test_the_privacy_page_holds_the_request_form_in_its_language(request_app, client):
    for path, action in (("/privacy", "/privacy/request"), ("/ar/privacy", "/ar/privacy/request")):
        html = client.get(path).get_data(as_text=True)
        form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
        assert form and form.group(1) == action
        for name in ("csrf_token", "form_token", "name", "email", "phone", "kind", "details", "website"):
            assert f'name="{name}"' in form.group(2), (path, name)


def test_admins_see_open_requests_first_with_the_days_left(request_app, client, login_as):
    send(client)
    send(client, kind="erasure")
    late, recent = sorted(requests(), key=lambda r: r.id)
    late.received_at = utcnow() - timedelta(days=50)
    late.due_on = today_in_oman() - timedelta(days=5)
    db.session.commit()
    login_as(Role.ADMIN)
    html = client.get("/app/privacy/requests").get_data(as_text=True)
    assert html.index(late.reference) < html.index(recent.reference)
    assert "5 days overdue" in html and "45 days left" in html


def test_an_admin_moves_a_request_along_and_a_refusal_needs_its_reason(request_app, client, login_as):
    send(client)
    (task,) = requests()
    admin = login_as(Role.ADMIN)
    url = f"/app/privacy/requests/{task.id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    refused = client.post(url, data={"csrf_token": token, "status": "refused", "notes": ""})
    assert refused.status_code == 400
    assert "Say in the notes why the request is refused" in refused.get_data(as_text=True)
    done = client.post(url, data={"csrf_token": token, "status": "done", "notes": "Export sent to Aisha by e-mail."})
    assert done.status_code == 302
    db.session.refresh(task)
    assert (task.status, task.closed_at is not None) == ("done", True)
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.request_updated")).one()
    assert audit.actor_id == admin.id and audit.details["status"] == ["open", "done"]
    assert "Aisha" not in str(audit.details)  # the notes may name the person: only that they changed


def test_consultants_cannot_see_or_work_on_requests(request_app, client, login_as):
    send(client)
    (task,) = requests()
    login_as(Role.CONSULTANT)
    assert client.get("/app/privacy/requests").status_code == 403
    assert client.get(f"/app/privacy/requests/{task.id}").status_code == 403
    token = csrf_token_from(client.get("/app/leads/").get_data(as_text=True))
    response = client.post(f"/app/privacy/requests/{task.id}", data={"csrf_token": token, "status": "done"})
    assert response.status_code == 403
    db.session.refresh(task)
    assert task.status == "open"
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "privacy.request_updated")) == 0


def test_each_active_admin_is_told_in_their_language_and_nobody_else(request_app, client, make_user):
    arabic_admin = make_user(Role.ADMIN, locale="ar")
    make_user(Role.ADMIN, active=False)
    make_user(Role.CONSULTANT)
    send(client)
    (task,) = requests()
    notices = [m for m in outbox() if m.kind == "privacy_request_notification"]
    assert [(m.recipient, m.language) for m in notices] == [(arabic_admin.email, "ar")]
    assert task.reference in notices[0].subject and "طلب بشأن البيانات الشخصية" in notices[0].subject
    assert f"/app/privacy/requests/{task.id}" in notices[0].body_text
    assert "ENQ-2026-000012" not in notices[0].body_text  # the person's words stay on the request's page
