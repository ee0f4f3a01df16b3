"""Calendar links on the account page, the iCalendar feeds they open, and an engagement's .ics."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask.testing import FlaskClient
from icalendar import Calendar

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import AuditLog, CalendarFeed, Role
from tests.fixtures.auth import csrf_token_from, readable_session
from tests.fixtures.engagements import add_engagement, add_quote

FEED_LINK = re.compile(r'value="(http[^"]+/calendar/([A-Za-z0-9_-]+)\.ics)"')


def make_link(client: FlaskClient, scope: str = "own") -> str:
    """Press "Make a calendar link" on the account page; return the path of the link it shows once."""
    token = csrf_token_from(client.get("/auth/account").get_data(as_text=True))
    response = client.post(f"/auth/account/calendar/{scope}", data={"csrf_token": token})
    assert response.status_code == 302
    html = client.get("/auth/account").get_data(as_text=True)
    match = FEED_LINK.search(html)
    assert match, "the new link is shown on the account page"
    return f"/calendar/{match.group(2)}.ics"


def events(body: bytes) -> dict[str, dict]:
    """The calendar parsed back by the library: each event's fields by UID."""
    calendar = Calendar.from_ical(body)
    return {
        str(event["UID"]): {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "sequence": int(event["SEQUENCE"]),
        }
        for event in calendar.walk("VEVENT")
    }


def test_a_consultant_feed_lists_their_audits_expiry_and_quote_deadlines(app, client, login_as, make_user, reference):
    owner = login_as(name="Salim")
    engagement = add_engagement(
        owner=owner, stage="certified", client_name="Sohar Steel", decision_date=date(2026, 3, 1)
    )
    deadline = today_in_oman() + timedelta(days=10)
    quote = add_quote(engagement, status="received", valid_until=deadline)
    someone_elses = add_engagement(owner=make_user(), stage="certified", decision_date=date(2026, 3, 1))
    path = make_link(client)

    response = app.test_client().get(path)  # a calendar app: no session, no cookie

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response.headers
    calendar = Calendar.from_ical(response.data)
    assert (str(calendar["X-PUBLISHED-TTL"]), str(calendar["X-WR-TIMEZONE"])) == ("PT1H", "Asia/Muscat")
    found = events(response.data)
    assert found[f"audit-{engagement.id}-surveillance_1@127.0.0.1"]["start"] == engagement.surveillance_1_due
    assert found[f"audit-{engagement.id}-surveillance_1@127.0.0.1"]["summary"] == "Surveillance audit 1: Sohar Steel"
    assert found[f"audit-{engagement.id}-surveillance_2@127.0.0.1"]["start"] == engagement.surveillance_2_due
    assert found[f"audit-{engagement.id}-recertification@127.0.0.1"]["start"] == engagement.recertification_due
    assert found[f"expiry-{engagement.id}@127.0.0.1"]["start"] == engagement.expiry_date
    assert found[f"quote-{quote.id}@127.0.0.1"]["start"] == deadline
    assert not [uid for uid in found if f"-{someone_elses.id}" in uid]


def test_a_moved_audit_keeps_its_uid_with_a_higher_sequence_and_a_closed_engagement_disappears(
    client, login_as, reference
):
    owner = login_as()
    engagement = add_engagement(owner=owner, stage="certified", decision_date=date(2026, 3, 1))
    path = make_link(client)
    uid = f"audit-{engagement.id}-surveillance_1@127.0.0.1"
    before = events(client.get(path).data)[uid]

    engagement.surveillance_1_due = engagement.surveillance_1_due + timedelta(days=14)
    db.session.commit()
    after = events(client.get(path).data)

    assert after[uid]["start"] == before["start"] + timedelta(days=14)
    assert after[uid]["sequence"] > before["sequence"]
    assert list(after).count(uid) == 1

    engagement.stage = "closed"
    db.session.commit()
    assert events(client.get(path).data) == {}


