"""The edition a certificate is to: recorded at the decision, reminded to the owner when its
transition to a newer edition ends within six months, and said on the engagement page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import AuditLog, Engagement, OutboxMessage, StandardEdition
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_engagement

TODAY = date(2026, 6, 1)  # after ISO 14001:2026 was published (15 April 2026)


def edition(label: str) -> StandardEdition:
    return db.session.scalar(select(StandardEdition).where(StandardEdition.edition == label))


def certify(client, engagement: Engagement, decision_date: date):
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    return client.post(
        f"/app/engagements/{engagement.id}/stage",
        data={
            "csrf_token": csrf_token_from(html),
            "version": str(engagement.version),
            "to_stage": "certified",
            "certificate_number": "EMS-1",
            "decision_date": decision_date.isoformat(),
        },
    )


def certified_to(owner, label: str, transition_ends: date | None, **overrides) -> Engagement:
    """A certified ISO 14001 engagement to `label`, with ISO 14001:2026's transition ending then."""
    edition("ISO 14001:2026").previous_edition_ends_on = transition_ends
    engagement = add_engagement(
        owner=owner, stage="certified", standards=("iso-14001",), decision_date=date(2025, 3, 1), **overrides
    )
    engagement.certified_editions = [edition(label)]
    db.session.commit()
    return engagement


def run(runner, day: date = TODAY) -> str:
    result = runner.invoke(args=["reminders", "run", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def transition_mails() -> list[OutboxMessage]:
    db.session.expire_all()
    stmt = select(OutboxMessage).where(OutboxMessage.kind == "reminder_edition_transition")
    return list(db.session.scalars(stmt))


def test_a_certification_is_to_the_editions_current_on_the_decision(client, login_as, reference):
    today = today_in_oman()
    engagement = add_engagement(owner=login_as(), stage="stage2_audit", standards=("iso-14001", "iso-27001"))
    assert certify(client, engagement, today).status_code == 302
    db.session.expire_all()
    labels = [e.edition for e in db.session.get(Engagement, engagement.id).certified_editions]
    assert labels == ["ISO 14001:2026", "ISO/IEC 27001:2022"]
    audited = db.session.scalar(select(AuditLog).where(AuditLog.action == "engagement.stage"))
    assert audited.details["editions"] == labels


def test_a_decision_before_a_new_edition_was_published_is_to_the_old_one(client, login_as, reference):
    engagement = add_engagement(owner=login_as(), stage="stage2_audit", standards=("iso-14001",))
    decided = date(2026, 4, 1)
    assert today_in_oman() - decided < timedelta(days=365)
    assert certify(client, engagement, decided).status_code == 302
    db.session.expire_all()
    assert [e.edition for e in db.session.get(Engagement, engagement.id).certified_editions] == ["ISO 14001:2015"]


def test_the_owner_is_reminded_once_when_the_transition_ends_within_six_months(runner, make_user, reference):
    owner = make_user(email="salma@example.om")
    ends = TODAY + timedelta(days=150)
    engagement = certified_to(owner, "ISO 14001:2015", ends, client_name="Sohar Steel LLC")
    run(runner)
    (sent,) = transition_mails()
    assert sent.recipient == "salma@example.om"
    assert "ISO 14001:2026" in sent.subject and "Sohar Steel LLC" in sent.subject
    assert f"end on {ends.isoformat()}, in 150 days" in sent.body_text
    assert f"/app/engagements/{engagement.id}" in sent.body_text

    run(runner)
    run(runner, TODAY + timedelta(days=1))
    assert len(transition_mails()) == 1


def test_no_reminder_more_than_six_months_ahead(runner, make_user, reference):
    certified_to(make_user(), "ISO 14001:2015", TODAY + timedelta(days=200))
    run(runner)
    assert transition_mails() == []


def test_no_reminder_for_the_new_edition_nor_a_withdrawn_certificate(runner, make_user, reference):
    owner = make_user()
    certified_to(owner, "ISO 14001:2026", TODAY + timedelta(days=100))
    certified_to(owner, "ISO 14001:2015", TODAY + timedelta(days=100), certificate_state="withdrawn")
    run(runner)
    assert transition_mails() == []


def test_the_engagement_page_says_when_the_certified_editions_certificates_end(client, login_as, reference):
    ends = today_in_oman() + timedelta(days=60)
    engagement = certified_to(login_as(), "ISO 14001:2015", ends)
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "ISO 14001:2015" in html
    assert "Certificates to this edition end on" in html
    assert "the transition to ISO 14001:2026 must be decided before then" in html


def correct(client, engagement: Engagement, edition_id: int | str):
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), "version": str(engagement.version), "edition": str(edition_id)}
    return client.post(f"/app/engagements/{engagement.id}/edition", data=data)


