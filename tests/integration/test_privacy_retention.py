"""Retention: the settings, `flask privacy purge` (idempotent, dry run changes nothing), `status`, and the
person commands `flask privacy export | erase`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.models import AuditLog, Client, Engagement, Lead, OutboxMessage, Role, Setting
from portal.models.types import utcnow
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_client, add_engagement
from tests.fixtures.leads import add_lead
from tests.fixtures.privacy import EMAIL, HER_TRACES, OTHER_EMAIL, PHONE, add_people, traces_in_database, traces_left

pytestmark = pytest.mark.usefixtures("reference")

PAGE = "/app/privacy/"


def ago(**delta) -> object:
    return utcnow() - timedelta(**delta)


def add_finished_records() -> dict[str, int]:
    """One record past each rule's default period and one still within it."""
    old_client = add_client(name="Old Client", contact_name="Salim Old", contact_email="salim@old.example.om")
    old_lead = add_lead(
        contact_name="Salim Old", email="salim@old.example.om", status="converted", age=timedelta(days=3000)
    )
    old_engagement = add_engagement(
        client=old_client, lead_id=old_lead.id, stage="closed", stage_entered_at=ago(days=7 * 366)
    )
    old_spam = add_lead(status="spam", email="spammer@junk.example.om", updated_at=ago(days=31), age=timedelta(days=31))
    db.session.add_all(
        [
            OutboxMessage(
                kind="enquiry_acknowledgement", recipient=old_spam.email, subject="Hi", body_text="Dear spammer"
            ),
            OutboxMessage(kind="enquiry_acknowledgement", recipient=OTHER_EMAIL, subject="Hi", body_text="Dear Aysha"),
        ]
    )
    db.session.commit()
    ids = {
        "old_spam": old_spam.id,
        "new_spam": add_lead(status="spam", updated_at=ago(days=5), age=timedelta(days=5)).id,
        "old_unqualified": add_lead(status="unqualified", updated_at=ago(days=400), age=timedelta(days=400)).id,
        "new_unqualified": add_lead(status="unqualified", updated_at=ago(days=100), age=timedelta(days=100)).id,
        "old_engagement_lead": old_lead.id,
        "old_engagement": old_engagement.id,
        "old_client": old_client.id,
        "new_engagement": add_engagement(stage="closed", stage_entered_at=ago(days=365)).id,
    }
    return ids


def snapshot() -> list[tuple]:
    leads = db.session.execute(select(Lead.id, Lead.contact_name, Lead.email, Lead.erased_at).order_by(Lead.id)).all()
    clients = db.session.execute(select(Client.id, Client.contact_name, Client.contact_email).order_by(Client.id)).all()
    engagements = db.session.execute(select(Engagement.id, Engagement.erased_at).order_by(Engagement.id)).all()
    return [*leads, *clients, *engagements]


