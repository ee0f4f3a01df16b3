"""The enquiry form: a visitor's enquiry becomes one lead with its standards, activity and e-mails."""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import Activity, Lead, OutboxMessage, Region, Standard
from portal.public.enquiry.services import make_reference
from tests.fixtures.enquiry import open_form, submit, valid_enquiry
from tests.fixtures.queries import count_queries

REFERENCE = re.compile(r"ENQ-\d{4}-\d{6}")


def lead_count() -> int:
    return db.session.scalar(select(func.count(Lead.id)))


def test_form_shows_every_field_prefilled_from_the_link(enquiry_app, client):
    html = client.get("/enquire?standard=iso-9001&location=muscat").get_data(as_text=True)
    for name in ("contact_name", "email", "phone", "company", "job_title", "sector", "employees", "sites"):
        assert f'name="{name}"' in html
    for name in ("region", "existing_certifications", "timeline", "wanted_by", "heard_from", "message", "consent"):
        assert f'name="{name}"' in html
    assert re.search(r'<input checked[^>]*value="iso-9001"|value="iso-9001"[^>]*checked', html)
    assert not re.search(r'value="iso-14001"[^>]*checked', html)
    assert re.search(r'<option selected value="muscat">|<option value="muscat" selected>', html)
    assert re.search(r'<label class="form-check-label" for="consent">[^<]*<a href="[^"]*/privacy"', html)
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert re.search(r'<div class="visually-hidden" aria-hidden="true">\s*<label for="website"', html)


def test_valid_enquiry_creates_one_lead_with_standards_activity_and_emails(enquiry_app, client, monkeypatch):
    monkeypatch.setitem(enquiry_app.config, "NOTIFY_EMAILS", ["one@example.om", "two@example.om"])
    monkeypatch.setitem(enquiry_app.config, "PUBLIC_BASE_URL", "https://portal.example.om")
    response = submit(client, "?utm_source=newsletter&utm_campaign=spring")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/enquire/thanks")

    thanks = client.get("/enquire/thanks").get_data(as_text=True)
    lead = db.session.scalars(select(Lead)).one()
    assert lead.reference in thanks and REFERENCE.fullmatch(lead.reference)
    assert lead.reference == make_reference(lead.id, lead.created_at)
    assert [s.slug for s in lead.standards] == ["iso-9001", "iso-45001"]
    assert lead.status == "new"
    assert (lead.email, lead.email_normalised) == ("Aisha@Example.OM", "aisha@example.om")
    assert lead.phone == "+96892123456"
    assert lead.company_normalised == "al noor trading"
    assert (lead.sector.code, lead.region.slug, lead.employees, lead.sites) == (28, "muscat", 40, 2)
    assert lead.source == "form" and lead.language == "en"
    assert lead.utm == {"utm_source": "newsletter", "utm_campaign": "spring"}
    assert lead.consent_at is not None
    assert lead.score > 0 and sum(f["points"] for f in lead.score_factors) == lead.score

    activity = db.session.scalars(select(Activity)).one()
    assert (activity.lead_id, activity.kind) == (lead.id, "created")

    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.recipient) for m in messages] == [
        ("enquiry_acknowledgement", "Aisha@Example.OM"),
        ("enquiry_notification", "one@example.om"),
        ("enquiry_notification", "two@example.om"),
    ]
    assert lead.reference in messages[0].subject and lead.reference in messages[0].body_text
    assert "two working days" in messages[0].body_text
    assert f"https://portal.example.om/app/leads/{lead.id}" in messages[1].body_text
    assert all(m.status == "pending" for m in messages)


def test_reference_year_is_the_year_in_muscat():
    new_year_in_oman = datetime(2026, 12, 31, 21, 0, tzinfo=UTC)  # 01:00 on 1 January 2027 in Muscat
    assert make_reference(123, new_year_in_oman) == "ENQ-2027-000123"
    assert make_reference(1_234_567, new_year_in_oman) == "ENQ-2027-1234567"


def test_a_wanted_by_date_replaces_the_timeline_choice(enquiry_app, client):
    target = today_in_oman() + timedelta(days=60)
    assert submit(client, timeline="", wanted_by=target.isoformat()).status_code == 302
    lead = db.session.scalars(select(Lead)).one()
    assert lead.wanted_by == target
    assert next(f for f in lead.score_factors if f["name"] == "timeline")["points"] == 20


