"""Bulk actions from the inbox: assign, change status, mark as spam; each writes activity rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Activity, Lead, OutboxMessage, Role
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.leads import add_lead

pytestmark = pytest.mark.usefixtures("reference")


def post_bulk(client, data: dict, query: str = ""):
    token = csrf_token_from(client.get("/app/leads/" + query).get_data(as_text=True))
    return client.post("/app/leads/bulk" + query, data={**data, "csrf_token": token})


def activities(kind: str) -> list[Activity]:
    return list(db.session.scalars(select(Activity).where(Activity.kind == kind).order_by(Activity.lead_id)))


def fresh(lead_id: int) -> Lead:
    db.session.expire_all()
    return db.session.get(Lead, lead_id)


def test_bulk_assign_assigns_each_lead_and_writes_activities(client, login_as, make_user):
    me = login_as()
    colleague = make_user(name="Nasser Colleague")
    leads = [add_lead() for _ in range(3)]
    ids = [lead.id for lead in leads[:2]]
    response = post_bulk(client, {"lead_ids": ids, "action": "assign", "target": str(colleague.id)})
    assert response.status_code == 302
    assert [fresh(i).assigned_to_id for i in ids] == [colleague.id, colleague.id]
    assert fresh(leads[2].id).assigned_to_id is None
    rows = activities("assignment")
    assert [row.lead_id for row in rows] == ids
    assert all(row.author_id == me.id for row in rows)
    # The colleague hears about each lead given to them.
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 leads changed." in page


def test_bulk_unassign(client, login_as):
    me = login_as()
    lead = add_lead(assigned_to_id=me.id)
    post_bulk(client, {"lead_ids": [lead.id], "action": "assign", "target": "none"})
    assert fresh(lead.id).assigned_to_id is None


def test_bulk_status_change_follows_the_transition_rules(client, login_as):
    login_as()
    new = add_lead()
    converted = add_lead(status="converted")
    response = post_bulk(
        client, {"lead_ids": [new.id, converted.id], "action": "status", "target": "contacted"}, "?status=all"
    )
    assert response.status_code == 302
    assert fresh(new.id).status == "contacted"
    assert fresh(converted.id).status == "converted"
    assert [(row.lead_id, row.details["new"]) for row in activities("status_change")] == [(new.id, "contacted")]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{converted.reference} skipped" in page


def test_bulk_mark_as_spam(client, login_as):
    login_as(Role.ADMIN)
    leads = [add_lead(), add_lead(status="contacted")]
    post_bulk(client, {"lead_ids": [lead.id for lead in leads], "action": "spam", "target": "none"})
    assert [fresh(lead.id).status for lead in leads] == ["spam", "spam"]
    assert len(activities("status_change")) == 2


def test_unqualified_needs_a_reason_next_to_the_field(client, login_as):
    login_as()
    lead = add_lead()
    response = post_bulk(client, {"lead_ids": [lead.id], "action": "status", "target": "unqualified"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="reason-error"' in html
    assert f'value="{lead.id}" id="lead-{lead.id}" checked' in html  # the ticks are kept
    assert fresh(lead.id).status == "new"


def test_nothing_ticked_is_refused_with_a_message(client, login_as):
    login_as()
    add_lead()
    response = post_bulk(client, {"action": "assign", "target": "none"})
    assert response.status_code == 400
    assert "Tick at least one lead." in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["99999", "99999999999999999999", "²"])
def test_unknown_consultant_is_refused(client, login_as, target):
    login_as()
    lead = add_lead()
    response = post_bulk(client, {"lead_ids": [lead.id], "action": "assign", "target": target})
    assert response.status_code == 400
    assert "Choose a consultant." in response.get_data(as_text=True)
    assert fresh(lead.id).assigned_to_id is None


def test_filters_survive_the_bulk_action(client, login_as):
    login_as()
    lead = add_lead()
    response = post_bulk(
        client, {"lead_ids": [lead.id], "action": "status", "target": "contacted"}, "?standard=iso-9001"
    )
    assert response.headers["Location"].endswith("/app/leads/?standard=iso-9001")


def test_bulk_without_csrf_token_is_refused(client, login_as):
    login_as()
    lead = add_lead()
    response = client.post("/app/leads/bulk", data={"lead_ids": [lead.id], "action": "spam", "target": "none"})
    assert response.status_code == 400
    assert fresh(lead.id).status == "new"


def test_anonymous_bulk_goes_to_login(client, app):
    lead = add_lead()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/app/leads/bulk", data={"lead_ids": [lead.id], "action": "spam", "target": "none", "csrf_token": token}
    )
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert fresh(lead.id).status == "new"


def test_many_skipped_leads_are_summarised(client, login_as):
    login_as()
    spam = [add_lead(status="spam") for _ in range(7)]
    response = post_bulk(
        client, {"lead_ids": [lead.id for lead in spam], "action": "spam", "target": "none"}, "?status=all"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count(" skipped: ") == 5
    assert "2 more leads skipped." in page


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "1e3", "²", "99999999999999999999", ""])
def test_a_tick_that_is_no_id_is_refused_next_to_the_table_and_the_good_ticks_kept(client, login_as, raw):
    """A hand-edited or mangled form: a clear message, the other ticks kept, nothing changed, never a 500."""
    login_as()
    lead = add_lead()

    response = post_bulk(client, {"lead_ids": [str(lead.id), raw], "action": "status", "target": "contacted"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Some ticked rows could not be read. Reload the page and tick them again." in html
    assert f'value="{lead.id}" id="lead-{lead.id}" checked' in html
    assert fresh(lead.id).status == "new"


def test_unknown_deleted_and_repeated_ids_change_each_existing_lead_once(client, login_as):
    """Ticks on a page drawn before another consultant deleted a lead, a row ticked twice
    (two tabs' forms merged), an id that never existed."""
    login_as()
    kept, deleted = add_lead(), add_lead()
    page_ids = [kept.id, kept.id, deleted.id, 999_999_999]
    db.session.delete(deleted)
    db.session.commit()

    response = post_bulk(client, {"lead_ids": page_ids, "action": "status", "target": "contacted"})

    assert response.status_code == 302
    assert fresh(kept.id).status == "contacted"
    assert [row.lead_id for row in activities("status_change")] == [kept.id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 leads changed." in page
    assert "2 ticked leads no longer exist." in page


def test_only_missing_leads_ticked_says_so(client, login_as):
    login_as()

    response = post_bulk(client, {"lead_ids": ["123456"], "action": "spam", "target": ""})

    assert response.status_code == 302
    assert "1 ticked leads no longer exist." in client.get(response.headers["Location"]).get_data(as_text=True)
