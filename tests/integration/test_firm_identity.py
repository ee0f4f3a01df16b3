"""The firm's own name is configuration: every page, e-mail and piece of structured data
says FIRM_NAME (and the legal name, address and CR number once set), and a name with
"ISO" in it is refused at start-up, as ISO asks that its name not be used in company names."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import create_app
from portal.auth.services import send_invitation, send_reset_link
from portal.config import DEFAULT_FIRM_NAME, ConfigError
from portal.extensions import db
from portal.models import OutboxMessage
from tests.fixtures.enquiry import submit
from tests.fixtures.pages import facts
from tests.integration.test_public_pages import CONTENT_PAGES

FIRM = {
    "FIRM_NAME": "Wadi Hawar Quality Advisors",
    "FIRM_LEGAL_NAME": "Wadi Hawar Quality Advisors LLC",
    "FIRM_ADDRESS": "Way 2731, Building 148, Al Khuwair, Muscat",
    "FIRM_CR_NUMBER": "1234567",
    "CONTACT_EMAIL": "hello@wadihawar.example.om",
    "CONTACT_PHONE": "+968 2400 0000",
}
ISO_WORD = re.compile(r"\bISO\b", re.IGNORECASE)


@pytest.fixture()
def firm_app(app, monkeypatch):
    """The test app deployed under another firm's name, with every detail set."""
    for key, value in FIRM.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "TWO_FACTOR_ISSUER", None)
    return app


def organisation(page) -> dict:
    [data] = [item for item in page.json_ld if item["@type"] == "ProfessionalService"]
    return data


def brand(html: str) -> str:
    match = re.search(r'class="navbar-brand[^"]*"[^>]*>([^<]+)</a>', html)
    assert match, "no navbar brand"
    return match.group(1).strip()


@pytest.mark.parametrize(
    "settings",
    [
        {"FIRM_NAME": "Muscat ISO Partners"},
        {"FIRM_NAME": "iso-ready oman"},
        {"FIRM_NAME": "ISO9001 Advisors"},
        {"FIRM_LEGAL_NAME": "Sohar Iso Consultancy SPC"},
        {"TWO_FACTOR_ISSUER": "ISO Portal"},
        {"FIRM_NAME": "  "},
    ],
)
def test_a_firm_name_with_iso_in_it_refuses_to_start(settings):
    with pytest.raises(ConfigError, match="FIRM_NAME|FIRM_LEGAL_NAME|TWO_FACTOR_ISSUER"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


def test_iso_inside_another_word_is_not_the_name_iso():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "FIRM_NAME": "Isosceles Advisory"})
    assert app.config["FIRM_NAME"] == "Isosceles Advisory"


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_no_public_page_names_the_firm_with_iso(client, reference, app, path):
    """By default: the invented name without "ISO" in the brand, the title, Open Graph and JSON-LD."""
    html = client.get(path).get_data(as_text=True)
    page = facts(html)
    names = [brand(html), page.title.rsplit(" · ", 1)[-1], page.meta["og:site_name"], organisation(page)["name"]]

    assert names == [DEFAULT_FIRM_NAME] * 4
    assert not ISO_WORD.search(DEFAULT_FIRM_NAME)
    assert "Muscat ISO Partners" not in html


@pytest.mark.parametrize("path", ["/", "/contact", "/locations/muscat", "/estimate", "/no-such-page"])
def test_the_configured_firm_is_on_every_page(client, reference, firm_app, path):
    response = client.get(path)
    html = response.get_data(as_text=True)
    page = facts(html)

    assert brand(html) == FIRM["FIRM_NAME"]
    assert page.title.endswith(" · " + FIRM["FIRM_NAME"])
    footer = html[html.index("<footer") :]
    for key in ("FIRM_LEGAL_NAME", "FIRM_ADDRESS"):
        assert FIRM[key] in footer
    assert 'Commercial registration no. <bdi dir="ltr">1234567</bdi>' in footer
    assert DEFAULT_FIRM_NAME not in html


def test_the_contact_page_gives_the_firm_details(client, reference, firm_app):
    html = client.get("/contact").get_data(as_text=True)
    office = html[html.index('id="reach-heading"') : html.index("</section>")]

    for value in FIRM.values():
        assert value in office
    assert 'href="mailto:hello@wadihawar.example.om"' in office
    assert 'href="tel:+96824000000"' in office


def test_the_json_ld_organisation_is_the_configured_firm(client, reference, firm_app):
    page = facts(client.get("/").get_data(as_text=True))
    data = organisation(page)

    assert data["name"] == FIRM["FIRM_NAME"]
    assert data["legalName"] == FIRM["FIRM_LEGAL_NAME"]
    assert data["address"]["streetAddress"] == FIRM["FIRM_ADDRESS"]
    assert data["address"]["addressCountry"] == "OM"
    assert data["email"] == FIRM["CONTACT_EMAIL"]
    assert data["telephone"] == FIRM["CONTACT_PHONE"]
    assert page.meta["og:site_name"] == FIRM["FIRM_NAME"]


def test_unset_details_are_left_out_of_the_json_ld(client, reference, app):
    data = organisation(facts(client.get("/").get_data(as_text=True)))

    assert not {"legalName", "email", "telephone"} & data.keys()
    assert data["address"] == {"@type": "PostalAddress", "addressLocality": "Muscat", "addressCountry": "OM"}


def test_account_emails_name_the_configured_firm(firm_app, make_user):
    user = make_user()
    send_invitation(user)
    send_reset_link(user)
    db.session.flush()
    messages = {
        m.kind: m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    }

    assert messages["invitation"].subject == "Your account on the Wadi Hawar Quality Advisors portal"
    assert "invited to the Wadi Hawar Quality Advisors portal" in messages["invitation"].body_text
    assert "your Wadi Hawar Quality Advisors portal account" in messages["password_reset"].body_text
    for message in messages.values():
        assert DEFAULT_FIRM_NAME not in message.subject + message.body_text


def test_the_enquiry_acknowledgement_is_signed_by_the_configured_firm(enquiry_app, firm_app, client):
    assert submit(client).status_code == 302
    acknowledgement = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "enquiry_acknowledgement")
    ).one()

    assert acknowledgement.subject.endswith(" to Wadi Hawar Quality Advisors")
    assert acknowledgement.body_text.rstrip().endswith(FIRM["FIRM_NAME"])


def test_authenticator_apps_show_the_firm_name_unless_an_issuer_is_set(firm_app, monkeypatch):
    from portal.core.firm import current_firm

    with firm_app.test_request_context():
        assert current_firm().two_factor_issuer == FIRM["FIRM_NAME"]
        monkeypatch.setitem(firm_app.config, "TWO_FACTOR_ISSUER", "Wadi Hawar staff")
        assert current_firm().two_factor_issuer == "Wadi Hawar staff"


def test_no_email_names_the_firm_with_iso(app, make_user):
    """By default the account e-mails carry the invented name, without "ISO", in subject and text."""
    user = make_user()
    send_invitation(user)
    send_reset_link(user)
    db.session.flush()
    messages = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)))

    assert len(messages) == 2
    assert DEFAULT_FIRM_NAME in messages[0].subject
    for message in messages:
        assert DEFAULT_FIRM_NAME in message.body_text
        assert "Muscat ISO Partners" not in message.subject + message.body_text
