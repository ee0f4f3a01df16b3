"""Converting a qualified lead into a client and an engagement, once, and the refusals."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.errors import ServiceError
from portal.extensions import db
from portal.leads.services import conversion
from portal.models import Activity, Client, Engagement, Lead, Role, Standard
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.leads import add_lead


def standard_ids(*slugs: str) -> list[int]:
    return list(db.session.scalars(select(Standard.id).where(Standard.slug.in_(slugs))))


def convert_via_page(client, lead: Lead, ids: list[int]):
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return client.post(
        f"/app/leads/{lead.id}/convert",
        data={"csrf_token": csrf_token_from(html), "version": version, "standards": [str(i) for i in ids]},
    )


def test_converting_creates_client_and_engagement_owned_by_the_assignee(client, login_as, make_user, reference) -> None:
    actor = login_as(Role.CONSULTANT)
    owner = make_user(Role.CONSULTANT, name="Owner")
    lead = add_lead(status="qualified", assigned_to_id=owner.id, company="Al Noor Trading LLC", contact_name="Aisha")
    response = convert_via_page(client, lead, standard_ids("iso-9001", "iso-45001"))
    assert response.status_code == 302
    engagement = db.session.scalar(select(Engagement))
    assert engagement.lead_id == lead.id and engagement.stage == "gap_analysis"
    assert engagement.owner_id == owner.id
    assert sorted(s.slug for s in engagement.standards) == ["iso-45001", "iso-9001"]
    assert engagement.client.name == "Al Noor Trading LLC" and engagement.client.contact_name == "Aisha"
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).status == "converted"
    (entry,) = db.session.scalars(select(Activity).where(Activity.kind == "conversion"))
    assert entry.author_id == actor.id and entry.details["engagement_id"] == engagement.id
    page = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert f"Converted: client Al Noor Trading LLC, engagement #{engagement.id}" in page
    assert f'href="/app/engagements/{engagement.id}">Open the engagement</a>' in page
    assert 'data-testid="convert-form"' not in page


def test_a_lead_of_a_known_company_joins_the_existing_client(client, login_as, reference, make_client) -> None:
    user = login_as(Role.CONSULTANT)
    existing = make_client(name="Al Noor Trading LLC", name_normalised="al noor trading", contact_name="")
    lead = add_lead(status="qualified", assigned_to_id=user.id, company="AL NOOR TRADING L.L.C.")
    assert convert_via_page(client, lead, standard_ids("iso-9001")).status_code == 302
    assert db.session.scalars(select(Client)).all() == [existing]
    assert db.session.scalar(select(Engagement)).client_id == existing.id


def test_converting_twice_is_impossible(client, login_as, reference) -> None:
    user = login_as(Role.CONSULTANT)
    lead = add_lead(status="qualified", assigned_to_id=user.id)
    assert convert_via_page(client, lead, standard_ids("iso-9001")).status_code == 302
    lead = db.session.get(Lead, lead.id)
    with pytest.raises(ServiceError, match="already been converted"):
        conversion.convert(lead, user, standard_ids("iso-9001"))
    db.session.rollback()
    assert len(db.session.scalars(select(Engagement)).all()) == 1


def test_the_database_refuses_a_second_engagement_for_a_lead(app, reference) -> None:
    lead = add_lead(status="converted")
    client_row = Client(name="X", name_normalised="x")
    db.session.add_all([Engagement(client=client_row, lead_id=lead.id), Engagement(client=client_row, lead_id=lead.id)])
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_an_unknown_stage(app, reference) -> None:
    db.session.add(Engagement(client=Client(name="Y", name_normalised="y"), stage="party"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("status", ["spam", "new", "contacted", "unqualified"])
def test_only_qualified_leads_convert(client, login_as, reference, status: str) -> None:
    user = login_as(Role.CONSULTANT)
    lead = add_lead(status=status, assigned_to_id=user.id)
    with pytest.raises(ServiceError, match="Only a qualified lead"):
        conversion.convert(lead, user, standard_ids("iso-9001"))
    db.session.rollback()
    assert db.session.scalars(select(Engagement)).all() == []
    assert db.session.scalars(select(Client)).all() == []


def test_converting_a_spam_lead_through_the_page_is_refused(client, login_as, reference) -> None:
    user = login_as(Role.CONSULTANT)
    lead = add_lead(status="spam", status_reason="bot", assigned_to_id=user.id)
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert 'data-testid="convert-form"' not in html
    response = client.post(
        f"/app/leads/{lead.id}/convert",
        data={"csrf_token": csrf_token_from(html), "version": str(lead.version), "standards": standard_ids("iso-9001")},
    )
    assert response.status_code == 400
    assert "Only a qualified lead can be converted" in response.get_data(as_text=True)
    assert db.session.scalars(select(Engagement)).all() == []


def test_an_unassigned_lead_must_be_assigned_first(client, login_as, reference) -> None:
    login_as(Role.CONSULTANT)
    lead = add_lead(status="qualified")
    response = convert_via_page(client, lead, standard_ids("iso-9001"))
    assert response.status_code == 400
    assert "Assign the lead" in response.get_data(as_text=True)
    assert db.session.scalars(select(Engagement)).all() == []


def test_standards_must_be_chosen(client, login_as, reference) -> None:
    user = login_as(Role.CONSULTANT)
    lead = add_lead(status="qualified", assigned_to_id=user.id)
    response = convert_via_page(client, lead, [])
    assert response.status_code == 400
    assert re.search(r'id="standards-error"[^>]*>Choose the standards', response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).status == "qualified"


def test_a_merged_duplicate_cannot_be_converted(app, make_user, reference) -> None:
    user = make_user(Role.CONSULTANT)
    root = add_lead()
    pointer = add_lead(status="qualified", duplicate_of_id=root.id, assigned_to_id=user.id)
    with pytest.raises(ServiceError, match="merged into"):
        conversion.convert(pointer, user, standard_ids("iso-9001"))
    db.session.rollback()
