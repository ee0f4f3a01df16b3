"""The lead counts kept for the dashboard (portal/leads/tallies.py) stay equal to a fresh count
of the leads through every change a consultant makes, and `flask tallies rebuild` restores them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select

from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.leads import services
from portal.leads.services import ActivityKind
from portal.leads.tallies import day_of
from portal.models import Lead, LeadStandardTally, LeadTally, Standard
from tests.fixtures.enquiry import submit
from tests.fixtures.leads import add_lead

pytestmark = pytest.mark.usefixtures("reference")


def kept() -> tuple[Counter, Counter]:
    """The kept counts, without rows of zero."""
    leads = Counter(
        {
            (row.day, row.status, row.owner_id, row.answered, row.merged): row.leads
            for row in db.session.scalars(select(LeadTally))
            if row.leads
        }
    )
    standards = Counter(
        {(row.day, row.standard_id): row.leads for row in db.session.scalars(select(LeadStandardTally)) if row.leads}
    )
    return leads, standards


def fresh() -> tuple[Counter, Counter]:
    """The same counts made from the leads one by one, in Python."""
    db.session.expire_all()
    leads, standards = Counter(), Counter()
    for lead in db.session.scalars(select(Lead)):
        day = day_of(lead.created_at)
        answered, merged = lead.first_response_at is not None, lead.duplicate_of_id is not None
        leads[(day, lead.status, lead.assigned_to_id or 0, answered, merged)] += 1
        if lead.status != "spam":
            for standard in lead.standards:
                standards[(day, standard.id)] += 1
    return leads, standards


def test_kept_counts_follow_created_changed_merged_and_deleted_leads(make_user):
    amal, badr = make_user(name="Amal"), make_user(name="Badr")
    # Both sides of a Muscat midnight (20:00 UTC): two different days.
    late = add_lead(created_at=datetime(2026, 11, 30, 23, 59, tzinfo=MUSCAT), standards=("iso-9001", "iso-14001"))
    early = add_lead(created_at=datetime(2026, 12, 1, 0, 1, tzinfo=MUSCAT), assigned_to_id=amal.id)
    today = add_lead(standards=("iso-45001",))
    other = add_lead(age=timedelta(days=40))
    assert day_of(late.created_at) != day_of(early.created_at)
    assert kept() == fresh()

    services.change_status(late, "contacted", amal)  # a status change is also the first response
    db.session.commit()
    assert kept() == fresh()
    assert late.first_response_at is not None

    services.assign(today, badr, amal)
    services.log_call(early, amal, "reached")
    db.session.commit()
    assert kept() == fresh()

    services.change_status(today, "spam", badr, reason="advert")  # leaves the chart's standards
    db.session.commit()
    assert kept() == fresh()

    services.merge(early, late, amal)  # merged: closed, points to the original, standards move over
    db.session.commit()
    assert early.duplicate_of_id == late.id
    assert kept() == fresh()

    other.standards.append(db.session.scalar(select(Standard).where(Standard.slug == "iso-27001")))
    db.session.commit()
    assert kept() == fresh()

    db.session.delete(other)  # erased (no area deletes leads today; an erasure must not leave counts behind)
    db.session.commit()
    assert kept() == fresh()
    assert sum(kept()[0].values()) == db.session.scalar(select(db.func.count()).select_from(Lead)) == 3


def test_a_rolled_back_change_leaves_the_counts_as_they_were(make_user):
    amal = make_user()
    lead = add_lead()
    before = kept()
    services.change_status(lead, "contacted", amal)
    assert kept() != before  # counted in the flush, inside the transaction
    db.session.rollback()
    assert kept() == before == fresh()


def test_rebuild_command_counts_every_day_again(app):
    for days in (0, 1, 3, 200):
        add_lead(age=timedelta(days=days), standards=("iso-9001", "iso-22000"))
    expected = fresh()
    db.session.execute(delete(LeadTally))
    db.session.add(LeadStandardTally(day=day_of(datetime.now(MUSCAT)) - timedelta(days=900), standard_id=1, leads=7))
    db.session.commit()
    assert kept() != expected

    result = app.test_cli_runner().invoke(args=["tallies", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "lead counts rebuilt for 201 days" in result.output
    assert kept() == expected


def test_kinds_that_answer_nobody_leave_the_lead_waiting(make_user):
    amal = make_user()
    lead = add_lead(assigned_to_id=amal.id)
    services.add_note(lead, amal, "Asked a colleague")
    db.session.commit()
    waiting = (day_of(lead.created_at), "new", amal.id, False, False)
    assert kept()[0][waiting] == 1
    services.record_activity(lead, amal, ActivityKind.CALL, "Called back")
    db.session.commit()
    assert kept()[0][waiting] == 0
    assert kept() == fresh()


def test_kept_counts_include_an_enquiry_and_its_standards(enquiry_app, client):
    """The enquiry writes its standards with one INSERT after the lead's own flush: they are counted too."""
    assert submit(client).status_code == 302
    leads, standards = kept()
    assert (leads, standards) == fresh() and sum(standards.values()) >= 1