def test_a_consultant_corrects_the_edition_the_certificate_is_to(client, login_as, reference):
    consultant = login_as()
    engagement = certified_to(consultant, "ISO 14001:2026", None)
    assert correct(client, engagement, edition("ISO 14001:2015").id).status_code == 302
    db.session.expire_all()
    assert [e.edition for e in db.session.get(Engagement, engagement.id).certified_editions] == ["ISO 14001:2015"]
    audited = db.session.scalar(select(AuditLog).where(AuditLog.action == "engagement.edition"))
    assert (audited.actor_id, audited.details) == (consultant.id, {"from": "ISO 14001:2026", "to": "ISO 14001:2015"})
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "Edition on the certificate: ISO 14001:2026 → ISO 14001:2015" in html


def test_an_edition_of_another_standard_is_refused_next_to_the_field(client, login_as, reference):
    engagement = certified_to(login_as(), "ISO 14001:2026", None)
    response = correct(client, engagement, edition("ISO/IEC 27001:2022").id)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    form = html.split('data-testid="edition-form"')[1].split("</form>")[0]
    assert "is-invalid" in form and "Not a valid choice." in form
    db.session.expire_all()
    assert [e.edition for e in db.session.get(Engagement, engagement.id).certified_editions] == ["ISO 14001:2026"]


def test_an_engagement_without_a_certificate_has_no_edition_to_correct(client, login_as, reference):
    engagement = add_engagement(owner=login_as(), stage="implementation", standards=("iso-14001",))
    response = correct(client, engagement, edition("ISO 14001:2015").id)
    assert response.status_code == 400
    assert "The engagement has no certificate yet." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).certified_editions == []


def test_seeding_reference_data_records_the_editions_of_certificates_issued_before_editions_were_kept(
    runner, make_user, reference
):
    owner = make_user()
    decided_2025 = add_engagement(
        owner=owner, stage="certified", standards=("iso-14001",), decision_date=date(2025, 3, 1)
    )
    decided_2026 = add_engagement(
        owner=owner, stage="certified", standards=("iso-14001", "iso-27001"), decision_date=date(2026, 5, 3)
    )
    too_old = add_engagement(owner=owner, stage="certified", standards=("iso-14001",), decision_date=date(2014, 1, 5))
    not_certified = add_engagement(owner=owner, stage="implementation", standards=("iso-14001",))

    result = runner.invoke(args=["seed", "reference"])
    assert result.exit_code == 0, result.output
    assert "certified editions recorded for 2 engagement(s)" in result.output
    db.session.expire_all()

    def labels(engagement: Engagement) -> list[str]:
        return [e.edition for e in db.session.get(Engagement, engagement.id).certified_editions]

    assert labels(decided_2025) == ["ISO 14001:2015"]
    assert labels(decided_2026) == ["ISO 14001:2026", "ISO/IEC 27001:2022"]
    assert labels(too_old) == [] and labels(not_certified) == []

    again = runner.invoke(args=["seed", "reference"])
    assert "certified editions recorded" not in again.output
