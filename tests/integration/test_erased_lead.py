"""An erased lead stays for the figures: nothing is sent to the person or written about them again,
while its status, owner and tags may still change so that it can be closed like any other."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from portal.domain.personal_data import Identifiers
from portal.extensions import db
from portal.models import Activity, Client, Lead, OutboxMessage, Role, Tag
from portal.privacy.erasure import erase_person
from portal.privacy.retention import load_periods
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.leads import add_lead

pytestmark = pytest.mark.usefixtures("reference")

REFUSED = "can no longer be e-mailed, converted or merged, nor be given notes, calls or files."


@pytest.fixture()
def consultant(login_as):
    return login_as(Role.CONSULTANT, name="Salim Al Harthy", email="salim@example.om")


def erased(**overrides) -> Lead:
    """A lead whose person asked for erasure, erased through the privacy area's own service."""
    lead = add_lead(email="aisha@example.om", **overrides)
    erase_person(Identifiers(emails=("aisha@example.om",)), None, load_periods())
    db.session.commit()
    return lead


def post(client, lead: Lead, action: str, files: dict | None = None, **data):
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(html)}
    if version := re.search(r'name="version" value="(\d+)"', html):
        form["version"] = version.group(1)
    return client.post(f"/app/leads/{lead.id}/{action}", data={**form, **(files or {}), **data})


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("email", {"template": "follow_up", "personal_message": "Hello"}),
        ("note", {"note": "She called back"}),
        ("call", {"outcome": "reached", "call_notes": "Spoke about ISO 9001"}),
    ],
)
def test_nothing_is_sent_to_or_written_about_the_person(client, consultant, action, data):
    lead = erased()
    before = db.session.scalar(select(db.func.count()).select_from(Activity).where(Activity.lead_id == lead.id))
    response = post(client, lead, action, **data)
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)
    assert db.session.scalars(select(OutboxMessage)).all() == []
    after = db.session.scalar(select(db.func.count()).select_from(Activity).where(Activity.lead_id == lead.id))
    assert after == before


def test_a_file_cannot_be_attached(client, consultant):
    lead = erased()
    response = post(client, lead, "attachments", file=(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "scope.pdf"))
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


def test_it_is_not_converted_into_a_client(client, consultant):
    lead = erased(status="qualified", assigned_to_id=consultant.id)
    response = post(client, lead, "convert", standards=lead.standards[0].id)
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)
    assert db.session.scalars(select(Client)).all() == []


def test_no_lead_is_merged_into_it_nor_it_into_another(client, consultant):
    lead = erased()
    other = add_lead(email="other@example.om")
    for duplicate, original in ((other, lead), (lead, other)):
        response = post(client, duplicate, "merge", target=original.id)
        assert response.status_code == 400
        assert REFUSED in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Lead, other.id).duplicate_of_id is None
    assert db.session.get(Lead, lead.id).duplicate_of_id is None


def test_it_can_still_be_closed_assigned_and_tagged(client, consultant):
    lead = erased()
    tag = Tag(name="Erased on request", colour="secondary")
    db.session.add(tag)
    db.session.commit()
    assert post(client, lead, "assign", assignee=consultant.id).status_code == 302
    assert (
        post(client, lead, "status", status="unqualified", reason="Erased at the person's request").status_code == 302
    )
    assert post(client, lead, "tags", tag=tag.id).status_code == 302
    db.session.expire_all()
    kept = db.session.get(Lead, lead.id)
    assert (kept.status, kept.assigned_to_id, [t.name for t in kept.tags]) == (
        "unqualified",
        consultant.id,
        ["Erased on request"],
    )


def test_the_page_says_so_and_offers_only_what_is_allowed(client, consultant):
    lead = erased(status="qualified", assigned_to_id=consultant.id)
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert 'data-testid="lead-erased"' in html
    for form in ("note-form", "call-form", "email-form"):
        assert f'data-testid="{form}"' not in html
    assert f"/app/leads/{lead.id}/convert" not in html
    assert f"/app/leads/{lead.id}/attachments" not in html
    assert f"/app/leads/{lead.id}/status" in html
    assert f"/app/leads/{lead.id}/assign" in html


def test_a_lead_that_was_not_erased_shows_no_such_notice(client, consultant):
    lead = add_lead()
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert 'data-testid="lead-erased"' not in html
    assert 'data-testid="note-form"' in html
