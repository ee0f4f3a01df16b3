"""The short enquiry (issue 18): only what is needed to answer is required; free-mail and
disposable addresses are flagged on the lead, never refused."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead, Role
from tests.fixtures.enquiry import submit
from tests.fixtures.quotes import body_taking_quotes, engagement_for_quotes, received_quote

OPTIONAL = ("phone", "job_title", "sector", "employees", "sites", "region", "timeline", "heard_from", "message")
MINIMAL = dict.fromkeys(OPTIONAL, "")


def only_lead() -> Lead:
    return db.session.scalars(select(Lead)).one()


def points(lead: Lead, name: str) -> int:
    return next(factor["points"] for factor in lead.score_factors if factor["name"] == name)


@pytest.mark.parametrize(("path", "language"), [("/enquire", "en"), ("/ar/enquire", "ar")])
def test_the_minimal_enquiry_is_accepted_and_the_lead_page_lists_what_is_missing(
    enquiry_app, client, login_as, path, language
):
    response = submit(client, path=path, **MINIMAL)
    assert response.status_code == 302 and response.headers["Location"].endswith("/enquire/thanks")
    lead = only_lead()
    assert lead.language == language and lead.status == "new"
    assert (lead.employees, lead.sites, lead.sector, lead.region, lead.phone, lead.timeline) == (
        None,
        None,
        None,
        None,
        "",
        "",
    )
    # Unknown is not zero: each answer left out scores the middle of its factor.
    assert {name: points(lead, name) for name in ("size", "sites", "timeline", "sector")} == {
        "size": 12,
        "sites": 2,
        "timeline": 10,
        "sector": 5,
    }

    login_as(Role.CONSULTANT)
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    missing = re.search(r'data-testid="lead-not-given">([^<]*)<', html).group(1)
    assert missing.strip() == (
        "Not given: phone, timeline, employees, sites, sector, location, how they heard of us, and message"
    )
    assert "employees not given" in html and "timeline not given" in html
    inbox = client.get("/app/leads/").get_data(as_text=True)
    assert lead.reference in inbox


@pytest.mark.parametrize("blank", OPTIONAL)
def test_each_formerly_required_field_may_be_left_blank(enquiry_app, client, blank):
    assert submit(client, **{blank: ""}).status_code == 302
    lead = only_lead()
    assert lead.company == "Al Noor Trading LLC"


def test_a_blank_answer_is_unknown_but_a_wrong_one_is_still_refused(enquiry_app, client):
    html = submit(client, employees="0", sites="", sector="").get_data(as_text=True)
    error = re.search(r'<div id="employees-error" class="invalid-feedback[^"]*">([^<]*)</div>', html)
    assert error and "from 1 to 1,000,000" in error.group(1)
    assert 'id="sites-error"' not in html and 'id="sector-error"' not in html
    assert db.session.scalars(select(Lead)).first() is None


@pytest.mark.parametrize("field", ["contact_name", "email", "company", "standards", "consent"])
def test_required_answers_are_still_refused_next_to_their_field_in_arabic(enquiry_app, client, field):
    html = submit(client, path="/ar/enquire", **MINIMAL, **{field: None}).get_data(as_text=True)
    error = re.search(rf'<div id="{field}-error" class="invalid-feedback[^"]*">([^<]*)</div>', html)
    assert error, f"no error shown for {field}"
    assert re.search(r"[\u0600-\u06ff]", error.group(1)), error.group(1)  # in the reader's language
    assert db.session.scalars(select(Lead)).first() is None


def test_a_disposable_address_is_flagged_for_review_not_refused(enquiry_app, client, login_as):
    response = submit(client, email="someone@mailinator.com")
    assert response.status_code == 302 and response.headers["Location"].endswith("/enquire/thanks")
    lead = only_lead()
    assert (lead.email_kind, lead.status) == ("disposable", "new")  # kept for a consultant, not closed
    assert points(lead, "company_address") == 0

    login_as(Role.CONSULTANT)
    page = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert re.search(r'data-testid="email-kind-disposable"[^>]*>Likely spam — review<', page)
    inbox = client.get("/app/leads/").get_data(as_text=True)
    assert 'data-testid="email-kind-disposable"' in inbox


def test_a_free_mail_address_is_noted_and_scores_less_than_a_company_address(enquiry_app, app, client, login_as):
    submit(client, email="aisha@example.om")
    company = only_lead()
    other_visitor = app.test_client()
    submit(other_visitor, email="aisha.balushi@gmail.com")
    free = db.session.scalars(select(Lead).where(Lead.id != company.id)).one()
    assert (company.email_kind, free.email_kind) == ("company", "free")
    assert free.status == "new"
    assert free.score == company.score - 5
    assert (points(company, "company_address"), points(free, "company_address")) == (5, 0)

    login_as(Role.CONSULTANT)
    page = client.get(f"/app/leads/{free.id}").get_data(as_text=True)
    assert 'data-testid="email-kind-free"' in page and "free-mail address" in page
    assert 'data-testid="email-kind-free"' not in client.get(f"/app/leads/{company.id}").get_data(as_text=True)


def test_the_quote_comparison_says_the_personnel_were_not_given_rather_than_failing(
    client, reference, make_user, login_as
):
    engagement = engagement_for_quotes(make_user(Role.CONSULTANT), employees=None)
    received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    login_as(Role.CONSULTANT)
    response = client.get(f"/app/engagements/{engagement.id}/quotes")
    assert response.status_code == 200
    assert re.search(
        r'data-testid="md5-personnel-not-given">Number of employees not given', response.get_data(as_text=True)
    )
