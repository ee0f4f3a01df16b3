"""The breach register: admins only, every change audited, and a clock against the legal
deadline for notifying the authority (BREACH_NOTIFICATION_HOURS after discovery)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.models import AuditLog, PersonalDataBreach, Role
from portal.models.types import utcnow
from tests.fixtures.auth import csrf_token_from


def typed(moment) -> str:
    """A time as the browser's date-time field sends it (Oman time)."""
    return moment.astimezone(MUSCAT).strftime("%Y-%m-%dT%H:%M")


def breach_form(client, url: str, **fields):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    data = {
        "title": "Laptop with enquiry exports stolen",
        "description": "A consultant's laptop was stolen from a car in Ruwi.",
        "occurred_at": "",
        "discovered_at": typed(utcnow() - timedelta(hours=5)),
        "data_categories": "names, e-mail addresses, phone numbers",
        "people_categories": "enquirers",
        "people_affected": "120",
        "measures": "Passwords changed; device wiped remotely.",
        "authority_notified_at": "",
        "people_notified_at": "",
        **fields,
    }
    return client.post(url, data={"csrf_token": token, **data})


def only_breach() -> PersonalDataBreach:
    return db.session.scalars(select(PersonalDataBreach)).one()


def test_an_admin_records_a_breach_and_sees_the_clock_running(app, client, login_as):
    admin = login_as(Role.ADMIN)
    response = breach_form(client, "/app/privacy/breaches/new")
    breach = only_breach()
    assert response.status_code == 302 and response.location.endswith(f"/app/privacy/breaches/{breach.id}")
    assert (breach.people_affected, breach.created_by_id, breach.authority_notified_at) == (120, admin.id, None)
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.breach_recorded")).one()
    assert (audit.actor_id, audit.subject_id, audit.details["people_affected"]) == (admin.id, breach.id, 120)

    page = client.get(response.location).get_data(as_text=True)
    assert 'data-testid="clock-running"' in page
    assert "5 h since it was found; 66 h left of the 72 h deadline." in page


def test_a_breach_past_the_deadline_shows_overdue_on_the_list_and_its_page(app, client, login_as):
    login_as(Role.ADMIN)
    breach_form(client, "/app/privacy/breaches/new", discovered_at=typed(utcnow() - timedelta(hours=80)))
    listing = client.get("/app/privacy/breaches").get_data(as_text=True)
    assert re.search(r'data-testid="clock-overdue">Overdue<', listing)
    page = client.get(f"/app/privacy/breaches/{only_breach().id}").get_data(as_text=True)
    assert "the 72 h deadline passed 8 h ago" in page


def test_the_deadline_is_a_setting(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "BREACH_NOTIFICATION_HOURS", 4)
    login_as(Role.ADMIN)
    breach_form(client, "/app/privacy/breaches/new")
    assert 'data-testid="clock-overdue"' in client.get("/app/privacy/breaches").get_data(as_text=True)


def test_recording_the_notifications_stops_the_clock_and_is_audited_field_by_field(app, client, login_as):
    login_as(Role.ADMIN)
    found = utcnow() - timedelta(hours=100)
    breach_form(client, "/app/privacy/breaches/new", discovered_at=typed(found))
    breach = only_breach()
    notified = typed(found + timedelta(hours=30))
    response = breach_form(
        client,
        f"/app/privacy/breaches/{breach.id}/edit",
        discovered_at=typed(found),
        authority_notified_at=notified,
        people_notified_at=notified,
    )
    assert response.status_code == 302
    page = client.get(f"/app/privacy/breaches/{breach.id}").get_data(as_text=True)
    assert 'data-testid="clock-on_time"' in page and "notified 30 h after it was found" in page
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.breach_updated")).one()
    assert set(audit.details) == {"authority_notified_at", "people_notified_at"}
    assert audit.details["authority_notified_at"][0] is None


def test_the_edit_form_shows_the_stored_times_in_oman_time(app, client, login_as):
    login_as(Role.ADMIN)
    found = typed(utcnow() - timedelta(hours=3))
    breach_form(client, "/app/privacy/breaches/new", discovered_at=found)
    html = client.get(f"/app/privacy/breaches/{only_breach().id}/edit").get_data(as_text=True)
    assert f'value="{found}"' in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"discovered_at": "2099-01-01T10:00"}, "discovered_at", "The breach cannot be found in the future."),
        (
            {"occurred_at": typed(utcnow() - timedelta(hours=1))},
            "occurred_at",
            "A breach cannot happen after it was found.",
        ),
        (
            {"authority_notified_at": "2099-01-01T10:00"},
            "authority_notified_at",
            "A notification cannot be in the future.",
        ),
        ({"discovered_at": ""}, "discovered_at", "Give the date and time."),
        ({"people_affected": "-3"}, "people_affected", "Give a whole number, 0 or more."),
    ],
)
def test_impossible_entries_are_refused_next_to_their_field(app, client, login_as, fields, field, message):
    login_as(Role.ADMIN)
    response = breach_form(client, "/app/privacy/breaches/new", **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error" class="invalid-feedback">{re.escape(message)}<', html)
    assert "Laptop with enquiry exports stolen" in html  # what was typed stays
    assert db.session.scalar(select(func.count(PersonalDataBreach.id))) == 0


def test_consultants_and_visitors_cannot_open_or_change_the_register(app, client, login_as, make_user):
    admin = make_user(Role.ADMIN)
    breach = PersonalDataBreach(title="Test", discovered_at=utcnow(), created_by=admin)
    db.session.add(breach)
    db.session.commit()
    urls = [
        "/app/privacy/breaches",
        "/app/privacy/breaches/new",
        f"/app/privacy/breaches/{breach.id}",
        f"/app/privacy/breaches/{breach.id}/edit",
    ]
    assert {client.get(url).status_code for url in urls} == {302}  # to the login page
    login_as(Role.CONSULTANT)
    assert {client.get(url).status_code for url in urls} == {403}
    token = csrf_token_from(client.get("/app/leads/").get_data(as_text=True))
    assert client.post("/app/privacy/breaches/new", data={"csrf_token": token, "title": "x"}).status_code == 403
    assert db.session.scalar(select(func.count(PersonalDataBreach.id))) == 1
    assert "/app/privacy/breaches" not in client.get("/app/leads/").get_data(as_text=True)
