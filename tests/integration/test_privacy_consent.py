"""Consent recorded, not just ticked: each enquiry keeps the privacy-notice version it agreed to,
when, in which language and from which page; marketing has its own unticked box, recorded apart;
changing the notice's text publishes a new version that the privacy page and later enquiries use."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog, ConsentRecord, Lead, PrivacyNotice, Role
from portal.privacy.notices import texts_in_force
from tests.fixtures.api import api_enquiry, bearer
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.enquiry import submit


def consents_of(lead: Lead) -> dict[str, ConsentRecord]:
    return {record.purpose: record for record in lead.consent_records}


def only_lead() -> Lead:
    return db.session.scalars(select(Lead)).one()


def publish(client, body_en: str, body_ar: str):
    html = client.get("/app/privacy/notice").get_data(as_text=True)
    return client.post(
        "/app/privacy/notice", data={"csrf_token": csrf_token_from(html), "body_en": body_en, "body_ar": body_ar}
    )


def test_an_english_enquiry_records_the_notice_version_time_language_and_page(enquiry_app, client):
    assert submit(client).status_code == 302
    lead = only_lead()
    records = consents_of(lead)
    enquiry = records["enquiry"]
    assert (enquiry.granted, enquiry.language, enquiry.page, enquiry.path) == (True, "en", "form", "/enquire")
    assert enquiry.notice.number == 1
    assert enquiry.recorded_at == lead.consent_at
    # Nobody ticked the marketing box: recorded as refused, on the same notice.
    assert (records["marketing"].granted, records["marketing"].notice.number) == (False, 1)


def test_an_arabic_enquiry_with_marketing_ticked_records_both_apart(enquiry_app, client):
    assert submit(client, path="/ar/enquire", marketing_consent="y").status_code == 302
    records = consents_of(only_lead())
    assert {purpose: (r.granted, r.language, r.path) for purpose, r in records.items()} == {
        "enquiry": (True, "ar", "/ar/enquire"),
        "marketing": (True, "ar", "/ar/enquire"),
    }


def test_the_marketing_box_is_its_own_field_and_never_ticked_in_advance(enquiry_app, client):
    for path in ("/enquire", "/ar/enquire"):
        html = client.get(path).get_data(as_text=True)
        box = re.search(r"<input[^>]*name=\"marketing_consent\"[^>]*>", html)
        assert box and "checked" not in box.group(0) and 'type="checkbox"' in box.group(0)
        assert re.search(r'<input[^>]*name="consent"', html)  # the enquiry's consent stays a box of its own


def test_marketing_consent_does_not_stand_in_for_the_enquiry_consent(enquiry_app, client):
    response = submit(client, consent=None, marketing_consent="y")
    assert response.status_code == 200
    assert "We need your consent to contact you about your enquiry." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ConsentRecord.id))) == 0


@pytest.mark.parametrize("marketing", [True, None])
def test_an_api_enquiry_records_its_consents_against_the_api(api_app, client, make_api_key, marketing):
    body = api_enquiry(language="ar", **({"marketing_consent": marketing} if marketing is not None else {}))
    response = client.post("/api/v1/enquiries", json=body, headers=bearer(make_api_key()))
    assert response.status_code == 201
    records = consents_of(only_lead())
    assert (records["enquiry"].page, records["enquiry"].path, records["enquiry"].language) == (
        "api",
        "/api/v1/enquiries",
        "ar",
    )
    assert records["enquiry"].granted is True
    assert records["marketing"].granted is bool(marketing)  # left out of the JSON: not given


def test_the_privacy_page_shows_its_version_and_date_in_both_languages(enquiry_app, client):
    english = client.get("/privacy").get_data(as_text=True)
    assert re.search(
        r'data-testid="notice-version">Version <bdi dir="ltr">1</bdi>, published December 6, 2026', english
    )
    assert 'action="/privacy/request"' in english  # the request form is on the page
    arabic = client.get("/ar/privacy").get_data(as_text=True)
    assert "الإصدار" in arabic and "قانون حماية البيانات الشخصية" in arabic


def test_changed_text_publishes_a_new_version_used_from_then_on(enquiry_app, client, login_as):
    submit(client)
    first = only_lead()
    admin = login_as(Role.ADMIN)
    texts = texts_in_force()
    response = publish(client, texts["body_en"] + "\n\n## Marketing\nWe ask before we send news.", texts["body_ar"])
    assert response.status_code == 302
    assert [n.number for n in db.session.scalars(select(PrivacyNotice).order_by(PrivacyNotice.number))] == [1, 2]
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.notice_published")).one()
    assert (audit.actor_id, audit.details["number"]) == (admin.id, 2)

    page = client.get("/privacy").get_data(as_text=True)
    assert 'Version <bdi dir="ltr">2</bdi>' in page and "<h2>Marketing</h2>" in page
    submit(client, email="second@example.om")
    second = db.session.scalars(select(Lead).where(Lead.email == "second@example.om")).one()
    assert consents_of(second)["enquiry"].notice.number == 2
    assert consents_of(first)["enquiry"].notice.number == 1  # earlier consents keep what was shown


def test_publishing_the_same_words_again_is_refused(enquiry_app, client, login_as):
    login_as(Role.ADMIN)
    texts = texts_in_force()
    response = publish(client, texts["body_en"] + "\n", texts["body_ar"])
    assert response.status_code == 400
    assert "nothing to publish" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PrivacyNotice.id))) <= 1


def test_an_empty_translation_is_refused_next_to_its_field_keeping_the_other(enquiry_app, client, login_as):
    login_as(Role.ADMIN)
    response = publish(client, "## New\nA new English text.", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="body_ar-error"[^>]*>Write the notice in Arabic.<', html)
    assert "A new English text." in html


def test_notice_text_is_shown_as_text_never_as_markup(enquiry_app, client, login_as):
    login_as(Role.ADMIN)
    publish(client, "<script>alert(1)</script> plain", "نص <b>عربي</b>")
    html = client.get("/privacy").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; plain" in html


def test_only_admins_edit_the_notice(enquiry_app, client, login_as):
    assert client.get("/app/privacy/notice").status_code == 302  # to the login page
    login_as(Role.CONSULTANT)
    assert client.get("/app/privacy/notice").status_code == 403
    token = csrf_token_from(client.get("/app/leads/").get_data(as_text=True))
    response = client.post("/app/privacy/notice", data={"csrf_token": token, "body_en": "x", "body_ar": "y"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(PrivacyNotice.id))) == 0


def test_the_lead_page_shows_what_was_agreed(enquiry_app, client, login_as):
    submit(client, marketing_consent="y")
    lead = only_lead()
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    enquiry = re.search(r'data-testid="consent-enquiry">(.*?)</li>', html, re.S).group(1)
    marketing = re.search(r'data-testid="consent-marketing">(.*?)</li>', html, re.S).group(1)
    assert "Contact about this enquiry" in enquiry and "given" in enquiry and "version 1" in enquiry
    assert "News and offers by e-mail" in marketing and "not given" not in marketing
    assert "/enquire" in enquiry


def test_a_visitor_sees_the_new_version_at_once_even_from_the_page_cache(enquiry_app, client, login_as):
    visitor = enquiry_app.test_client()
    assert 'Version <bdi dir="ltr">1</bdi>' in visitor.get("/privacy").get_data(as_text=True)
    assert 'Version <bdi dir="ltr">1</bdi>' in visitor.get("/privacy").get_data(as_text=True)  # kept
    login_as(Role.ADMIN)
    texts = texts_in_force()
    assert publish(client, texts["body_en"] + " Updated.", texts["body_ar"]).status_code == 302
    assert 'Version <bdi dir="ltr">2</bdi>' in visitor.get("/privacy").get_data(as_text=True)
