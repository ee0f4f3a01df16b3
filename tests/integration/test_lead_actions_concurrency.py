"""Two consultants changing the same lead: the second is told, nothing is overwritten or lost."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.leads import services
from portal.models import Engagement, Lead, Role
from tests.fixtures.auth import TEST_PASSWORD, csrf_token_from, log_in
from tests.fixtures.leads import add_lead


def page_state(client, lead: Lead) -> tuple[str, str]:
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    return csrf_token_from(html), re.search(r'name="version" value="(\d+)"', html).group(1)


def test_second_consultant_gets_a_conflict_and_keeps_what_they_typed(app, client, make_user, reference) -> None:
    first = make_user(Role.CONSULTANT, name="First")
    second = make_user(Role.CONSULTANT, name="Second")
    lead = add_lead()
    other = app.test_client()
    log_in(client, first.email, TEST_PASSWORD)
    log_in(other, second.email, TEST_PASSWORD)
    token, version = page_state(client, lead)
    other_token, other_version = page_state(other, lead)

    assert (
        client.post(
            f"/app/leads/{lead.id}/status", data={"csrf_token": token, "version": version, "status": "contacted"}
        ).status_code
        == 302
    )
    response = other.post(
        f"/app/leads/{lead.id}/status",
        data={"csrf_token": other_token, "version": other_version, "status": "spam", "reason": "Looks like a bot"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by someone else" in html
    assert 'value="Looks like a bot"' in html
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).status == "contacted"

    # The page now carries the current version: sending again, knowingly, works.
    current = re.search(r'name="version" value="(\d+)"', html).group(1)
    again = other.post(
        f"/app/leads/{lead.id}/status",
        data={"csrf_token": other_token, "version": current, "status": "spam", "reason": "Looks like a bot"},
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).status == "spam"


@pytest.mark.clean_tables  # a second connection commits while the request runs
def test_a_change_landing_between_reading_and_writing_is_a_conflict_too(
    client, login_as, make_user, reference, monkeypatch
) -> None:
    """The version in the form matched, but another transaction committed before ours wrote."""
    login_as(Role.CONSULTANT)
    colleague = make_user(Role.CONSULTANT, name="Colleague")
    lead = add_lead()
    token, version = page_state(client, lead)
    original_check = services.check_version

    def check_then_someone_else_writes(lead: Lead, expected: int | None) -> None:
        original_check(lead, expected)
        with db.engine.begin() as connection:
            connection.execute(
                update(Lead.__table__)
                .where(Lead.__table__.c.id == lead.id)
                .values(assigned_to_id=colleague.id, version=Lead.__table__.c.version + 1)
            )

    monkeypatch.setattr(services, "check_version", check_then_someone_else_writes)
    response = client.post(
        f"/app/leads/{lead.id}/status",
        data={"csrf_token": token, "version": version, "status": "unqualified", "reason": "Out of scope"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by someone else" in html and 'value="Out of scope"' in html
    db.session.expire_all()
    stored = db.session.get(Lead, lead.id)
    assert (stored.status, stored.assigned_to_id) == ("new", colleague.id)


def test_conversion_with_a_stale_form_is_refused(client, login_as, make_user, reference) -> None:
    user = login_as(Role.CONSULTANT)
    colleague = make_user(Role.CONSULTANT, name="Colleague")
    lead = add_lead(status="qualified", assigned_to_id=user.id)
    token, version = page_state(client, lead)
    services.assign(db.session.get(Lead, lead.id), colleague, colleague)
    db.session.commit()
    response = client.post(
        f"/app/leads/{lead.id}/convert",
        data={"csrf_token": token, "version": version, "standards": str(lead.standards[0].id)},
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).status == "qualified"
    assert db.session.scalars(select(Engagement)).all() == []
