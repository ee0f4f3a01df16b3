"""`flask reminders run`: the right owners are told about what is coming due, once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.clock import today_in_oman
from portal.engagements import reminders
from portal.extensions import db
from portal.models import Activity, OutboxMessage, Reminder
from portal.models.types import utcnow
from tests.fixtures.engagements import add_engagement, add_quote

TODAY = date(2026, 6, 1)


def run(runner, day: date = TODAY):
    result = runner.invoke(args=["reminders", "run", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def certified(owner, s1_due: date, **overrides):
    """A certified engagement whose first surveillance is due on `s1_due`."""
    engagement = add_engagement(owner=owner, stage="certified", decision_date=s1_due - timedelta(days=365), **overrides)
    engagement.surveillance_1_due = s1_due
    db.session.commit()
    return engagement


def test_a_surveillance_due_within_60_days_is_mailed_to_the_owner_once(runner, make_user, reference) -> None:
    owner = make_user(email="salma@example.om")
    engagement = certified(owner, TODAY + timedelta(days=45), client_name="Gulf Dates LLC")
    certified(owner, TODAY + timedelta(days=62))
    assert "reminders queued: 1" in run(runner)
    sent = messages()
    assert len(sent) == 1
    assert sent[0].recipient == "salma@example.om"
    assert sent[0].kind == "reminder_audit_surveillance_1"
    assert "Gulf Dates LLC" in sent[0].subject
    assert f"/app/engagements/{engagement.id}" in sent[0].body_text
    assert "in 45 days" in sent[0].body_text

    assert "reminders queued: 0" in run(runner)
    assert "reminders queued: 0" in run(runner, TODAY + timedelta(days=1))
    assert len(messages()) == 1


def test_later_audits_are_reminded_when_their_window_opens(runner, make_user, reference) -> None:
    owner = make_user()
    engagement = add_engagement(owner=owner, stage="surveillance_2", decision_date=date(2024, 8, 15))
    assert engagement.surveillance_2_due == date(2026, 8, 15)
    run(runner, date(2026, 6, 15))  # 61 days before
    assert messages() == []
    run(runner, date(2026, 6, 16))
    assert [m.kind for m in messages()] == ["reminder_audit_surveillance_2"]


def test_a_certificate_expiring_within_90_days_is_reminded(runner, make_user, reference) -> None:
    owner = make_user()
    engagement = add_engagement(owner=owner, stage="surveillance_2", decision_date=date(2023, 8, 1))
    assert engagement.expiry_date == date(2026, 7, 31)
    run(runner)
    kinds = sorted(m.kind for m in messages())
    assert "reminder_certificate_expiry" in kinds
    expiry = next(m for m in messages() if m.kind == "reminder_certificate_expiry")
    assert engagement.certificate_number in expiry.body_text


def test_closed_engagements_are_not_reminded(runner, make_user, reference) -> None:
    certified(make_user(), TODAY + timedelta(days=10), closed_reason="no_budget").stage = "closed"
    db.session.commit()
    run(runner)
    assert messages() == []


def test_a_withdrawn_certificate_has_no_audit_or_expiry_reminders(runner, make_user, reference) -> None:
    owner = make_user()
    certified(owner, TODAY + timedelta(days=10), certificate_state="withdrawn")
    add_engagement(owner=owner, stage="surveillance_2", decision_date=date(2023, 8, 1), certificate_state="withdrawn")
    run(runner)
    assert [m.kind for m in messages() if m.kind != "reminder_inactive"] == []


def test_a_quote_request_unanswered_after_10_days_is_reminded_once(runner, make_user, reference) -> None:
    engagement = add_engagement(owner=make_user(email="khalid@example.om"), stage="registrar_selection")
    late = add_quote(engagement, status="requested", requested_at=utcnow() - timedelta(days=11))
    add_quote(engagement, status="requested", requested_at=utcnow() - timedelta(days=3))
    add_quote(engagement, status="received", requested_at=utcnow() - timedelta(days=20))
    run(runner, today_in_oman())
    run(runner, today_in_oman())
    sent = messages()
    assert [(m.kind, m.recipient) for m in sent] == [("reminder_quote_unanswered", "khalid@example.om")]
    assert late.certification_body.name in sent[0].subject


def test_a_quote_expiring_in_a_week_is_reminded_once(runner, make_user, reference) -> None:
    engagement = add_engagement(owner=make_user(), stage="registrar_selection")
    add_quote(engagement, status="received", valid_until=TODAY + timedelta(days=7))
    add_quote(engagement, status="received", valid_until=TODAY + timedelta(days=8))
    add_quote(engagement, status="accepted", valid_until=TODAY + timedelta(days=2))
    run(runner)
    run(runner)
    assert [m.kind for m in messages()] == ["reminder_quote_expiring"]


def test_an_engagement_quiet_for_30_days_is_reminded_until_something_happens(runner, make_user, reference) -> None:
    owner = make_user()
    quiet = add_engagement(owner=owner, stage="implementation", created_at=utcnow() - timedelta(days=40))
    add_engagement(owner=owner, stage="implementation", created_at=utcnow() - timedelta(days=40)).stage = "on_hold"
    busy = add_engagement(owner=owner, stage="implementation", created_at=utcnow() - timedelta(days=40))
    db.session.add(Activity(engagement_id=busy.id, kind="note", body="Called the client", created_at=utcnow()))
    db.session.commit()
    today = today_in_oman()
    run(runner, today)
    run(runner, today)
    inactive = [m for m in messages() if m.kind == "reminder_inactive"]
    assert len(inactive) == 1
    assert quiet.client.name in inactive[0].subject

    db.session.add(
        Activity(engagement_id=quiet.id, kind="note", body="Visited", created_at=utcnow() - timedelta(days=31))
    )
    db.session.commit()
    run(runner, today)
    assert len([m for m in messages() if m.kind == "reminder_inactive"]) == 2  # a new quiet spell, a new reminder


def test_an_unowned_engagement_is_reminded_to_the_shared_address(runner, app, reference) -> None:
    certified(None, TODAY + timedelta(days=30))
    run(runner)
    assert [m.recipient for m in messages()] == [app.config["NOTIFY_EMAILS"][0]]


def test_the_database_refuses_a_second_reminder_with_the_same_key(app) -> None:
    key = {"kind": "inactive", "subject_type": "engagement", "subject_id": 1, "due_date": TODAY}
    db.session.add(Reminder(**key))
    db.session.commit()
    db.session.add(Reminder(**key))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_run_that_loses_the_race_for_a_key_sends_nothing(app, make_user, reference, monkeypatch) -> None:
    """Two cron runs at once: the second finds the key taken at insert time and skips the e-mail."""
    engagement = certified(make_user(), TODAY + timedelta(days=30))
    db.session.add(
        Reminder(
            kind="audit_surveillance_1",
            subject_type="engagement",
            subject_id=engagement.id,
            due_date=TODAY + timedelta(days=30),
        )
    )
    db.session.commit()
    monkeypatch.setattr(reminders, "_already_sent", lambda due: False)
    sent = reminders.run_reminders(TODAY)
    db.session.commit()
    assert sent["audit_surveillance_1"] == 0
    assert messages() == []


@pytest.mark.postgres
@pytest.mark.clean_tables  # threads or a second connection must see committed rows
def test_two_runs_at_the_same_time_send_each_reminder_once(app, make_user, reference) -> None:
    """Two cron jobs overlapping on PostgreSQL: the unique key makes the second wait, then skip."""
    import threading

    for n in range(5):
        certified(make_user(), TODAY + timedelta(days=10 + n))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run_once() -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                reminders.run_reminders(TODAY)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(messages()) == 5
    assert len(set(db.session.scalars(select(Reminder.subject_id)))) == 5
