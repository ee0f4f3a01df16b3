"""Erasure and correction: nothing personal left anywhere, the figures unchanged, refused while the law says keep."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Activity,
    AuditLog,
    Client,
    Lead,
    LeadAttachment,
    OutboxMessage,
    Role,
    StatusLink,
    StoredFile,
    WebhookDelivery,
)
from portal.models.types import utcnow
from portal.workspace.presentation import morning_summary
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_quote
from tests.fixtures.privacy import (
    ATTACHMENT_KEY_NAME,
    COLLEAGUE_EMAIL,
    EMAIL,
    HER_TRACES,
    OTHER_EMAIL,
    OTHER_NAME,
    OTHER_PHONE,
    PHONE,
    add_people,
    traces_in_database,
    traces_left,
)

pytestmark = pytest.mark.usefixtures("reference")

PAGE = "/app/privacy/"


def post(client, path: str, **data: str):
    return client.post(
        f"{PAGE}{path}", data={"csrf_token": csrf_token_from(client.get(PAGE).get_data(as_text=True)), **data}
    )


def figures(app, user_id: int, now: datetime) -> tuple:
    """What the dashboard shows at `now` and the counters kept on the rows."""
    with app.test_request_context():
        summary = morning_summary(user_id, now)
    by_status = db.session.execute(select(Lead.status, func.count()).group_by(Lead.status).order_by(Lead.status)).all()
    by_kind = db.session.execute(
        select(Activity.kind, func.count()).group_by(Activity.kind).order_by(Activity.kind)
    ).all()
    emails = db.session.execute(
        select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind).order_by(OutboxMessage.kind)
    ).all()
    responses = db.session.execute(select(Lead.id, Lead.created_at, Lead.first_response_at).order_by(Lead.id)).all()
    return summary, by_status, by_kind, emails, responses


def test_erasure_leaves_nothing_personal_anywhere_and_keeps_the_figures(app, client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())
    other_id, consultant_id, colleague_id = people.other_lead.id, people.consultant.id, people.colleague_lead.id
    now = utcnow()
    before = figures(app, consultant_id, now)
    assert traces_in_database(HER_TRACES)  # the scan finds her before

    response = post(client, "erase", email=EMAIL, phone=PHONE, confirm="y")

    assert response.status_code == 302
    db.session.expire_all()
    # Her request about her data stays: the firm's record of having answered it.
    kept = [(where, value) for where, value in traces_in_database(HER_TRACES) if where.startswith("privacy_requests.")]
    assert traces_in_database(HER_TRACES) == kept and kept
    assert db.session.get(StoredFile, f"leads/{ATTACHMENT_KEY_NAME}") is None
    assert db.session.scalar(select(func.count()).select_from(LeadAttachment)) == 0
    assert figures(app, consultant_id, now) == before
    erased = db.session.get(Lead, people.lead.id)
    assert (erased.contact_name, erased.email, erased.phone, erased.message) == ("[erased]", "[erased]", "", "")
    assert erased.status == "converted" and erased.erased_at is not None
    assert db.session.get(Client, people.client.id).name == "Al Noor Trading"  # the organisation stays
    other = db.session.get(Lead, other_id)
    assert (other.contact_name, other.email, other.phone) == (OTHER_NAME, OTHER_EMAIL, OTHER_PHONE)
    assert db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.recipient == OTHER_EMAIL))
    events = [
        json.loads(body) for body in db.session.scalars(select(WebhookDelivery.body).order_by(WebhookDelivery.id))
    ]
    assert [event["data"]["lead"]["email"] for event in events] == ["[erased]", OTHER_EMAIL]
    assert events[0]["data"]["lead"]["reference"] == people.lead.reference  # what happened stays
    (link,) = db.session.scalars(select(StatusLink))
    assert link.recipient == "[erased]" and link.revoked_at is not None  # her status link stops working
    assert db.session.get(Lead, colleague_id).email == COLLEAGUE_EMAIL
    (row,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.erased"))
    assert row.details["counts"]["leads"] == 3 and len(row.details["person"]) == 32


def test_erasure_is_refused_while_an_engagement_is_open_and_changes_nothing(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user(), stage="implementation")

    page = post(client, "", email=EMAIL)
    refused = post(client, "erase", email=EMAIL, confirm="y")

    assert "The engagement with Al Noor Trading is still open" in page.get_data(as_text=True)
    assert refused.status_code == 400
    assert "still open: its contract is a legal reason to keep the data" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Lead, people.lead.id).email == EMAIL
    assert traces_in_database(HER_TRACES)
    assert db.session.scalars(select(AuditLog.action).where(AuditLog.action == "privacy.erased")).all() == []


def test_an_accepted_quote_keeps_a_recently_closed_engagement_until_its_retention_ends(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())
    add_quote(people.engagement, status="accepted")

    refused = post(client, "erase", email=EMAIL, confirm="y")

    assert refused.status_code == 400
    assert "has an accepted quote: its commercial records are kept until" in refused.get_data(as_text=True)
    assert db.session.get(Lead, people.lead.id).email == EMAIL


def test_erasure_needs_the_confirmation_box(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())

    response = post(client, "erase", email=EMAIL)

    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.get_data(as_text=True)
    assert db.session.get(Lead, people.lead.id).erased_at is None


def test_correction_changes_every_record_of_the_person_and_is_audited_without_values(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())
    other_id = people.other_lead.id

    response = post(
        client,
        "correct",
        email=EMAIL,
        phone=PHONE,
        new_name="Aisha Al-Rahbi",
        new_email="Aisha@NewCo.example.om",
        new_phone="9111 2233",
    )

    assert response.status_code == 302
    db.session.expire_all()
    for lead_id in (people.lead.id, people.duplicate.id, people.by_phone.id):
        lead = db.session.get(Lead, lead_id)
        assert (lead.contact_name, lead.email, lead.email_normalised, lead.phone) == (
            "Aisha Al-Rahbi",
            "aisha@newco.example.om",
            "aisha@newco.example.om",
            "+96891112233",
        )
    client_row = db.session.get(Client, people.client.id)
    assert (client_row.contact_name, client_row.contact_email, client_row.contact_phone) == (
        "Aisha Al-Rahbi",
        "aisha@newco.example.om",
        "+96891112233",
    )
    assert db.session.get(Lead, other_id).email == OTHER_EMAIL
    (row,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.corrected"))
    assert row.details["fields"] == ["name", "email", "phone"]
    assert "newco" not in json.dumps(row.details) and "rahbi" not in json.dumps(row.details).casefold()


def test_a_correction_with_a_bad_phone_is_refused_next_to_the_field(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())

    response = post(client, "correct", email=EMAIL, new_phone="12", new_name="Kept Name")

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="new_phone-error"' in html and 'value="Kept Name"' in html
    assert db.session.get(Lead, people.lead.id).contact_name != "Kept Name"


def test_after_erasure_only_the_persons_request_about_their_data_is_found(client, login_as, make_user):
    login_as(Role.ADMIN)
    add_people(make_user(), stage="closed")
    post(client, "erase", email=EMAIL, phone=PHONE, confirm="y")

    document = json.loads(post(client, "export.json", email=EMAIL, phone=PHONE).get_data(as_text=True))

    found = {key: rows for key, rows in document.items() if isinstance(rows, list) and rows}
    assert [row["reference"] for row in found.pop("privacy_requests")] == ["PRQ-2026-000001"]
    assert found == {}


def test_an_old_closed_engagement_with_an_accepted_quote_may_be_erased(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())
    add_quote(people.engagement, status="accepted")
    people.engagement.stage_entered_at = utcnow() - timedelta(days=7 * 366)
    db.session.commit()

    response = post(client, "erase", email=EMAIL, phone=PHONE, confirm="y")

    assert response.status_code == 302
    db.session.expire_all()
    assert traces_left() == []


def test_the_workspace_still_shows_an_erased_lead_engagement_and_client(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())
    lead_id, engagement_id, client_id = people.lead.id, people.engagement.id, people.client.id
    post(client, "erase", email=EMAIL, phone=PHONE, confirm="y")

    pages = [f"/app/leads/{lead_id}", "/app/leads/", f"/app/engagements/{engagement_id}", f"/app/clients/{client_id}"]
    responses = {path: client.get(path) for path in pages}

    assert {path: response.status_code for path, response in responses.items()} == dict.fromkeys(pages, 200)
    assert "[erased]" in responses[f"/app/leads/{lead_id}"].get_data(as_text=True)


def test_a_correction_leaves_a_colleagues_lead_merged_with_hers_alone(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())
    colleague_id = people.colleague_lead.id

    post(client, "correct", email=EMAIL, new_name="Aisha Al-Rahbi", new_email="aisha@newco.example.om")

    db.session.expire_all()
    kept = db.session.get(Lead, colleague_id)
    assert (kept.contact_name, kept.email) == ("Salim Al Noori", COLLEAGUE_EMAIL)
    assert db.session.get(Lead, people.lead.id).contact_name == "Aisha Al-Rahbi"