def test_control_characters_are_stripped_before_storing(enquiry_app, client):
    submit(client, contact_name="Ai\x00sha\u202e  Said", message="Line one\r\nLine\x07 two")
    lead = db.session.scalars(select(Lead)).one()
    assert (lead.contact_name, lead.message) == ("Aisha Said", "Line one\nLine two")


def test_resubmitting_the_same_form_creates_one_lead(enquiry_app, client):
    data = {**open_form(client), **valid_enquiry()}
    first = client.post("/enquire", data=data)
    second = client.post("/enquire", data=data)  # double click, refresh, or back and send again
    changed = client.post("/enquire", data={**data, "company": "Another name"})
    assert first.status_code == second.status_code == changed.status_code == 302
    assert lead_count() == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
    assert db.session.scalars(select(Lead)).one().reference in client.get("/enquire/thanks").get_data(as_text=True)


def test_a_page_sent_again_is_refused_by_the_unique_token_not_looked_up_first(enquiry_app, client):
    """Two requests sent at once cannot see each other's lead; the unique token stops the second,
    so no request looks the token up before inserting (a first sending pays nothing for it)."""
    data = {**open_form(client), **valid_enquiry()}
    assert client.post("/enquire", data=data).status_code == 302
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.post("/enquire", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/enquire/thanks")
    assert lead_count() == 1
    token_lookups = [i for i, sql in enumerate(statements) if "submission_token =" in sql]
    first_insert = next(i for i, sql in enumerate(statements) if sql.startswith("INSERT INTO leads"))
    assert token_lookups and all(i > first_insert for i in token_lookups)


def test_thanks_page_shows_only_the_visitors_own_lead(enquiry_app, client):
    submit(client)
    other_visitor = enquiry_app.test_client()
    response = other_visitor.get("/enquire/thanks")
    assert response.status_code == 302 and response.headers["Location"].endswith("/enquire")
    assert not REFERENCE.search(other_visitor.get("/enquire").get_data(as_text=True))


def test_the_lead_is_saved_when_the_mail_server_is_down(enquiry_app, client, monkeypatch):
    monkeypatch.setitem(enquiry_app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(enquiry_app.config, "MAIL_PORT", 1)  # nothing listens there
    assert submit(client).status_code == 302
    assert lead_count() == 1
    assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"pending"}


def test_a_post_without_csrf_token_is_refused(enquiry_app, client):
    data = {**open_form(client), **valid_enquiry()}
    del data["csrf_token"]
    assert client.post("/enquire", data=data).status_code == 400
    assert lead_count() == 0


in_the_past = (today_in_oman() - timedelta(days=1)).isoformat()
too_far = (today_in_oman() + timedelta(days=4 * 365)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contact_name": "  "}, "contact_name", "Tell us your name."),
        ({"contact_name": "x" * 121}, "contact_name", "120 characters"),
        ({"email": "aisha.example.om"}, "email", "Enter a valid e-mail address"),
        ({"email": "aisha@"}, "email", "Enter a valid e-mail address"),
        ({"phone": "123"}, "phone", "Enter a valid phone number"),
        ({"company": ""}, "company", "company"),
        ({"email": ""}, "email", "Tell us your e-mail address."),
        ({"sector": "99"}, "sector", "Choose a sector from the list."),
        ({"employees": "0"}, "employees", "from 1 to 1,000,000"),
        ({"employees": "1000001"}, "employees", "from 1 to 1,000,000"),
        ({"employees": "forty"}, "employees", "integer"),
        ({"sites": "501"}, "sites", "from 1 to 500"),
        ({"region": "atlantis"}, "region", "Choose a location from the list."),
        ({"standards": None}, "standards", "Choose at least one standard."),
        ({"standards": ["iso-31000"]}, "standards", "Choose standards from the list."),
        ({"timeline": "", "wanted_by": in_the_past}, "wanted_by", "in the future"),
        ({"wanted_by": too_far}, "wanted_by", "within the next three years"),
        ({"heard_from": "tv"}, "heard_from", "Choose an answer from the list."),
        ({"consent": None}, "consent", "We need your consent"),
    ],
)
def test_a_mistake_is_shown_next_to_its_field_and_nothing_is_stored(enquiry_app, client, overrides, field, message):
    response = submit(client, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'<div id="{field}-error" class="invalid-feedback[^"]*">([^<]*)</div>', html)
    assert error, f"no error shown for {field}"
    assert message in error.group(1)
    assert re.search(rf'aria-describedby="[^"]*{field}-error', html)
    assert 'value="Al Noor Trading LLC"' in html or field == "company"
    assert lead_count() == 0


