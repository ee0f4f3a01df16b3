"""Consultants' quote pages: request, compare, enter by hand, accept, download the PDF."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import AccreditationBody, Engagement, OutboxMessage, Quote, Role, ShortlistEntry, Standard
from portal.quotes.tokens import make_token, read_token
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_engagement
from tests.fixtures.quotes import body_taking_quotes, engagement_for_quotes, received_quote, seen
from tests.fixtures.registrars import add_accreditation_body


@pytest.fixture()
def consultant(login_as, reference):
    return login_as(Role.CONSULTANT)


def post_form(client, page_url: str, action_url: str, data: dict, **kwargs):
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    return client.post(action_url, data={"csrf_token": token, **data}, **kwargs)


def test_requesting_quotes_creates_one_quote_and_one_email_with_its_own_link_per_body(client, consultant):
    engagement = engagement_for_quotes(consultant)
    first, second = body_taking_quotes("Gulf Assurance"), body_taking_quotes("Oman Quality Cert")
    url = f"/app/engagements/{engagement.id}/quotes"
    response = post_form(client, url, url + "/request", {"certification_body_ids": [first.id, second.id]})
    assert response.status_code == 302

    quotes = db.session.scalars(select(Quote).order_by(Quote.id)).all()
    assert [(q.certification_body_id, q.status, q.requested_by_id) for q in quotes] == [
        (first.id, "requested", consultant.id),
        (second.id, "requested", consultant.id),
    ]
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "quote_request")).all()
    assert sorted(m.recipient for m in mails) == sorted([first.email, second.email])
    for quote in quotes:
        mail = next(m for m in mails if m.recipient == quote.certification_body.email)
        token = re.search(r"http://127\.0\.0\.1:5000/q/(\S+)", mail.body_text).group(1)
        with client.application.test_request_context():
            assert read_token(token) == (quote.id, quote.token_nonce)
        assert "salim@" not in mail.body_text and "+968" not in mail.body_text
        assert f"works for {client.application.config['QUOTE_LINK_MAX_AGE_DAYS']} days" in mail.body_text
        firm = client.application.config["FIRM_NAME"]
        assert mail.subject == f"Request for a certification quotation from {firm} (ref. Q-{quote.id})"
        assert mail.body_text.rstrip().endswith(firm)


def test_a_body_with_an_open_request_is_not_asked_twice(client, consultant):
    engagement = engagement_for_quotes(consultant)
    body = body_taking_quotes("Gulf Assurance")
    url = f"/app/engagements/{engagement.id}/quotes"
    post_form(client, url, url + "/request", {"certification_body_ids": [body.id]})
    response = post_form(client, url, url + "/request", {"certification_body_ids": [body.id]}, follow_redirects=True)
    assert "Not requested again" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Quote.id))) == 1


def test_the_compare_page_lists_only_eligible_bodies_to_request(client, consultant):
    engagement = engagement_for_quotes(consultant)
    body_taking_quotes("Gulf Assurance")
    body_taking_quotes(
        "Lapsed Cert",
        accreditations=(
            {"valid_until": date.today() - timedelta(days=1), "valid_from": date.today() - timedelta(days=800)},
        ),
    )
    body_taking_quotes("Sleeping Cert", active=False)
    body_taking_quotes("Green Only Cert", accreditations=({"standard": "iso-14001"},))
    db.session.add(AccreditationBody(code="XAB", name="Unrecognised Council", country="", iaf_mla_signatory=False))
    db.session.commit()
    body_taking_quotes("Unrecognised Cert", accreditations=({"accreditation_body": "XAB"},))
    html = client.get(f"/app/engagements/{engagement.id}/quotes").get_data(as_text=True)
    assert "Gulf Assurance" in html
    for excluded in ("Lapsed Cert", "Sleeping Cert", "Green Only Cert", "Unrecognised Cert"):
        assert excluded not in html


def test_compare_shows_three_year_cost_in_omr_and_flags_days_below_md5(client, consultant):
    engagement = engagement_for_quotes(consultant)  # QMS, 30 people: MD 5 table 4 days, at least 3 with -30%
    fair = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    short = received_quote(
        engagement, body_taking_quotes("Quick Cert"), initial_fee=Decimal("900"), initial_audit_days=Decimal("2.0")
    )
    html = client.get(f"/app/engagements/{engagement.id}/quotes").get_data(as_text=True)
    # 2,400 + 2 x 900 + 150.500; recertification shown apart
    assert re.search(rf'data-testid="three-year-{fair.id}">OMR 4,350.500<', html)
    assert "OMR 1,800.000" in html
    days_short = html.split(f'data-testid="days-{short.id}"')[1].split("</td>")[0]
    assert "alert-danger" in days_short
    assert "Below what IAF MD 5 allows: 2.0 days offered, at least 3.0 required (estimate 4.0)" in days_short
    days_fair = html.split(f'data-testid="days-{fair.id}"')[1].split("</td>")[0]
    assert "alert-danger" not in days_fair and "Meets the MD 5 estimate" in days_fair
    assert "Lowest three-year cost" in html.split(f'data-testid="quote-col-{short.id}"')[1].split("</th>")[0]


def test_compare_flags_a_main_scope_only_accreditation_for_iso_9001_but_not_for_iso_22301(client, consultant):
    """ISO 22301 has no MLA sub-scope, so the main scope recognises it; ISO 9001 needs the QMS sub-scope."""
    add_accreditation_body("MS-ONLY")
    engagement = engagement_for_quotes(consultant)
    engagement.standards.append(db.session.scalar(select(Standard).where(Standard.slug == "iso-22301")))
    db.session.commit()
    both = (
        {"standard": "iso-9001", "accreditation_body": "MS-ONLY"},
        {"standard": "iso-22301", "accreditation_body": "MS-ONLY"},
    )
    quote = received_quote(engagement, body_taking_quotes("Continuity Cert", accreditations=both))
    html = client.get(f"/app/engagements/{engagement.id}/quotes").get_data(as_text=True)
    column = html.split(f'data-testid="quote-col-{quote.id}"')[1]
    quality, continuity = (column.split(f"<li>{code}:")[1].split("</li>")[0] for code in ("ISO 9001", "ISO 22301"))
    assert "Not signed for QMS – ISO 9001 (sub-scope)" in quality
    assert "MS-ONLY" in continuity and 'data-testid="mla-gap"' not in continuity


def test_a_quote_at_md5s_least_rounded_as_md5_rounds_is_not_flagged_below_it(client, consultant):
    # 12 people, QMS: 2.5 days, at most 30% less = 1.75, which MD 5 2.2.3 rounds to the nearest half day: a tie,
    # so a body may offer 1.5 days. The minimum shown is 1.5, and 1.5 days is only below the estimate.
    engagement = engagement_for_quotes(consultant, employees=12)
    lean = received_quote(engagement, body_taking_quotes("Lean Cert"), initial_audit_days=Decimal("1.5"))
    html = client.get(f"/app/engagements/{engagement.id}/quotes").get_data(as_text=True)
    days_lean = html.split(f'data-testid="days-{lean.id}"')[1].split("</td>")[0]
    assert "Below what IAF MD 5 allows" not in days_lean and "alert-danger" not in days_lean
    assert "1.0 days under the MD 5 estimate of 2.5" in days_lean


def test_quotes_past_their_validity_read_as_expired_and_the_reminders_run_stores_it(client, consultant, runner):
    engagement = engagement_for_quotes(consultant)
    old = received_quote(
        engagement, body_taking_quotes("Gulf Assurance"), valid_until=today_in_oman() - timedelta(days=1)
    )
    html = client.get(f"/app/engagements/{engagement.id}/quotes").get_data(as_text=True)
    row = html.split(f'data-testid="quote-row-{old.id}"')[1].split("</tr>")[0]
    assert 'data-status="expired"' in row and "Expired" in row and "Withdraw request" not in row
    assert f'data-testid="quote-col-{old.id}"' not in html  # no longer side by side, so it cannot be accepted
    db.session.refresh(old)
    assert old.status == "received"  # the page only read it
    assert runner.invoke(args=["reminders", "run"]).exit_code == 0
    db.session.refresh(old)
    assert old.status == "expired"


def accept(client, engagement, quote, **extra):
    url = f"/app/engagements/{engagement.id}/quotes"
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), **seen(quote), **{f"q{quote.id}-{k}": v for k, v in extra.items()}}
    return client.post(f"{url}/{quote.id}/accept", data=data, follow_redirects=True)


def test_accepting_a_quote_sets_the_body_and_declines_the_other_open_quotes(client, consultant, make_quote):
    engagement = engagement_for_quotes(consultant)
    chosen = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    other = received_quote(engagement, body_taking_quotes("Quick Cert"))
    waiting = make_quote(engagement, status="requested", certification_body=body_taking_quotes("Slow Cert"))
    make_quote(engagement, status="expired", certification_body=body_taking_quotes("Old Cert"))

    response = accept(client, engagement, chosen, notify_declined="y")
    assert "Quote from Gulf Assurance accepted." in response.get_data(as_text=True)

    db.session.expire_all()
    assert {q.certification_body.name: q.status for q in db.session.scalars(select(Quote))} == {
        "Gulf Assurance": "accepted",
        "Quick Cert": "declined",
        "Slow Cert": "declined",
        "Old Cert": "expired",
    }
    assert db.session.get(Engagement, engagement.id).certification_body_id == chosen.certification_body_id
    declined_mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "quote_declined")).all()
    assert sorted(m.recipient for m in declined_mail) == sorted(
        [other.certification_body.email, waiting.certification_body.email]
    )
    firm = client.application.config["FIRM_NAME"]
    assert all(m.subject.startswith(f"Your quotation to {firm} (ref. Q-") for m in declined_mail)
    assert db.session.get(Engagement, engagement.id).stage == "registrar_selection"


def test_declined_bodies_get_no_email_unless_asked_and_stage1_can_follow(client, consultant):
    engagement = engagement_for_quotes(consultant)
    chosen = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    received_quote(engagement, body_taking_quotes("Quick Cert"))
    accept(client, engagement, chosen, move_to_stage1="y")
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "quote_declined")) is None
    assert db.session.get(Engagement, engagement.id).stage == "stage1_audit"


def test_a_second_acceptance_is_refused_with_a_clear_message(client, consultant):
    engagement = engagement_for_quotes(consultant)
    first = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    second = received_quote(engagement, body_taking_quotes("Quick Cert"))
    url = f"/app/engagements/{engagement.id}/quotes"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    assert client.post(f"{url}/{first.id}/accept", data={"csrf_token": token, **seen(first)}).status_code == 302
    html = client.post(f"{url}/{second.id}/accept", data={"csrf_token": token, **seen(second)}).get_data(as_text=True)
    assert "A quote from Gulf Assurance was already accepted for this engagement" in html
    db.session.expire_all()
    assert db.session.get(Quote, second.id).status == "declined"


def test_an_expired_quote_cannot_be_accepted(client, consultant):
    engagement = engagement_for_quotes(consultant)
    quote = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    url = f"/app/engagements/{engagement.id}/quotes"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    quote.valid_until = today_in_oman() - timedelta(days=1)
    db.session.commit()
    html = client.post(
        f"{url}/{quote.id}/accept", data={"csrf_token": token, **seen(quote)}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"This quote expired on {quote.valid_until.isoformat()}; ask the body for a new one." in html
    assert db.session.get(Engagement, engagement.id).certification_body_id is None


def test_accepting_without_the_csrf_token_is_refused(client, consultant):
    engagement = engagement_for_quotes(consultant)
    quote = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    response = client.post(f"/app/engagements/{engagement.id}/quotes/{quote.id}/accept", data={})
    assert response.status_code == 400
    assert db.session.get(Quote, quote.id).status == "received"


def test_a_quote_of_another_engagement_is_not_found(client, consultant):
    engagement, other = engagement_for_quotes(consultant), engagement_for_quotes(consultant)
    quote = received_quote(other, body_taking_quotes("Gulf Assurance"))
    assert client.get(f"/app/engagements/{engagement.id}/quotes/{quote.id}/edit").status_code == 404


def manual_data(**overrides):
    data = {
        "initial_fee": "3100.250",
        "surveillance_fee": "1000",
        "recertification_fee": "2000",
        "travel_fee": "",
        "initial_audit_days": "",
        "valid_until": (today_in_oman() + timedelta(days=30)).isoformat(),
        "notes": "Sent by e-mail on Sunday",
    }
    data.update(overrides)
    return data


def test_a_consultant_enters_a_quote_received_by_email(client, consultant, make_quote):
    engagement = engagement_for_quotes(consultant)
    quote = make_quote(engagement, status="requested", certification_body=body_taking_quotes("Gulf Assurance"))
    url = f"/app/engagements/{engagement.id}/quotes/{quote.id}/edit"
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "version": str(quote.version), **manual_data()}
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(quote)
    assert (quote.status, quote.initial_fee, quote.travel_fee, quote.initial_audit_days) == (
        "received",
        Decimal("3100.250"),
        Decimal("0.000"),
        None,
    )
    assert quote.notes == "Sent by e-mail on Sunday"


def test_manual_entry_keeps_what_was_typed_and_says_what_is_wrong(client, consultant, make_quote):
    engagement = engagement_for_quotes(consultant)
    quote = make_quote(engagement, status="requested", certification_body=body_taking_quotes("Gulf Assurance"))
    url = f"/app/engagements/{engagement.id}/quotes/{quote.id}/edit"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    past = (today_in_oman() - timedelta(days=1)).isoformat()
    response = client.post(url, data={"csrf_token": token, **manual_data(valid_until=past, initial_fee="3100.250")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The validity date cannot be in the past." in html
    assert 'value="3100.250"' in html
    assert db.session.get(Quote, quote.id).status == "requested"


def test_a_stale_manual_edit_is_refused(client, consultant):
    engagement = engagement_for_quotes(consultant)
    quote = received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    url = f"/app/engagements/{engagement.id}/quotes/{quote.id}/edit"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "version": str(quote.version - 1), **manual_data()})
    assert "changed while you were editing" in response.get_data(as_text=True)
    assert db.session.get(Quote, quote.id).initial_fee == Decimal("2400.000")


@pytest.mark.parametrize(
    "url",
    ["/app/engagements/{e}/quotes", "/app/engagements/{e}/quotes/{q}/edit", "/app/quotes/{q}/file"],
)
def test_quote_pages_need_a_login(client, reference, url):
    engagement = engagement_for_quotes()
    quote = received_quote(engagement, body_taking_quotes("Gulf Assurance"), file_name="a" * 32 + ".pdf")
    response = client.get(url.format(e=engagement.id, q=quote.id))
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_shortlisted_bodies_come_first_and_are_ticked(client, consultant):
    engagement = engagement_for_quotes(consultant)
    body_taking_quotes("Alpha Cert")
    favourite = body_taking_quotes("Zulu Cert")
    db.session.add(ShortlistEntry(engagement_id=engagement.id, certification_body_id=favourite.id))
    db.session.commit()
    html = client.get(f"/app/engagements/{engagement.id}/quotes").get_data(as_text=True)
    assert html.index("Zulu Cert (shortlisted)") < html.index("Alpha Cert")
    box = re.search(rf'<input[^>]*value="{favourite.id}"[^>]*>', html).group(0)
    assert "checked" in box


def test_an_open_request_can_be_withdrawn_and_its_link_closes(client, consultant, make_quote):
    engagement = engagement_for_quotes(consultant)
    quote = make_quote(engagement, status="requested", certification_body=body_taking_quotes("Gulf Assurance"))
    url = f"/app/engagements/{engagement.id}/quotes"
    response = post_form(client, url, f"{url}/{quote.id}/withdraw", {}, follow_redirects=True)
    assert "Request to Gulf Assurance withdrawn." in response.get_data(as_text=True)
    db.session.refresh(quote)
    assert quote.status == "withdrawn" and quote.decided_at is not None
    assert client.get("/q/" + make_token(quote.id, quote.token_nonce)).status_code == 410
    again = post_form(client, url, f"{url}/{quote.id}/withdraw", {}, follow_redirects=True)
    assert "Only a requested or received quote can be withdrawn." in again.get_data(as_text=True)


def test_without_an_enquiry_the_days_are_shown_without_a_comparison(client, consultant):
    engagement = add_engagement(owner=consultant, stage="registrar_selection")
    quote = received_quote(engagement, body_taking_quotes("Gulf Assurance"), initial_audit_days=Decimal("1.0"))
    html = client.get(f"/app/engagements/{engagement.id}/quotes").get_data(as_text=True)
    assert "has no enquiry with its personnel and sites" in html
    days = html.split(f'data-testid="days-{quote.id}"')[1].split("</td>")[0]
    assert "1.0 days" in days and "alert-danger" not in days


def test_a_quote_not_yet_received_cannot_be_accepted(client, consultant, make_quote):
    engagement = engagement_for_quotes(consultant)
    received_quote(engagement, body_taking_quotes("Gulf Assurance"))
    waiting = make_quote(engagement, status="requested", certification_body=body_taking_quotes("Slow Cert"))
    url = f"/app/engagements/{engagement.id}/quotes"
    response = post_form(client, url, f"{url}/{waiting.id}/accept", seen(waiting), follow_redirects=True)
    assert "Only a received quote can be accepted; this one is requested." in response.get_data(as_text=True)
    assert db.session.get(Engagement, engagement.id).certification_body_id is None


def test_a_quote_that_came_another_way_is_added_without_email_and_entered_by_hand(client, consultant):
    engagement = engagement_for_quotes(consultant)
    body = body_taking_quotes("Paper Cert", email="")
    url = f"/app/engagements/{engagement.id}/quotes"
    response = post_form(
        client,
        url,
        url + "/request",
        {"certification_body_ids": [body.id], "without_email": "y"},
        follow_redirects=True,
    )
    assert "Added without e-mail, ready to enter by hand: Paper Cert." in response.get_data(as_text=True)
    quote = db.session.scalar(select(Quote))
    assert quote.status == "requested"
    assert db.session.scalar(select(OutboxMessage)) is None
    edit = f"{url}/{quote.id}/edit"
    data = {"csrf_token": csrf_token_from(client.get(edit).get_data(as_text=True)), **manual_data()}
    assert client.post(edit, data=data).status_code == 302
    assert db.session.get(Quote, quote.id).status == "received"


def test_a_body_without_an_email_address_is_not_sent_a_request(client, consultant):
    engagement = engagement_for_quotes(consultant)
    body = body_taking_quotes("Paper Cert", email="")
    url = f"/app/engagements/{engagement.id}/quotes"
    response = post_form(client, url, url + "/request", {"certification_body_ids": [body.id]}, follow_redirects=True)
    assert "No e-mail address in the directory, so no request sent: Paper Cert." in response.get_data(as_text=True)
    assert db.session.scalar(select(Quote)) is None


def test_the_engagement_timeline_names_the_body_of_each_quote_step(client, consultant):
    engagement = engagement_for_quotes(consultant)
    asked, chosen = body_taking_quotes("Slow Cert"), body_taking_quotes("Gulf Assurance")
    url = f"/app/engagements/{engagement.id}/quotes"
    assert post_form(client, url, url + "/request", {"certification_body_ids": [asked.id]}).status_code == 302
    accept(client, engagement, received_quote(engagement, chosen))
    page = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "Quote requested from Slow Cert" in page
    assert "Quote from Gulf Assurance accepted" in page
