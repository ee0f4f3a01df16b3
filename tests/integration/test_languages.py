"""Each person reads the portal in their own language: clients the language of their enquiry,
staff the one on their account page, certification bodies the one of their link page.

The Arabic catalogue may still be empty, so these tests check what holds before and after
translation: the language recorded on the lead, the user and the outbox message (sent as
Content-Language), the page's `lang`, and dates written with the locale's digits when
ARABIC_DIGITS = "arab" (only a render under the Arabic locale writes them).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.test import encode_multipart

from portal.core import outbox
from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.leads import services as lead_services
from portal.models import Lead, OutboxMessage, Role, User
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.enquiry import submit
from tests.fixtures.quotes import body_taking_quotes, engagement_for_quotes, link

ARABIC_INDIC = re.compile("[٠-٩]")


def messages(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


def html_lang(html: str) -> str:
    match = re.search(r'<html[^>]* lang="([^"]+)"', html)
    assert match, html[:300]
    return match.group(1)


@pytest.fixture()
def arabic_digits(app, monkeypatch):
    monkeypatch.setitem(app.config, "ARABIC_DIGITS", "arab")


# --- clients: the language of their enquiry ----------------------------------------------


def test_an_arabic_enquiry_is_answered_in_arabic_and_notifies_staff_in_their_language(
    enquiry_app, client, make_user, monkeypatch
):
    make_user(email="arabic@example.om", locale="ar")
    monkeypatch.setitem(enquiry_app.config, "NOTIFY_EMAILS", ["arabic@example.om", "desk@example.om"])
    assert submit(client, path="/ar/enquire").status_code == 302

    lead = db.session.scalars(select(Lead)).one()
    assert lead.language == "ar"
    (acknowledgement,) = messages("enquiry_acknowledgement")
    assert acknowledgement.language == "ar"
    assert outbox._mail_message(acknowledgement).extra_headers["Content-Language"] == "ar"
    # Staff read in their own language: the Arabic-speaking consultant in Arabic, a shared desk
    # (no account) in the firm's default, whatever the visitor's language.
    assert [(m.recipient, m.language) for m in messages("enquiry_notification")] == [
        ("arabic@example.om", "ar"),
        ("desk@example.om", "en"),
    ]


def test_an_english_enquiry_is_answered_in_english(enquiry_app, client):
    assert submit(client).status_code == 302
    assert db.session.scalars(select(Lead)).one().language == "en"
    assert [m.language for m in messages("enquiry_acknowledgement")] == ["en"]


def test_later_emails_to_the_client_are_in_the_language_of_the_enquiry(app, reference, make_lead, make_user):
    consultant = make_user(locale="en")
    lead = make_lead(language="ar")
    lead_services.send_email(lead, consultant, "follow_up")
    (message,) = messages("lead_follow_up")
    assert message.language == "ar"  # the consultant's own language does not matter here


# --- staff: the language of their account page ------------------------------------------


def test_choosing_arabic_on_the_account_page_turns_the_workspace_arabic(client, login_as):
    user = login_as(Role.CONSULTANT)
    page = client.get("/auth/account").get_data(as_text=True)
    assert html_lang(page) == "en"
    assert 'data-testid="language"' in page

    response = client.post("/auth/account/language", data={"csrf_token": csrf_token_from(page), "locale": "ar"})
    assert response.status_code == 302
    assert db.session.get(User, user.id).locale == "ar"
    workspace = client.get("/app/leads/").get_data(as_text=True)
    assert html_lang(workspace) == "ar" and 'dir="rtl"' in workspace
    assert html_lang(client.get("/auth/account").get_data(as_text=True)) == "ar"


def test_a_language_the_portal_does_not_speak_is_refused(client, login_as):
    user = login_as(Role.CONSULTANT)
    page = client.get("/auth/account").get_data(as_text=True)
    response = client.post("/auth/account/language", data={"csrf_token": csrf_token_from(page), "locale": "fr"})
    assert response.status_code == 400
    field = response.get_data(as_text=True).split('id="locale"')[1]
    assert "Choose a language from the list." in field.split("</div>")[0]
    assert db.session.get(User, user.id).locale == "en"


def test_the_public_pages_keep_the_visitor_s_language_for_arabic_staff(client, login_as):
    login_as(Role.CONSULTANT, locale="ar")
    assert html_lang(client.get("/").get_data(as_text=True)) == "en"


def test_emails_to_staff_are_in_their_language(app, reference, make_lead, make_user, arabic_digits):
    arabic = make_user(locale="ar")
    english = make_user(locale="en")
    lead = make_lead()
    lead_services.assign(lead, arabic, english)
    (assigned,) = messages("lead_assigned")
    assert assigned.language == "ar"

    from portal.auth.services import send_reset_link

    send_reset_link(arabic)
    send_reset_link(english)
    assert [m.language for m in messages("password_reset")] == ["ar", "en"]


# --- certification bodies: the language of their link page ------------------------------


@pytest.fixture()
def owner(make_user) -> User:
    return make_user(Role.CONSULTANT, email="owner@example.om", locale="ar")


@pytest.fixture()
def requested(app, reference, owner, make_quote):
    return make_quote(
        engagement_for_quotes(owner), status="requested", certification_body=body_taking_quotes("Gulf Assurance")
    )


def test_the_quote_request_email_offers_the_link_page_in_every_language(app, reference, owner):
    from portal.quotes.services import request_quotes

    engagement = engagement_for_quotes(owner)
    body = body_taking_quotes("Gulf Assurance")
    request_quotes(engagement, [body.id], owner)
    (message,) = messages("quote_request")
    assert message.language == "en"  # a body has no account: the firm's language
    links = re.findall(r"https?://\S+/q/\S+", message.body_text)
    assert len(links) == 2 and links[1] == links[0] + "?lang=ar"
    assert "العربية: " + links[1] in message.body_text


def test_the_link_page_speaks_its_lang_argument_through_the_form_post(client, requested, arabic_digits):
    path = link(requested)  # signed with the time: made once
    english = client.get(path).get_data(as_text=True)
    assert html_lang(english) == "en"
    assert f'href="{path}?lang=ar"' in english  # the switch

    url = path + "?lang=ar"
    page = client.get(url).get_data(as_text=True)
    assert html_lang(page) == "ar"
    assert ARABIC_INDIC.search(page.split('data-testid="job-summary"')[1])  # the wanted-by date

    data = {
        "csrf_token": csrf_token_from(page),
        "initial_fee": "2400.500",
        "surveillance_fee": "900",
        "recertification_fee": "1800",
        "initial_audit_days": "4.5",
        "valid_until": (today_in_oman() + timedelta(days=90)).isoformat(),
    }
    boundary, body = encode_multipart(MultiDict(data))
    response = client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?lang=ar")
    assert requested.initial_fee == Decimal("2400.500")
    # The owner, who reads Arabic, is told in Arabic: the amounts and date in Arabic-Indic digits.
    (told,) = messages("quote_received")
    assert told.language == "ar"
    assert ARABIC_INDIC.search(told.body_text) and "ر.ع." in told.body_text


def test_an_unknown_lang_argument_is_ignored(client, requested):
    assert html_lang(client.get(link(requested) + "?lang=xx").get_data(as_text=True)) == "en"


def test_reminders_are_written_in_their_owner_s_language(app, runner, make_user, reference, arabic_digits):
    from datetime import date

    from tests.fixtures.engagements import add_engagement

    today = date(2026, 6, 1)
    for owner in (make_user(locale="ar"), make_user(locale="en")):
        engagement = add_engagement(owner=owner, stage="certified", decision_date=date(2025, 7, 16))
        engagement.surveillance_1_due = date(2026, 7, 16)
    db.session.commit()
    result = runner.invoke(args=["reminders", "run", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    arabic, english = messages("reminder_audit_surveillance_1")
    assert (arabic.language, english.language) == ("ar", "en")
    assert "٢٠٢٦-٠٧-١٦" in arabic.subject and "2026-07-16" in english.subject  # the subject worded when sent