def test_a_new_link_stops_the_old_one_and_a_revoked_link_answers_404(client, login_as, reference):
    login_as()
    first = make_link(client)
    second = make_link(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert db.session.query(CalendarFeed).count() == 1
    assert "calendar.link_issued" in {row.action for row in db.session.query(AuditLog)}

    token = csrf_token_from(client.get("/auth/account").get_data(as_text=True))
    assert client.post("/auth/account/calendar/own/revoke", data={"csrf_token": token}).status_code == 302
    assert client.get(second).status_code == 404
    assert db.session.query(CalendarFeed).count() == 0


def test_only_the_token_hash_is_stored_and_the_link_is_shown_once(client, login_as, reference):
    login_as()
    path = make_link(client)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    stored = db.session.query(CalendarFeed).one()
    assert token not in stored.token_hash
    assert not FEED_LINK.search(client.get("/auth/account").get_data(as_text=True))


def test_the_new_link_travels_to_the_account_page_encrypted(client, login_as, reference):
    login_as()
    token = csrf_token_from(client.get("/auth/account").get_data(as_text=True))
    client.post("/auth/account/calendar/own", data={"csrf_token": token})
    carried = readable_session(client)
    html = client.get("/auth/account").get_data(as_text=True)
    link = FEED_LINK.search(html)
    assert "new_calendar_link" in carried and link
    assert link.group(2) not in carried and "/calendar/" not in carried


def test_the_admin_firm_feed_has_every_engagement_and_consultants_cannot_have_one(
    client, login_as, make_user, reference
):
    consultant = login_as()
    html = client.get("/auth/account").get_data(as_text=True)
    assert 'data-testid="calendar-firm"' not in html
    token = csrf_token_from(html)
    assert client.post("/auth/account/calendar/firm", data={"csrf_token": token}).status_code == 302
    assert db.session.query(CalendarFeed).count() == 0
    client.post("/auth/logout", data={"csrf_token": token})

    login_as(Role.ADMIN)
    mine = add_engagement(owner=consultant, stage="certified", decision_date=date(2026, 3, 1))
    theirs = add_engagement(owner=make_user(), stage="certified", decision_date=date(2026, 4, 1))
    found = events(client.get(make_link(client, "firm")).data)
    assert f"expiry-{mine.id}@127.0.0.1" in found
    assert f"expiry-{theirs.id}@127.0.0.1" in found


def test_a_deactivated_users_link_answers_404(client, login_as, reference):
    user = login_as()
    path = make_link(client)
    user.active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_the_feed_is_written_in_its_owners_language(client, login_as, reference):
    owner = login_as(locale="ar")
    engagement = add_engagement(
        owner=owner, stage="certified", client_name="Sur Fisheries", decision_date=date(2026, 3, 1)
    )
    path = make_link(client)
    summary = events(client.get(path).data)[f"expiry-{engagement.id}@127.0.0.1"]["summary"]
    assert "Sur Fisheries" in summary
    assert re.search("[\u0600-\u06ff]", summary)


def test_an_engagement_page_offers_its_dates_as_an_ics_download(client, login_as, reference):
    engagement = add_engagement(owner=login_as(), stage="certified", decision_date=date(2026, 3, 1))
    assert f"/app/engagements/{engagement.id}/calendar.ics" in client.get(f"/app/engagements/{engagement.id}").get_data(
        as_text=True
    )
    response = client.get(f"/app/engagements/{engagement.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=engagement-{engagement.id}.ics"
    assert set(events(response.data)) == {
        f"audit-{engagement.id}-surveillance_1@127.0.0.1",
        f"audit-{engagement.id}-surveillance_2@127.0.0.1",
        f"audit-{engagement.id}-recertification@127.0.0.1",
        f"expiry-{engagement.id}@127.0.0.1",
    }


def test_the_next_audit_downloads_as_one_event(client, login_as, reference):
    today = today_in_oman()
    engagement = add_engagement(owner=login_as(), stage="stage1_audit")
    engagement.stage1_audit_on, engagement.stage2_audit_on = today + timedelta(days=9), today + timedelta(days=40)
    db.session.commit()
    page = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert f"/app/engagements/{engagement.id}/next-audit.ics" in page

    response = client.get(f"/app/engagements/{engagement.id}/next-audit.ics")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=engagement-{engagement.id}-next-audit.ics"
    (event,) = events(response.data).values()
    assert event["start"] == today + timedelta(days=9) and event["summary"].startswith("Stage 1 audit")


def test_an_engagement_without_a_planned_audit_offers_no_next_audit(client, login_as, reference):
    engagement = add_engagement(owner=login_as(), stage="gap_analysis")
    assert "next-audit.ics" not in client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert client.get(f"/app/engagements/{engagement.id}/next-audit.ics").status_code == 404


def test_the_engagement_download_needs_a_signed_in_member_of_staff(client, reference):
    engagement = add_engagement(stage="certified", decision_date=date(2026, 3, 1))
    response = client.get(f"/app/engagements/{engagement.id}/calendar.ics")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_guessing_feed_links_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_FEED_RATE_LIMIT", "3 per minute")
    statuses = [client.get(f"/calendar/guess-{n}.ics").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]


def plan(client, engagement, **dates: str):
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), "version": str(engagement.version)} | dates
    return client.post(f"/app/engagements/{engagement.id}/initial-audits", data=data)


def test_planned_stage_audits_appear_in_the_feed_and_move_with_their_dates(client, login_as, reference):
    owner = login_as()
    engagement = add_engagement(owner=owner, stage="stage1_audit", client_name="Nizwa Dairy")
    path = make_link(client)
    assert events(client.get(path).data) == {}

    assert plan(client, engagement, stage1_audit_on="2027-01-10", stage2_audit_on="2027-02-14").status_code == 302
    found = events(client.get(path).data)
    stage1 = found[f"audit-{engagement.id}-stage1@127.0.0.1"]
    assert (stage1["start"], stage1["summary"]) == (date(2027, 1, 10), "Stage 1 audit: Nizwa Dairy")
    assert found[f"audit-{engagement.id}-stage2@127.0.0.1"]["start"] == date(2027, 2, 14)

    db.session.refresh(engagement)
    assert plan(client, engagement, stage1_audit_on="2027-01-17", stage2_audit_on="2027-02-14").status_code == 302
    moved = events(client.get(path).data)[f"audit-{engagement.id}-stage1@127.0.0.1"]
    assert moved["start"] == date(2027, 1, 17) and moved["sequence"] > stage1["sequence"]
    page = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "Stage 1 audit on: 2027-01-10 → 2027-01-17" in page


def test_a_stage_2_before_stage_1_is_refused_next_to_its_field_keeping_the_dates(client, login_as, reference):
    engagement = add_engagement(owner=login_as(), stage="stage1_audit")
    response = plan(client, engagement, stage1_audit_on="2027-03-01", stage2_audit_on="2027-02-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The stage 2 audit comes after the stage 1 audit." in html
    assert 'value="2027-02-01"' in html
    db.session.refresh(engagement)
    assert engagement.stage1_audit_on is None
