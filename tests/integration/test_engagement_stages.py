"""Moving an engagement through its stages on the engagement page: the rules hold at the
server, every move is recorded, and refused moves say why next to the field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.domain.lifecycle import CLOSE_REASONS, STAGES
from portal.extensions import db
from portal.models import Activity, AuditLog, Engagement, StageChange
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_engagement, add_quote


def post_move(client, engagement: Engagement, to_stage: str, **fields):
    page = client.get(f"/app/engagements/{engagement.id}")
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "version": str(fields.pop("version", engagement.version)),
        "to_stage": to_stage,
        **fields,
    }
    return client.post(f"/app/engagements/{engagement.id}/stage", data=data)


def fresh(engagement: Engagement) -> Engagement:
    db.session.expire_all()
    return db.session.get(Engagement, engagement.id)


def test_a_step_forward_moves_and_records_history_timeline_and_audit(client, login_as, reference) -> None:
    user = login_as()
    engagement = add_engagement(owner=user)
    response = post_move(client, engagement, "implementation")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/app/engagements/{engagement.id}")
    engagement = fresh(engagement)
    assert engagement.stage == "implementation"
    change = db.session.scalar(select(StageChange).where(StageChange.engagement_id == engagement.id))
    assert (change.from_stage, change.to_stage, change.actor_id) == ("gap_analysis", "implementation", user.id)
    activity = db.session.scalar(select(Activity).where(Activity.engagement_id == engagement.id))
    assert activity.kind == "stage_change" and activity.details["to"] == "implementation"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "engagement.stage")) is not None
    page = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert (
        'data-testid="stage-history"' in page
        and 'Gap analysis <span class="icon-directional">→</span> Implementation' in page
    )


def test_skipping_without_a_note_is_refused_next_to_the_note(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as())
    response = post_move(client, engagement, "internal_audit")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="note-error"' in html and "say why in a note" in html
    assert fresh(engagement).stage == "gap_analysis"
    assert db.session.scalar(select(StageChange)) is None


def test_going_back_with_a_note_is_allowed_and_the_note_is_kept(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="internal_audit")
    response = post_move(client, engagement, "gap_analysis", note="New scope: a second site")
    assert response.status_code == 302
    change = db.session.scalar(select(StageChange))
    assert change.note == "New scope: a second site"
    assert fresh(engagement).stage == "gap_analysis"


def test_stage1_needs_an_accepted_quote(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="registrar_selection")
    add_quote(engagement, status="received")
    refused = post_move(client, engagement, "stage1_audit")
    assert refused.status_code == 400
    assert "accepted quote" in refused.get_data(as_text=True)
    add_quote(engagement, status="accepted")
    assert post_move(client, fresh(engagement), "stage1_audit").status_code == 302
    assert fresh(engagement).stage == "stage1_audit"


def test_certifying_needs_the_certificate_and_computes_the_schedule(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="stage2_audit")
    refused = post_move(client, engagement, "certified", decision_date="2026-01-31")
    assert refused.status_code == 400
    assert 'id="certificate_number-error"' in refused.get_data(as_text=True)
    refused = post_move(client, engagement, "certified", certificate_number="QMS-1")
    assert 'id="decision_date-error"' in refused.get_data(as_text=True)
    response = post_move(client, engagement, "certified", certificate_number="QMS-1", decision_date="2026-01-31")
    assert response.status_code == 302
    engagement = fresh(engagement)
    assert engagement.certificate_number == "QMS-1"
    assert engagement.expiry_date == date(2029, 1, 30)
    assert engagement.surveillance_1_due == date(2027, 1, 31)
    assert engagement.surveillance_2_due == date(2028, 1, 31)
    assert engagement.recertification_due == date(2028, 10, 30)
    page = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "2029-01-30" in page and "2027-01-31" in page


def test_a_future_decision_date_is_refused(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="stage2_audit")
    tomorrow = (today_in_oman() + timedelta(days=1)).isoformat()
    response = post_move(client, engagement, "certified", certificate_number="Q-1", decision_date=tomorrow)
    assert response.status_code == 400
    assert "cannot be in the future" in response.get_data(as_text=True)


def test_a_malformed_decision_date_is_shown_with_what_was_typed(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="stage2_audit")
    response = post_move(client, engagement, "certified", certificate_number="Q-77", decision_date="31/01/2026")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="decision_date-error"' in html and 'value="Q-77"' in html


def test_recertification_before_expiry_continues_from_the_old_expiry(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="recertification", decision_date=date(2023, 3, 10))
    assert engagement.expiry_date == date(2026, 3, 9)
    response = post_move(client, engagement, "certified", certificate_number="QMS-2", decision_date="2026-01-15")
    assert response.status_code == 302
    engagement = fresh(engagement)
    assert engagement.expiry_date == date(2029, 3, 9)
    assert engagement.cycle_start == date(2026, 3, 10)
    assert engagement.surveillance_1_due == date(2027, 3, 10)
    assert engagement.decision_date == date(2026, 1, 15)


def test_hold_and_resume_where_it_was(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="internal_audit")
    assert post_move(client, engagement, "on_hold").status_code == 302
    engagement = fresh(engagement)
    assert (engagement.stage, engagement.stage_before_hold) == ("on_hold", "internal_audit")
    refused = post_move(client, engagement, "implementation", note="elsewhere")
    assert refused.status_code == 400
    assert post_move(client, engagement, "internal_audit").status_code == 302
    engagement = fresh(engagement)
    assert (engagement.stage, engagement.stage_before_hold) == ("internal_audit", None)


def test_closing_needs_a_reason_and_is_final(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="implementation")
    refused = post_move(client, engagement, "closed")
    assert refused.status_code == 400 and 'id="reason-error"' in refused.get_data(as_text=True)
    assert post_move(client, engagement, "closed", reason="no_budget").status_code == 302
    engagement = fresh(engagement)
    assert (engagement.stage, engagement.closed_reason) == ("closed", "no_budget")
    assert db.session.scalar(select(StageChange).where(StageChange.to_stage == "closed")).reason == "no_budget"
    refused = post_move(client, engagement, "implementation", note="back")
    assert refused.status_code == 400
    assert fresh(engagement).stage == "closed"


def test_an_unknown_target_is_refused_without_a_500(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as())
    response = post_move(client, engagement, "finished")
    assert response.status_code == 400
    assert fresh(engagement).stage == "gap_analysis"


def test_a_stale_version_is_refused_with_409_and_nothing_changes(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as())
    response = post_move(client, engagement, "implementation", version=engagement.version - 1 or 99)
    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)
    assert fresh(engagement).stage == "gap_analysis"


def test_a_move_without_csrf_token_is_refused(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as())
    response = client.post(
        f"/app/engagements/{engagement.id}/stage", data={"to_stage": "implementation", "version": "1"}
    )
    assert response.status_code == 400
    assert fresh(engagement).stage == "gap_analysis"


@pytest.mark.parametrize("url", ["/app/engagements/", "/app/engagements/1", "/app/clients/", "/app/clients/1"])
def test_pages_need_a_login(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_missing_engagement_is_404(client, login_as) -> None:
    login_as()
    assert client.get("/app/engagements/999").status_code == 404


FUZZ = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
noise = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200),
    st.sampled_from(["x" * 5000, "\x00", "2026-02-30", "2026-01-31", "-1", "99999999999"]),
)


@FUZZ
@given(
    to_stage=st.one_of(st.sampled_from(STAGES), noise),
    note=noise,
    reason=st.one_of(st.sampled_from(CLOSE_REASONS), noise),
    certificate_number=noise,
    decision_date=noise,
    version=noise,
)
def test_any_stage_post_is_answered_without_a_500(
    client, login_as, reference, to_stage, note, reason, certificate_number, decision_date, version
) -> None:
    if client.get("/app/engagements/").status_code != 200:
        login_as()  # once: the fixtures are shared by every example
    engagement = add_engagement(stage="stage2_audit")
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    response = client.post(
        f"/app/engagements/{engagement.id}/stage",
        data={
            "csrf_token": csrf_token_from(html),
            "version": version,
            "to_stage": to_stage,
            "note": note,
            "reason": reason,
            "certificate_number": certificate_number,
            "decision_date": decision_date,
        },
    )
    assert response.status_code in (302, 400, 409)


@pytest.mark.clean_tables  # a second connection commits while the request runs
def test_a_change_landing_between_reading_and_writing_is_a_conflict(client, login_as, reference, monkeypatch) -> None:
    """The version in the form matched, but another transaction committed before ours wrote."""
    from sqlalchemy import update

    from portal.engagements import services

    engagement = add_engagement(owner=login_as())
    original_check = services.check_version

    def check_then_someone_else_writes(target: Engagement, expected: int | None) -> None:
        original_check(target, expected)
        with db.engine.begin() as connection:
            table = Engagement.__table__
            connection.execute(update(table).where(table.c.id == target.id).values(version=table.c.version + 1))

    monkeypatch.setattr(services, "check_version", check_then_someone_else_writes)
    response = post_move(client, engagement, "implementation", note="kept")
    assert response.status_code == 409
    assert 'name="version" value="2"' in response.get_data(as_text=True)
    assert fresh(engagement).stage == "gap_analysis"
    assert db.session.scalar(select(StageChange)) is None
