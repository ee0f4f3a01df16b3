"""The dashboard /app/: the morning counters and the weekly chart by standard."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import Activity, Role
from portal.models.types import utcnow
from portal.workspace.presentation import build_chart
from portal.workspace.queries import week_starts
from tests.fixtures.leads import add_lead
from tests.fixtures.nu_checker import nu_errors
from tests.fixtures.queries import count_queries

pytestmark = pytest.mark.usefixtures("reference")


def counter(html: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">\s*<div class="card-body">\s*<div[^>]*>(\d+)</div>', html)
    assert match, testid
    return int(match.group(1))


def test_dashboard_needs_a_login(client):
    response = client.get("/app/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_counters(client, login_as, make_user):
    me = login_as()
    colleague = make_user()
    add_lead(age=timedelta(hours=2))  # new, fresh
    add_lead(age=timedelta(days=10))  # new, waiting over two working days
    add_lead(age=timedelta(days=10), status="contacted", assigned_to_id=me.id)
    add_lead(status="qualified", assigned_to_id=me.id)
    add_lead(status="qualified", assigned_to_id=colleague.id)
    add_lead(status="unqualified", assigned_to_id=me.id)
    converted = add_lead(status="converted")
    db.session.add(Activity(lead_id=converted.id, kind="conversion", created_at=utcnow()))
    db.session.add(Activity(lead_id=converted.id, kind="conversion", created_at=utcnow() - timedelta(days=62)))
    db.session.commit()
    html = client.get("/app/").get_data(as_text=True)
    assert counter(html, "new-waiting") == 2
    assert counter(html, "my-open") == 2
    assert counter(html, "overdue") == 1
    assert counter(html, "conversions") == 1


def test_overdue_counter_links_to_the_same_leads_in_the_inbox(client, login_as):
    login_as()
    waiting = add_lead(age=timedelta(days=10))
    add_lead(age=timedelta(minutes=5))
    html = client.get("/app/").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-testid="overdue"', html).group(1)
    inbox = client.get(link).get_data(as_text=True)
    assert re.findall(r">(ENQ-2026-\d{6})<", inbox) == [waiting.reference]


def test_chart_counts_leads_per_week_by_standard_without_spam(client, login_as):
    login_as()
    add_lead(standards=("iso-9001", "iso-14001"))
    add_lead(standards=("iso-9001",))
    add_lead(standards=("iso-9001",), status="spam")
    add_lead(standards=("iso-45001",), age=timedelta(weeks=20))  # older than the chart
    html = client.get("/app/").get_data(as_text=True)
    assert 'data-testid="lead-chart"' in html
    table = html[html.index('data-testid="chart-table"') :]
    header = re.findall(r'<th scope="col" class="text-end">([^<]+)</th>', table)
    assert header == ["ISO 9001", "ISO 14001", "Total"]
    last_row = re.findall(r"<tr><th scope=\"row\">[^<]+</th>(.*?)</tr>", table)[-1]
    assert re.findall(r">(\d+)<", last_row) == ["2", "1", "3"]


def test_empty_chart_says_so(client, login_as):
    login_as()
    assert 'data-testid="chart-empty"' in client.get("/app/").get_data(as_text=True)


def test_dashboard_query_count_does_not_grow_with_leads(client, login_as):
    login_as(Role.ADMIN)
    for _ in range(3):
        add_lead(standards=("iso-9001", "iso-27001"))
    db.session.expunge_all()
    with count_queries() as few:
        client.get("/app/")
    for n in range(30):
        add_lead(standards=("iso-22000",), age=timedelta(days=n * 2))
    db.session.expunge_all()
    with count_queries() as many:
        client.get("/app/")
    # the user, lead counters, conversions, certificates, the chart, response settings, response times
    assert len(few) == len(many) <= 7


def test_weeks_start_on_sunday_in_muscat():
    # Wednesday 2026-11-25, 22:00 UTC is already Thursday in Muscat; the week began Sunday 22 November.
    starts = week_starts(datetime(2026, 11, 25, 22, 0, tzinfo=UTC))
    assert len(starts) == 12
    assert starts[-1].isoformat() == "2026-11-22T00:00:00+04:00"
    assert all(later - earlier == timedelta(weeks=1) for earlier, later in zip(starts, starts[1:], strict=False))


def test_chart_keeps_the_most_asked_for_standards_and_groups_the_rest():
    labels = [f"w{i}" for i in range(12)]
    counts = [(11, f"ISO {n}", n, 10 - n) for n in range(8)]
    chart = build_chart(counts, labels, "Other")
    assert chart.series == ["ISO 0", "ISO 1", "ISO 2", "ISO 3", "ISO 4", "Other"]
    assert chart.weeks[-1].total == sum(10 - n for n in range(8))
    assert [segment.count for segment in chart.weeks[-1].segments] == [10, 9, 8, 7, 6, 5 + 4 + 3]
    # The tallest bar fills the plot; bars never go below the baseline.
    assert chart.weeks[-1].segments[-1].y == pytest.approx(20, abs=0.2)
    assert all(segment.y + segment.height <= chart.baseline + 0.5 for segment in chart.weeks[-1].segments)


def test_certificate_counters_count_states_of_open_engagements(client, login_as):
    """Suspended and withdrawn as recorded, expired read from the date, restored only while valid."""
    from portal.core.clock import today_in_oman
    from portal.domain.schedule import add_months
    from tests.fixtures.engagements import add_engagement

    login_as()
    today = today_in_oman()
    valid, lapsed = add_months(today, -6), add_months(today, -40)
    add_engagement(stage="surveillance_1", decision_date=valid, certificate_state="suspended")
    add_engagement(stage="surveillance_1", decision_date=valid, certificate_state="withdrawn")
    add_engagement(stage="closed", decision_date=valid, certificate_state="withdrawn")  # closed: left out
    add_engagement(stage="recertification", decision_date=lapsed)  # expired
    add_engagement(stage="recertification", decision_date=lapsed, certificate_state="restored")  # expired again
    add_engagement(stage="certified", decision_date=valid, certificate_state="restored")
    add_engagement(stage="certified", decision_date=valid)  # valid: not counted
    html = client.get("/app/").get_data(as_text=True)
    found = {
        key: int(re.search(rf'data-testid="certificates-{key}">(\d+)<', html).group(1))
        for key in ("suspended", "withdrawn", "expired", "restored")
    }
    assert found == {"suspended": 1, "withdrawn": 1, "expired": 2, "restored": 1}


def test_the_dashboard_with_a_shortened_name_in_both_languages_is_valid_html(client, login_as, make_user, tmp_path):
    me = login_as(Role.CONSULTANT)
    colleague = make_user(name="Khalid bin Mohammed bin Salim Al Hashmi")
    for owner in (me, colleague):
        lead = add_lead(created_at=utcnow() - timedelta(days=12), status="contacted", assigned_to_id=owner.id)
        lead.first_response_at = lead.created_at + timedelta(days=10)
    db.session.commit()
    pages = [client.get("/app/").data]
    me.locale = "ar"  # the workspace speaks the signed-in user's language
    db.session.commit()
    pages.append(client.get("/app/").data)

    assert all("Khalid bin Mohammed bin S…".encode() in page for page in pages)
    assert b'lang="ar"' in pages[-1]
    assert nu_errors(pages, tmp_path) == []
