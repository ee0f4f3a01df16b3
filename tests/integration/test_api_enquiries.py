"""POST /api/v1/enquiries: an enquiry from another website becomes a lead exactly as one sent
through the website's form does (same checks, duplicate keys, score, e-mails), and every
refusal is a problem document (RFC 9457) naming each invalid field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.leads.queries.duplicates import possible_duplicates
from portal.models import Activity, Lead, OutboxMessage
from tests.fixtures.api import api_enquiry, bearer
from tests.fixtures.enquiry import submit

URL = "/api/v1/enquiries"
PROBLEM = "application/problem+json"


@pytest.fixture()
def secret(api_app, make_api_key) -> str:
    return make_api_key()


def _post(client, secret, body=None, **headers):
    return client.post(URL, json=api_enquiry() if body is None else body, headers=bearer(secret, **headers))


def test_a_created_enquiry_answers_201_with_its_reference_location_and_status_url(client, secret):
    response = _post(client, secret)

    assert response.status_code == 201
    body = response.get_json()
    lead = db.session.scalar(select(Lead))
    assert body == {
        "reference": lead.reference,
        "status": "received",
        "status_url": f"http://127.0.0.1:5000/api/v1/enquiries/{lead.reference}",
    }
    assert response.headers["Location"] == body["status_url"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response.headers


def test_the_lead_holds_what_was_sent_with_its_source_and_two_emails(client, secret):
    _post(client, secret)

    lead = db.session.scalar(select(Lead))
    assert (lead.contact_name, lead.email_normalised, lead.company, lead.phone) == (
        "Aisha Al Balushi",
        "aisha@example.om",
        "Al Noor Trading LLC",
        "+96892123456",
    )
    assert [s.slug for s in lead.standards] == ["iso-9001", "iso-45001"]
    assert (lead.sector.code, lead.employees, lead.sites, lead.region.slug) == (28, 40, 2, "muscat")
    assert (lead.source, lead.status, lead.language) == ("api", "new", "en")
    assert lead.consent_at is not None
    activity = db.session.scalar(select(Activity).where(Activity.lead_id == lead.id))
    assert activity.details == {"source": "api"} and activity.body == "Enquiry received through the API."
    kinds = sorted(m.kind for m in db.session.scalars(select(OutboxMessage)))
    assert kinds == ["enquiry_acknowledgement", "enquiry_notification"]


def test_the_api_scores_an_enquiry_as_the_website_form_does(client, secret, enquiry_app):
    _post(client, secret)
    submit(client, email="other@example.om", company="Another Company", phone="9333 4444")

    api_lead, form_lead = db.session.scalars(select(Lead).order_by(Lead.id)).all()
    assert form_lead.source == "form"
    assert api_lead.score == form_lead.score
    assert api_lead.score_factors == form_lead.score_factors


def test_a_second_enquiry_from_the_same_contact_is_found_as_a_possible_duplicate(client, secret):
    _post(client, secret)
    _post(client, secret, api_enquiry(email="aisha@example.om", company="Al Noor Trading L.L.C."))

    first, second = db.session.scalars(select(Lead).order_by(Lead.id)).all()
    assert [d.lead.id for d in possible_duplicates(second)] == [first.id]


@pytest.mark.parametrize(
    ("headers", "body_language", "expected"),
    [
        ({}, "ar", "ar"),
        ({"Content-Language": "ar"}, None, "ar"),
        ({"Content-Language": "en", "Accept-Language": "ar"}, None, "en"),
        ({"Accept-Language": "ar-OM, en;q=0.5"}, None, "ar"),
        ({}, None, "en"),
    ],
)
def test_the_acknowledgement_is_written_in_the_asked_language(client, secret, headers, body_language, expected):
    _post(client, secret, api_enquiry(language=body_language), **headers)

    lead = db.session.scalar(select(Lead))
    acknowledgement = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "enquiry_acknowledgement"))
    assert lead.language == expected
    assert acknowledgement.language == expected
    if expected == "ar":
        assert "استفسار" in acknowledgement.subject


def _errors(response) -> dict[str, str]:
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 422 and problem["type"] == "/api/v1/problems/validation"
    assert all(entry["pointer"] == "/" + entry["name"] for entry in problem["errors"])
    return {entry["name"]: entry["message"] for entry in problem["errors"]}


def test_missing_required_fields_each_get_the_web_forms_message(client, secret):
    body = api_enquiry(contact_name=None, email=None, company=None, standards=None, consent=None)

    errors = _errors(_post(client, secret, body))

    assert errors == {
        "contact_name": "Tell us your name.",
        "email": "Tell us your e-mail address.",
        "company": "Tell us your company's name.",
        "standards": "Choose at least one standard.",
        "consent": "We need your consent to contact you about your enquiry.",
    }
    assert db.session.scalar(select(Lead)) is None
    assert db.session.scalar(select(OutboxMessage)) is None


def test_invalid_values_are_refused_field_by_field(client, secret):
    body = api_enquiry(
        email="not-an-address",
        phone="12",
        standards=["iso-9001", "iso-99999"],
        location="atlantis",
        sector=99,
        employees=0,
        timeline="someday",
        consent=False,
        language="fr",
        wanted_by="2001-01-01",
    )

    errors = _errors(_post(client, secret, body))

    assert set(errors) == {
        "email",
        "phone",
        "standards",
        "location",
        "sector",
        "employees",
        "timeline",
        "consent",
        "language",
        "wanted_by",
    }
    assert errors["location"] == "Choose a location from the list."
    assert errors["employees"] == "Enter a number from 1 to 1,000,000."
    assert errors["wanted_by"] == "Choose a date in the future."


def test_values_of_the_wrong_json_type_are_named(client, secret):
    body = api_enquiry(contact_name=["Aisha"], standards="iso-9001", employees="forty", consent={"yes": 1})

    errors = _errors(_post(client, secret, body))

    assert errors == {
        "contact_name": "Send this value as text.",
        "standards": 'Send a list of standards, such as ["iso-9001"].',
        "employees": "Send this value as a whole number.",
        "consent": "Send this value as true or false.",
    }


def test_problems_speak_the_clients_language(client, secret):
    errors = _errors(_post(client, secret, api_enquiry(contact_name=None), **{"Accept-Language": "ar"}))

    assert errors["contact_name"] != "Tell us your name."
    assert any("\u0600" <= char <= "\u06ff" for char in errors["contact_name"])


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ('{"contact_name": ', "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ("contact_name=Aisha", "application/x-www-form-urlencoded", 415),
        ("{}", "text/plain", 415),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_problem(client, secret, data, content_type, status):
    response = client.post(URL, data=data, content_type=content_type, headers=bearer(secret))

    assert response.status_code == status
    assert response.mimetype == PROBLEM
    assert response.get_json()["status"] == status and response.get_json()["detail"]


def test_a_body_over_the_limit_is_413(client, secret, monkeypatch, app):
    monkeypatch.setitem(app.config, "API_MAX_BODY_BYTES", 1024)

    response = _post(client, secret, api_enquiry(message="x" * 2000))

    assert response.status_code == 413 and response.mimetype == PROBLEM
    assert db.session.scalar(select(Lead)) is None


def test_an_unknown_api_address_and_a_wrong_method_are_problems_too(client, secret):
    missing = client.get("/api/v1/nothing-here", headers=bearer(secret))
    wrong_method = client.delete(URL, headers=bearer(secret))

    assert (missing.status_code, missing.mimetype) == (404, PROBLEM)
    assert (wrong_method.status_code, wrong_method.mimetype) == (405, PROBLEM)


def test_the_api_needs_no_csrf_token_while_the_website_form_still_does(client, secret, enquiry_app):
    assert _post(client, secret).status_code == 201
    assert client.post("/enquire", data={"contact_name": "x"}).status_code == 400