def test_purge_erases_what_is_past_retention_once_and_leaves_the_rest(runner):
    ids = add_finished_records()

    first = runner.invoke(args=["privacy", "purge"])
    db.session.expire_all()
    after_first = snapshot()
    second = runner.invoke(args=["privacy", "purge"])
    db.session.expire_all()

    assert first.exit_code == 0, first.output
    assert "Erased: spam 1, unqualified 1, closed_engagements 1." in first.output
    assert second.exit_code == 0 and "Erased: spam 0, unqualified 0, closed_engagements 0." in second.output
    assert snapshot() == after_first  # idempotent: the second run changed nothing
    for key in ("old_spam", "old_unqualified", "old_engagement_lead"):
        assert db.session.get(Lead, ids[key]).email == "[erased]", key
    for key in ("new_spam", "new_unqualified"):
        assert db.session.get(Lead, ids[key]).erased_at is None, key
    assert db.session.get(Client, ids["old_client"]).contact_email == ""
    assert db.session.get(Engagement, ids["old_engagement"]).erased_at is not None
    assert db.session.get(Engagement, ids["new_engagement"]).erased_at is None
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {"[erased]", OTHER_EMAIL}  # the spam lead's e-mail went with it, nobody else's
    assert len(db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.purged")).all()) == 1


def test_a_dry_run_counts_and_changes_nothing(runner):
    add_finished_records()
    before = snapshot()

    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    db.session.expire_all()

    assert result.exit_code == 0, result.output
    assert "Dry run, nothing changed. Due for erasure: spam 1, unqualified 1, closed_engagements 1." in result.output
    assert snapshot() == before
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.purged")).all() == []


def test_status_reports_each_rule_with_its_counts_and_next_due_date(runner):
    add_finished_records()

    result = runner.invoke(args=["privacy", "status"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("spam: keep 30 days; due now 1; kept 1; next due ")
    assert lines[1].startswith("unqualified: keep 12 months; due now 1; kept 1; next due ")
    assert lines[2].startswith("closed_engagements: keep 6 years; due now 1; kept 1; next due ")
    spam_due = (utcnow() - timedelta(days=5) + timedelta(days=30)).astimezone(MUSCAT).date()  # kept 5 days of 30
    assert lines[0].endswith(f"next due {spam_due.isoformat()}")


def test_admins_set_the_periods_and_the_purge_follows_them(client, runner, login_as):
    login_as(Role.ADMIN)
    spam_id = add_lead(status="spam", updated_at=ago(days=8), age=timedelta(days=8)).id
    page = client.get(PAGE).get_data(as_text=True)

    bad = client.post(
        f"{PAGE}retention",
        data={
            "csrf_token": csrf_token_from(page),
            "spam_days": "0",
            "unqualified_months": "12",
            "closed_engagement_years": "6",
        },
    )
    saved = client.post(
        f"{PAGE}retention",
        data={
            "csrf_token": csrf_token_from(page),
            "spam_days": "7",
            "unqualified_months": "24",
            "closed_engagement_years": "10",
        },
    )
    result = runner.invoke(args=["privacy", "purge"])

    assert bad.status_code == 400 and 'value="0"' in bad.get_data(as_text=True)
    assert saved.status_code == 302
    assert db.session.get(Setting, "privacy.retention.spam_days").value == "7"
    assert "Erased: spam 1," in result.output
    db.session.expire_all()
    assert db.session.get(Lead, spam_id).erased_at is not None
    assert "keep 24 months" in runner.invoke(args=["privacy", "status"]).output


def test_the_export_command_writes_the_persons_json_and_audits_it(runner, make_user, tmp_path):
    people = add_people(make_user())
    target = tmp_path / "aisha.json"

    result = runner.invoke(args=["privacy", "export", "--email", EMAIL, "--phone", PHONE, "-o", str(target)])

    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert len(document["enquiries"]) == 3
    assert people.other_lead.reference not in target.read_text(encoding="utf-8")
    (row,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "privacy.exported"))
    assert row.actor_email == "cli" and row.details["format"] == "cli"


def test_the_erase_command_asks_first_and_erases_with_yes(runner, make_user):
    add_people(make_user())

    declined = runner.invoke(args=["privacy", "erase", "--email", EMAIL, "--phone", PHONE], input="n\n")
    db.session.expire_all()
    still_there = traces_in_database(HER_TRACES)
    confirmed = runner.invoke(args=["privacy", "erase", "--email", EMAIL, "--phone", PHONE, "--yes"])
    db.session.expire_all()

    assert declined.exit_code == 1 and "Erase for good: 3 leads" in declined.output
    assert still_there
    assert confirmed.exit_code == 0, confirmed.output
    assert traces_left() == []
    assert db.session.scalar(select(Lead.email).where(Lead.email == OTHER_EMAIL)) == OTHER_EMAIL


def test_the_erase_command_refuses_with_the_reason_while_an_engagement_is_open(runner, make_user):
    add_people(make_user(), stage="stage1_audit")

    result = runner.invoke(args=["privacy", "erase", "--email", EMAIL, "--yes"])

    assert result.exit_code == 1
    assert "Refused: The engagement with Al Noor Trading is still open" in result.output
    assert traces_in_database(HER_TRACES)


def test_a_bad_phone_on_the_command_line_is_refused(runner):
    result = runner.invoke(args=["privacy", "export", "--email", EMAIL, "--phone", "12"])

    assert result.exit_code == 2
    assert "Enter a valid phone number" in result.output