def test_what_the_visitor_typed_is_kept_after_a_mistake(enquiry_app, client):
    html = submit(client, email="wrong", employees="forty", message="Please call after 4pm").get_data(as_text=True)
    assert 'value="wrong"' in html
    assert 'value="forty"' in html
    assert "Please call after 4pm</textarea>" in html
    assert re.search(r'<input checked[^>]*value="iso-45001"|value="iso-45001"[^>]*checked', html)
    assert re.search(r'<option selected value="3_6_months">|<option value="3_6_months" selected>', html)


def test_the_acknowledgement_repeats_nothing_the_visitor_typed(enquiry_app, client):
    """The form cannot be used to send someone else words of the sender's choosing from the firm's address."""
    planted = "Your account is locked, pay at evil.example"
    submit(
        client,
        contact_name=f"Aisha {planted}",
        email="victim@example.om",
        company=f"{planted} LLC",
        job_title=planted,
        message=f"{planted} now",
    )
    lead = db.session.scalars(select(Lead)).one()
    acknowledgement = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "enquiry_acknowledgement")
    ).one()
    assert acknowledgement.recipient == "victim@example.om"
    assert lead.reference in acknowledgement.body_text and "ISO 9001" in acknowledgement.body_text
    assert "evil.example" not in acknowledgement.body_text + acknowledgement.subject
    assert acknowledgement.body_text.startswith("Hello,")


def test_the_email_check_makes_no_network_lookup(enquiry_app, client, monkeypatch):
    """A visitor's address is checked by its shape only: no DNS look-up slows or fails the POST."""

    def no_network(*args, **kwargs):
        raise OSError("no network look-up expected")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "gethostbyname", no_network)
    assert submit(client, email="someone@no-such-domain.example.om").status_code == 302
    assert lead_count() == 1


def test_one_post_writes_lead_activity_and_emails_in_one_commit(enquiry_app, client):
    """No reference table is read again (the form's choices, kept per content version, serve
    the saving too), and one commit holds the lead, its standards, its activity and its e-mails."""
    data = {**open_form(client), **valid_enquiry()}
    db.session.expunge_all()
    commits: list[int] = []
    with count_queries() as statements:

        def committed(session) -> None:
            commits.append(len(statements))  # how many statements ran before this commit

        event.listen(Session, "after_commit", committed)
        try:
            assert client.post("/enquire", data=data).status_code == 302
        finally:
            event.remove(Session, "after_commit", committed)
    for table in ("sectors", "regions", "standards"):
        assert not any(f"FROM {table}" in sql for sql in statements), table
    writes = [i for i, sql in enumerate(statements) if sql.startswith(("INSERT", "UPDATE"))]
    first, last = min(writes), max(writes)
    assert not any(first < c <= last for c in commits)  # no commit between the first write and the last
    assert any(c > last for c in commits)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
    assert db.session.scalar(select(func.count(Activity.id))) == 1


def test_the_kept_choices_follow_an_edit_of_the_reference_data(enquiry_app, client):
    """The choices are kept per content version: a standard withdrawn (committed) is neither offered
    nor accepted by the next request, and a renamed location shows its new name at once."""
    data = {**open_form(client), **valid_enquiry(standards=["iso-14001"])}
    db.session.execute(update(Standard).where(Standard.slug == "iso-14001").values(active=False))
    db.session.execute(update(Region).where(Region.slug == "muscat").values(name="Masqat"))
    db.session.commit()
    html = client.get("/enquire").get_data(as_text=True)
    assert 'value="iso-14001"' not in html and ">Masqat<" in html
    response = client.post("/enquire", data=data)
    assert response.status_code == 200 and "Choose standards from the list." in response.get_data(as_text=True)
    assert lead_count() == 0
