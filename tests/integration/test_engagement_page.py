"""The engagement page: what it shows, the schedule adjusted by hand with a note, notes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Activity, Engagement
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_engagement, add_quote


def post_schedule(client, engagement: Engagement, **fields):
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "version": str(engagement.version),
        "expiry_date": engagement.expiry_date.isoformat(),
        "surveillance_1_due": engagement.surveillance_1_due.isoformat(),
        "surveillance_2_due": engagement.surveillance_2_due.isoformat(),
        "recertification_due": engagement.recertification_due.isoformat(),
        "schedule_note": "",
        **fields,
    }
    return client.post(f"/app/engagements/{engagement.id}/schedule", data=data)


def test_the_page_shows_client_standards_owner_schedule_quotes_and_next_steps(client, login_as, reference) -> None:
    owner = login_as(name="Khalid Consultant")
    engagement = add_engagement(
        owner=owner,
        stage="certified",
        standards=("iso-45001",),
        client_name="Nizwa Cement SAOG",
        decision_date=date(2026, 2, 28),
    )
    quote = add_quote(engagement, status="accepted")
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "Nizwa Cement SAOG" in html and "ISO 45001" in html and "Khalid Consultant" in html
    assert 'data-testid="expiry-date">2029-02-27<' in html
    assert 'data-testid="surveillance-1-due">2027-02-28<' in html
    assert f"{quote.certification_body.name}: Accepted" in html  # the status's label, not its code
    buttons = [part.split('"')[0] for part in html.split('name="to_stage" value="')[1:]]
    assert buttons[:3] == ["surveillance_1", "on_hold", "closed"]
    assert f'href="/app/clients/{engagement.client_id}"' in html
    assert f'href="/app/engagements/{engagement.id}/match"' in html
    assert f'href="/app/engagements/{engagement.id}/quotes">Request and compare quotes</a>' in html


def test_an_engagement_on_hold_offers_to_resume_where_it_was(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="on_hold", stage_before_hold="internal_audit")
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "Resume at Internal audit" in html and "was at Internal audit" in html


def test_the_schedule_is_adjusted_with_a_note_on_the_timeline(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="certified", decision_date=date(2026, 2, 28))
    response = post_schedule(
        client, engagement, surveillance_1_due="2027-01-20", schedule_note="Body proposed January (Ramadan)"
    )
    assert response.status_code == 302
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert engagement.surveillance_1_due == date(2027, 1, 20)
    activity = db.session.scalar(select(Activity).where(Activity.kind == "schedule_adjusted"))
    assert activity.body == "Body proposed January (Ramadan)"
    assert activity.details["changes"] == {"surveillance_1_due": {"old": "2027-02-28", "new": "2027-01-20"}}
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "Schedule adjusted" in html and "2027-01-20" in html


def test_adjusting_the_schedule_needs_a_note(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="certified", decision_date=date(2026, 2, 28))
    response = post_schedule(client, engagement, surveillance_1_due="2027-01-20")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="schedule_note-error"' in html and 'value="2027-01-20"' in html


def test_dates_out_of_order_are_refused_next_to_the_date(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="certified", decision_date=date(2026, 2, 28))
    response = post_schedule(client, engagement, surveillance_2_due="2026-12-01", schedule_note="typo")
    assert response.status_code == 400
    assert 'id="surveillance_2_due-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).surveillance_2_due == date(2028, 2, 28)


def test_a_malformed_date_is_refused_without_a_500(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="certified", decision_date=date(2026, 2, 28))
    response = post_schedule(client, engagement, expiry_date="next year", schedule_note="x")
    assert response.status_code == 400
    assert 'id="expiry_date-error"' in response.get_data(as_text=True)


def test_there_is_no_schedule_to_adjust_before_certification(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="implementation")
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "The schedule is set when the engagement is certified." in html
    response = client.post(
        f"/app/engagements/{engagement.id}/schedule",
        data={
            "csrf_token": csrf_token_from(html),
            "version": str(engagement.version),
            "expiry_date": "2029-01-01",
            "surveillance_1_due": "2027-01-01",
            "surveillance_2_due": "2028-01-01",
            "recertification_due": "2028-10-01",
            "schedule_note": "try",
        },
    )
    assert response.status_code == 400
    assert "certify the engagement first" in response.get_data(as_text=True)


def test_a_note_goes_on_the_timeline(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as())
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    response = client.post(
        f"/app/engagements/{engagement.id}/note",
        data={"csrf_token": csrf_token_from(html), "body": "Kick-off on Sunday"},
    )
    assert response.status_code == 302
    page = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert 'data-testid="engagement-timeline"' in page and "Kick-off on Sunday" in page
    empty = client.post(
        f"/app/engagements/{engagement.id}/note", data={"csrf_token": csrf_token_from(html), "body": " "}
    )
    assert empty.status_code == 400 and 'id="body-error"' in empty.get_data(as_text=True)


def test_the_timeline_words_each_kind_of_entry(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as())
    entries = [
        ("stage_change", {"from": "gap_analysis", "to": "implementation"}),
        ("schedule_adjusted", {"changes": {"expiry_date": {"old": "2027-01-01", "new": "2027-02-01"}}}),
        ("shortlist", {"action": "added", "certification_body_id": 1}),
        ("quote_accepted", {"certification_body": "Gulf Assurance"}),
        ("something_new", {}),
    ]
    db.session.add_all(Activity(engagement_id=engagement.id, kind=kind, details=details) for kind, details in entries)
    db.session.commit()
    timeline = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True).split("engagement-timeline")[1]
    for text in (
        "Stage: Gap analysis → Implementation",
        "Schedule adjusted",
        "Certificate expiry: 2027-01-01 → 2027-02-01",
        "Added to the shortlist",
        "Quote from Gulf Assurance accepted",
        "Something new",
    ):
        assert text in timeline, text
