"""The certificate beyond the stage: restoration after expiry (ISO/IEC 17021-1 9.6.3.2.5),
suspension, withdrawal and lifted suspensions (9.6), expiry read from the date, and
engagements that start as a transfer of a certificate from another body (IAF MD 2)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.core.clock import today_in_oman
from portal.domain.schedule import add_months
from portal.extensions import db
from portal.models import Activity, AuditLog, CertificateTransfer, Engagement, Standard
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_client, add_engagement
from tests.fixtures.registrars import add_body
from tests.integration.test_engagement_stages import fresh, post_move


def post_state(client, engagement: Engagement, **fields):
    page = client.get(f"/app/engagements/{engagement.id}")
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "version": str(engagement.version), **fields}
    return client.post(f"/app/engagements/{engagement.id}/certificate", data=data)


def test_a_late_recertification_within_six_months_restores_the_prior_cycle(client, login_as, reference) -> None:
    today = today_in_oman()
    first_decision = add_months(today, -38)  # the certificate expired about two months ago
    engagement = add_engagement(owner=login_as(), stage="recertification", decision_date=first_decision)
    old_expiry = engagement.expiry_date
    assert old_expiry < today
    response = post_move(client, engagement, "certified", certificate_number="QMS-9", decision_date=today.isoformat())
    assert response.status_code == 302
    engagement = fresh(engagement)
    assert engagement.expiry_date == add_months(old_expiry, 36)  # not today + 3 years
    assert engagement.surveillance_1_due == add_months(old_expiry + timedelta(days=1), 12)
    assert engagement.certificate_state == "restored"
    assert (engagement.not_certified_from, engagement.not_certified_until) == (
        old_expiry + timedelta(days=1),
        today - timedelta(days=1),
    )
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert 'data-testid="not-certified"' in html
    assert f"Not certified from {(old_expiry + timedelta(days=1)).isoformat()}" in html
    assert 'data-status="restored"' in html
    assert "certificate restored on the prior cycle" in html  # the timeline says so


def test_a_recertification_more_than_six_months_late_starts_a_new_cycle(client, login_as, reference) -> None:
    today = today_in_oman()
    engagement = add_engagement(owner=login_as(), stage="recertification", decision_date=add_months(today, -44))
    response = post_move(client, engagement, "certified", certificate_number="QMS-10", decision_date=today.isoformat())
    assert response.status_code == 302
    engagement = fresh(engagement)
    assert engagement.cycle_start == today
    assert engagement.certificate_state == "active"
    assert engagement.not_certified_from is not None


def test_suspension_then_lifting_it_is_recorded_with_reason_and_audited(client, login_as, reference) -> None:
    today = today_in_oman()
    engagement = add_engagement(owner=login_as(), stage="surveillance_1", decision_date=today - timedelta(days=200))
    response = post_state(
        client, engagement, state="suspended", state_date=today.isoformat(), state_reason="Surveillance refused"
    )
    assert response.status_code == 302
    engagement = fresh(engagement)
    assert (engagement.certificate_state, engagement.certificate_state_date) == ("suspended", today)
    assert engagement.certificate_state_reason == "Surveillance refused"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "engagement.certificate_state")) is not None
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert 'data-status="suspended"' in html and "Surveillance refused" in html

    assert post_state(client, engagement, state="restored", state_date=today.isoformat(), state_reason="Audit done")
    engagement = fresh(engagement)
    assert engagement.certificate_state == "restored"
    kinds = db.session.scalars(select(Activity.kind).where(Activity.engagement_id == engagement.id)).all()
    assert kinds.count("certificate_state") == 2


def test_a_state_without_reason_or_from_the_wrong_state_is_refused_next_to_the_field(
    client, login_as, reference
) -> None:
    today = today_in_oman()
    engagement = add_engagement(owner=login_as(), stage="certified", decision_date=today - timedelta(days=30))
    missing = post_state(client, engagement, state="withdrawn", state_date=today.isoformat(), state_reason=" ")
    assert missing.status_code == 400
    assert 'id="state_reason-error"' in missing.get_data(as_text=True)
    wrong = post_state(client, engagement, state="restored", state_date=today.isoformat(), state_reason="why")
    assert wrong.status_code == 400
    assert 'id="state-error"' in wrong.get_data(as_text=True)
    future = post_state(
        client, engagement, state="suspended", state_date=(today + timedelta(days=3)).isoformat(), state_reason="x"
    )
    assert future.status_code == 400 and 'id="state_date-error"' in future.get_data(as_text=True)
    assert fresh(engagement).certificate_state == "active"


def test_an_expired_certificate_reads_expired_without_writing(client, login_as, reference) -> None:
    today = today_in_oman()
    engagement = add_engagement(owner=login_as(), stage="recertification", decision_date=add_months(today, -40))
    version = engagement.version
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert 'data-status="expired"' in html
    engagement = fresh(engagement)
    assert (engagement.certificate_state, engagement.version) == ("active", version)


def transfer_fields(client, client_id: int, **overrides) -> dict[str, str]:
    page = client.get(f"/app/engagements/transfer?client={client_id}")
    assert page.status_code == 200
    today = today_in_oman()
    standard = db.session.scalar(select(Standard).where(Standard.slug == "iso-9001"))
    return {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "standard": str(standard.id),
        "issuing_body": "Previous Cert Ltd",
        "certificate_number": "PC-123",
        "expiry_date": add_months(today, 20).isoformat(),
        "next_audit": "surveillance_2",
        "certification_body": "0",
        "eligible": "y",
        "review_date": today.isoformat(),
        "reviewer": "A. Reviewer",
        "review_outcome": "accepted",
        "review_notes": "No open major nonconformity.",
    } | overrides


def test_a_transfer_keeps_the_existing_cycle_and_records_the_review(client, login_as, reference) -> None:
    user = login_as()
    owner = add_client(name="Transfer Co LLC")
    body = add_body()
    fields = transfer_fields(client, owner.id, certification_body=str(body.id))
    response = client.post(f"/app/engagements/transfer?client={owner.id}", data=fields)
    assert response.status_code == 302
    engagement = db.session.scalar(select(Engagement).where(Engagement.client_id == owner.id))
    assert response.headers["Location"].endswith(f"/app/engagements/{engagement.id}")
    expiry = date.fromisoformat(fields["expiry_date"])
    assert (engagement.stage, engagement.expiry_date, engagement.certificate_number) == (
        "surveillance_2",
        expiry,
        "PC-123",
    )
    cycle_start = add_months(expiry + timedelta(days=1), -36)
    assert engagement.surveillance_2_due == add_months(cycle_start, 24)
    assert engagement.certification_body_id == body.id and engagement.owner_id == user.id
    transfer = db.session.scalar(select(CertificateTransfer).where(CertificateTransfer.engagement_id == engagement.id))
    assert (transfer.issuing_body, transfer.reviewer, transfer.review_outcome) == (
        "Previous Cert Ltd",
        "A. Reviewer",
        "accepted",
    )
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "engagement.transfer")) is not None
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert 'data-testid="transfer"' in html and "Transferred from Previous Cert Ltd" in html


def test_a_transfer_of_an_expired_or_ineligible_certificate_is_refused_with_input_kept(
    client, login_as, reference
) -> None:
    login_as()
    owner = add_client()
    expired = (today_in_oman() - timedelta(days=1)).isoformat()
    refused = client.post(
        f"/app/engagements/transfer?client={owner.id}", data=transfer_fields(client, owner.id, expiry_date=expired)
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="expiry_date-error"' in html and 'value="PC-123"' in html
    fields = transfer_fields(client, owner.id)
    del fields["eligible"]
    ineligible = client.post(f"/app/engagements/transfer?client={owner.id}", data=fields)
    assert ineligible.status_code == 400 and 'id="eligible-error"' in ineligible.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Engagement).where(Engagement.client_id == owner.id)) == 0


def test_the_transfer_form_needs_an_existing_client(client, login_as, reference) -> None:
    login_as()
    assert client.get("/app/engagements/transfer?client=999999").status_code == 404
    assert client.get("/app/engagements/transfer").status_code == 404


def test_the_client_page_links_to_a_transfer(client, login_as, reference) -> None:
    login_as()
    owner = add_client()
    html = client.get(f"/app/clients/{owner.id}").get_data(as_text=True)
    assert f"/app/engagements/transfer?client={owner.id}" in html


def test_the_state_form_offers_only_what_may_follow(client, login_as, reference) -> None:
    today = today_in_oman()
    engagement = add_engagement(owner=login_as(), stage="certified", decision_date=today - timedelta(days=30))
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert 'value="suspended"' in html and 'value="withdrawn"' in html and 'value="restored"' not in html
    engagement.certificate_state = "suspended"
    db.session.commit()
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert 'value="restored"' in html and 'value="suspended"' not in html


def test_board_and_client_page_cards_flag_a_certificate_that_is_not_valid(client, login_as, reference) -> None:
    today = today_in_oman()
    user = login_as()
    suspended = add_engagement(
        owner=user, stage="surveillance_1", decision_date=today - timedelta(days=100), certificate_state="suspended"
    )
    add_engagement(owner=user, stage="certified", decision_date=today - timedelta(days=10), client_name="Valid Co LLC")
    board = client.get("/app/engagements/").get_data(as_text=True)
    assert board.count('data-testid="card-certificate"') == 1 and 'data-status="suspended"' in board
    page = client.get(f"/app/clients/{suspended.client_id}").get_data(as_text=True)
    assert 'data-testid="card-certificate"' in page
