"""Directory pages: consultants read, admins create, edit and deactivate, every change audited."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, CertificationBody, Role
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.registrars import add_body

pytestmark = pytest.mark.usefixtures("reference")

BODY_FORM = {
    "name": "Wadi Certification",
    "slug": "",
    "website": "https://wadi.example.com",
    "contact_name": "Salim",
    "email": "audits@wadi.example.com",
    "phone": "2412 3456",
    "country": "Oman",
    "regions": ["muscat-governorate", "dhofar"],
    "languages": ["ar", "en"],
    "day_rate": "275.500",
    "travel_charged": "y",
    "travel_fee": "40",
    "lead_time_days": "14",
    "active": "y",
    "notes": "",
}


def post_form(client, url: str, data: dict):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


ADMIN_ONLY = [
    ("get", "/app/registrars/new"),
    ("get", "/app/registrars/{slug}/edit"),
    ("post", "/app/registrars/{slug}/deactivate"),
    ("get", "/app/registrars/{slug}/accreditations/new"),
    ("get", "/app/registrars/{slug}/accreditations/{acc}/edit"),
    ("get", "/app/registrars/import"),
    ("post", "/app/registrars/import/confirm"),
    ("get", "/app/registrars/import/template.csv"),
]


@pytest.mark.parametrize(("method", "url"), ADMIN_ONLY)
def test_consultants_cannot_change_the_directory(client, login_as, method, url):
    body = add_body()
    login_as(Role.CONSULTANT)
    url = url.format(slug=body.slug, acc=body.accreditations[0].id)
    if method == "post":  # with a valid token, so the refusal is the permission check
        token = csrf_token_from(client.get("/app/registrars/").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token, "token": "x"})
    else:
        response = client.get(url)
    assert response.status_code == 403


def test_consultants_read_the_list_and_profile_without_edit_buttons(client, login_as):
    body = add_body(name="Read Only Registrar")
    login_as(Role.CONSULTANT)
    listing = client.get("/app/registrars/").get_data(as_text=True)
    assert "Read Only Registrar" in listing
    assert "Add certification body" not in listing and "Import CSV" not in listing
    profile = client.get(f"/app/registrars/{body.slug}").get_data(as_text=True)
    assert "ISO 9001" in profile
    assert f"/app/registrars/{body.slug}/edit" not in profile
    assert "Deactivate" not in profile


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/app/registrars/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_admin_creates_a_body_and_the_audit_log_keeps_its_values(client, login_as):
    admin = login_as(Role.ADMIN)
    response = post_form(client, "/app/registrars/new", BODY_FORM)
    assert response.status_code == 302
    body = db.session.scalar(select(CertificationBody).where(CertificationBody.slug == "wadi-certification"))
    assert body.phone == "+96824123456"
    assert body.day_rate == Decimal("275.500")
    assert body.languages == ["ar", "en"]
    assert sorted(r.slug for r in body.regions) == ["dhofar", "muscat-governorate"]
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "registrars.body_created"))
    assert entry.actor_id == admin.id
    assert entry.details["after"]["day_rate"] == "275.500"
    assert entry.details["after"]["travel_fee"] == "40.000"


def test_field_errors_are_shown_next_to_the_fields_and_typed_values_kept(client, login_as):
    login_as(Role.ADMIN)
    add_body(slug="taken")
    data = {**BODY_FORM, "slug": "taken", "email": "not-an-email", "phone": "12", "website": "wadi"}
    response = post_form(client, "/app/registrars/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Another certification body already uses this slug." in html
    assert "Enter a valid e-mail address" in html
    assert "Enter a valid phone number" in html
    assert "starting with https://" in html
    assert 'value="not-an-email"' in html
    assert db.session.scalar(select(CertificationBody).where(CertificationBody.name == "Wadi Certification")) is None


@pytest.mark.parametrize("day_rate", ["abc", "sNaN", "NaN", "Infinity", "1E+400"])
def test_a_bad_day_rate_is_a_message_not_a_crash(client, login_as, day_rate):
    login_as(Role.ADMIN)
    response = post_form(client, "/app/registrars/new", {**BODY_FORM, "day_rate": day_rate})
    assert response.status_code == 400
    assert f'value="{day_rate}"' in response.get_data(as_text=True)


def test_edit_records_before_and_after_and_refuses_a_stale_form(client, login_as):
    login_as(Role.ADMIN)
    body = add_body(day_rate=Decimal("300"))
    url = f"/app/registrars/{body.slug}/edit"
    page = client.get(url).get_data(as_text=True)
    data = {**BODY_FORM, "name": body.name, "slug": body.slug, "day_rate": "320.000", "version": str(body.version)}
    token = csrf_token_from(page)
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "registrars.body_updated"))
    assert entry.details["changes"]["day_rate"] == ["300.000", "320.000"]
    # The same (now stale) form again: refused, nothing overwritten.
    stale = client.post(url, data={**data, "day_rate": "999", "csrf_token": token})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CertificationBody, body.id).day_rate == Decimal("320.000")


def test_deactivate_needs_the_csrf_token_and_keeps_the_body(client, login_as):
    login_as(Role.ADMIN)
    body = add_body(name="Soon Inactive")
    assert client.post(f"/app/registrars/{body.slug}/deactivate").status_code == 400
    page = client.get(f"/app/registrars/{body.slug}").get_data(as_text=True)
    response = client.post(f"/app/registrars/{body.slug}/deactivate", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CertificationBody, body.id).active is False
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "registrars.body_deactivated"))
    row = f'data-slug="{body.slug}"'
    assert row not in client.get("/app/registrars/").get_data(as_text=True)
    assert row in client.get("/app/registrars/?active=all").get_data(as_text=True)
    assert client.get(f"/app/registrars/{body.slug}").status_code == 200


def accreditation_form(**overrides) -> dict:
    values = {
        "accreditation_body": "UKAS",
        "standard": "ISO 14001",
        "sectors": ["28"],
        "number": "UKAS-EMS-9",
        "valid_from": "2025-01-01",
        "valid_until": "2028-01-01",
        "status": "active",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"valid_until": "2024-12-31"}, "The end date must be after the start date."),
        ({"sectors": []}, "Choose at least one IAF/EA sector"),
        (
            {"accreditation_body": "GAC", "standard": "ISO 9001", "number": "NEW-1"},
            "Overlaps active accreditation",
        ),
        ({"number": "R-EXISTING"}, "already has an accreditation with this number"),
    ],
)
def test_accreditation_rules_are_messages_on_the_form(client, login_as, overrides, message):
    login_as(Role.ADMIN)
    body = add_body(accreditations=({"number": "R-EXISTING"},))
    response = post_form(client, f"/app/registrars/{body.slug}/accreditations/new", accreditation_form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert [a.number for a in db.session.get(CertificationBody, body.id).accreditations] == ["R-EXISTING"]


def test_standards_with_other_category_schemes_need_no_sectors(client, login_as):
    login_as(Role.ADMIN)
    body = add_body(accreditations=())
    form = accreditation_form(standard="ISO 22000", sectors=[], number="FSMS-1")
    response = post_form(client, f"/app/registrars/{body.slug}/accreditations/new", form)
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "registrars.accreditation_created"))
    assert entry.details["after"]["standard"] == "ISO 22000"
    assert entry.details["after"]["sectors"] == []


def test_editing_an_accreditation_is_audited(client, login_as):
    login_as(Role.ADMIN)
    body = add_body()
    acc = body.accreditations[0]
    url = f"/app/registrars/{body.slug}/accreditations/{acc.id}/edit"
    data = accreditation_form(
        accreditation_body="GAC", standard="ISO 9001", number=acc.number, status="suspended", sectors=["28", "35"]
    )
    data.update(
        valid_from=acc.valid_from.isoformat(), valid_until=acc.valid_until.isoformat(), version=str(acc.version)
    )
    assert post_form(client, url, data).status_code == 302
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "registrars.accreditation_updated"))
    assert entry.details["changes"] == {"status": ["active", "suspended"]}


def test_profile_groups_accreditations_and_warns(client, login_as):
    login_as(Role.CONSULTANT)
    today = date.today()
    body = add_body(
        accreditations=(
            {"number": "OK-1"},
            {"number": "SOON-1", "standard": "iso-14001", "valid_until": today + timedelta(days=30)},
            {"number": "OLD-1", "standard": "iso-45001", "valid_until": today - timedelta(days=3)},
            {"number": "SUS-1", "standard": "iso-27001", "sectors": (33,), "status": "suspended"},
        )
    )
    html = client.get(f"/app/registrars/{body.slug}").get_data(as_text=True)
    warnings = html.split('data-testid="warnings"')[1].split("</div>")[0]
    warnings = re.sub(r"</?bdi[^>]*>", "", warnings)  # the numbers are isolated as left-to-right text
    assert "SOON-1: Expires within 90 days" in warnings
    assert "OLD-1: Expired" in warnings
    assert "SUS-1: Suspended" in warnings
    assert "OK-1" not in warnings
    assert 'id="standard-iso-14001"' in html
    assert "No quote requests yet." in html


def test_unknown_body_is_404(client, login_as):
    login_as(Role.CONSULTANT)
    assert client.get("/app/registrars/no-such-body").status_code == 404


def test_track_record_counts_the_quote_requests(client, login_as, make_engagement, make_quote):
    login_as(Role.CONSULTANT)
    body = add_body()
    engagement = make_engagement(client_name="Client LLC", standards=())
    sent = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    for status, days in (("accepted", 2), ("declined", 4), ("received", 9), ("requested", None)):
        received = sent + timedelta(days=days) if days is not None else None
        make_quote(engagement, status=status, certification_body=body, requested_at=sent, received_at=received)
    html = client.get(f"/app/registrars/{body.slug}").get_data(as_text=True)
    record = html.split('data-testid="track-record"')[1].split("</dl>")[0]
    numbers = re.findall(r'<dd class="col-sm-5">([^<]+)</dd>', record)
    assert numbers == ["4", "3", "1", "4.0"]  # sent, answered, accepted, median days to answer
    assert "No quote requests yet." not in html
