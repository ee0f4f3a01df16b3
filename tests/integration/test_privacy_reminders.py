"""`flask reminders run` warns the admins before a personal-data deadline is missed: a request
due within a week, a breach not notified to the authority within a day of its deadline."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import OutboxMessage, PersonalDataBreach, PrivacyRequest, Role
from portal.models.types import utcnow


def run(runner) -> str:
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    return result.output


def reminders(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == f"reminder_{kind}").order_by(OutboxMessage.id)
        )
    )


def add_request(reference: str, due_in_days: int, **overrides) -> PrivacyRequest:
    request = PrivacyRequest(
        reference=reference,
        name="Aisha",
        email=f"{reference.lower()}@example.om",
        kind="access",
        details="What do you hold about me?",
        due_on=today_in_oman() + timedelta(days=due_in_days),
        **overrides,
    )
    db.session.add(request)
    db.session.commit()
    return request


def test_each_admin_is_reminded_once_in_their_language_of_a_request_due_within_a_week(app, runner, make_user):
    english = make_user(Role.ADMIN, email="admin.en@example.om")
    arabic = make_user(Role.ADMIN, email="admin.ar@example.om", locale="ar")
    make_user(Role.CONSULTANT, email="consultant@example.om")
    make_user(Role.ADMIN, email="former@example.om", active=False)
    due = add_request("PRQ-2026-000010", due_in_days=5)
    add_request("PRQ-2026-000011", due_in_days=30)  # not yet
    add_request("PRQ-2026-000012", due_in_days=2, status="done")  # answered
    add_request("PRQ-2026-000013", due_in_days=2, spam_reason="honeypot")  # not a person's request

    run(runner)
    run(runner)  # idempotent

    sent = reminders("privacy_request_due")
    assert sorted((m.recipient, m.language) for m in sent) == [(arabic.email, "ar"), (english.email, "en")]
    assert all("PRQ-2026-000010" in m.subject and f"/app/privacy/requests/{due.id}" in m.body_text for m in sent)
    assert "What do you hold about me?" not in "".join(m.body_text for m in sent)


def test_a_breach_is_reminded_a_day_before_its_notification_deadline_and_not_once_notified(app, runner, make_user):
    admin = make_user(Role.ADMIN, email="admin@example.om")
    now = utcnow()
    near = PersonalDataBreach(title="Laptop stolen", discovered_at=now - timedelta(hours=60))
    early = PersonalDataBreach(title="Mail to the wrong client", discovered_at=now - timedelta(hours=10))
    notified = PersonalDataBreach(
        title="Old breach", discovered_at=now - timedelta(hours=80), authority_notified_at=now - timedelta(hours=20)
    )
    db.session.add_all([near, early, notified])
    db.session.commit()

    run(runner)
    run(runner)

    (message,) = reminders("breach_notification_due")
    assert message.recipient == admin.email and "Laptop stolen" in message.subject
    assert f"/app/privacy/breaches/{near.id}" in message.body_text
