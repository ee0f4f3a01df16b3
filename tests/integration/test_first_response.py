"""Answering in time: the first response, the target in Oman working hours, its reminder,
the inbox badges, the dashboard's figures and the admin's settings.

The clock is fixed at Thursday 26 March 2026, 12:00 in Muscat, a week after the
Eid al-Fitr holidays the library estimates for 18 to 22 March 2026 (Wednesday to
Sunday), so the arithmetic crosses both a weekend and a public holiday.
"""

from __future__ import annotations

import re
from datetime import datetime, time

import pytest
from sqlalchemy import select

from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.leads import services
from portal.leads.reminders import first_response_reminders
from portal.leads.response import ResponseSettings, load_response_settings
from portal.leads.services.assignment import AutoAssignSettings, auto_assign, save_settings
from portal.leads.services.response import ResponseSettingsInput, save_response_settings
from portal.models import Activity, AuditLog, Lead, OutboxMessage, Reminder, Role, User
from portal.workspace.presentation import RESPONSE_LABELS, RESPONSE_WIDTH
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.leads import add_lead
from tests.fixtures.queries import count_queries

pytestmark = pytest.mark.usefixtures("reference")


def muscat(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=MUSCAT)


NOW = muscat(3, 26, 12)  # Thursday


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


# --- the first response ---------------------------------------------------------------


def test_the_first_call_is_the_first_response_and_later_actions_do_not_move_it(app, make_user):
    consultant = make_user(email="amal@example.om")
    lead = add_lead()
    version = lead.version
    services.add_note(lead, consultant, "Looks like a good fit")
    assert lead.first_response_at is None  # an internal note does not answer the client
    services.log_call(lead, consultant, "reached", "Spoke to the quality manager")
    db.session.commit()
    first = lead.first_response_at
    assert first is not None
    assert lead.version == version  # no "changed by someone else" for a colleague's open form
    services.send_email(lead, consultant, "follow_up")
    services.change_status(lead, "contacted", consultant)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).first_response_at == first


@pytest.mark.parametrize("action", ["email", "status"])
def test_an_e_mail_or_a_status_change_by_a_consultant_is_a_first_response(app, make_user, action):
    consultant = make_user()
    lead = add_lead()
    if action == "email":
        services.send_email(lead, consultant, "follow_up")
    else:
        services.change_status(lead, "contacted", consultant)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).first_response_at is not None


def test_system_actions_are_not_a_response(app, make_user):
    make_user(Role.CONSULTANT)
    save_settings(AutoAssignSettings(enabled=True))
    lead = add_lead()
    assert auto_assign(lead) is not None  # the assignment entry has no author
    services.set_status(lead, "unqualified", None, reason="Closed by the system")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Lead, lead.id).first_response_at is None


# --- the reminder ---------------------------------------------------------------------


def test_one_reminder_to_the_owner_once_three_quarters_of_the_target_are_used(app, make_user):
    owner = make_user(email="badr@example.om", name="Badr")
    # Arrived Wednesday 25 March at 14:30: 1.5 h that day, three quarters of the 4 h target
    # (3 h) used on Thursday at 09:30, the whole of it at 10:30.
    lead = add_lead(created_at=muscat(3, 25, 14, 30), assigned_to_id=owner.id, company="Sohar Steel LLC")
    add_lead(created_at=muscat(3, 25, 15, 30), assigned_to_id=owner.id)  # 2 h by then: not yet
    assert first_response_reminders(muscat(3, 26, 9, 29)) == 0
    assert first_response_reminders(muscat(3, 26, 9, 31)) == 1
    db.session.commit()
    [message] = outbox()
    assert message.recipient == "badr@example.om"
    assert message.kind == "reminder_first_response"
    assert lead.reference in message.subject and "10:30" in message.subject
    assert "Sohar Steel LLC" in message.body_text and f"/app/leads/{lead.id}" in message.body_text
    assert "reached on 2026-03-26 10:30" in message.body_text
    assert first_response_reminders(muscat(3, 26, 10, 20)) == 0  # idempotent
    assert db.session.scalar(select(Reminder.subject_id).where(Reminder.kind == "first_response")) == lead.id


def test_an_unowned_lead_reminds_the_team_address(app):
    add_lead(created_at=muscat(3, 26, 8, 0))
    assert first_response_reminders(muscat(3, 26, 11, 15)) == 1
    assert [m.recipient for m in outbox()] == [app.config["NOTIFY_EMAILS"][0]]


def test_no_reminder_for_an_answered_lead_nor_one_already_past_the_target(app):
    answered = add_lead(created_at=muscat(3, 26, 8, 0))
    answered.first_response_at = muscat(3, 26, 8, 30)
    add_lead(created_at=muscat(3, 24, 8, 0))  # long past its target: the inbox shows it overdue
    add_lead(created_at=muscat(3, 26, 8, 0), status="spam")
    db.session.commit()
    assert first_response_reminders(muscat(3, 26, 11, 15)) == 0


def test_the_reminder_counts_across_the_weekend_and_a_holiday(app):
    # Arrived Tuesday 17 March 15:00: 1 h that day, then Eid (18-19 and 22 March) and the weekend;
    # three quarters of the 4 h target are used on Monday 23 March at 10:00.
    add_lead(created_at=muscat(3, 17, 15, 0))
    assert first_response_reminders(muscat(3, 23, 9, 59)) == 0
    assert first_response_reminders(muscat(3, 23, 10, 1)) == 1


# --- the inbox and the dashboard ---------------------------------------------------------


def answered(created: datetime, response: datetime, **overrides) -> Lead:
    lead = add_lead(created_at=created, **({"status": "contacted"} | overrides))
    lead.first_response_at = response
    db.session.commit()
    return lead


@pytest.fixture
def known_set(make_user):
    """Amal: 2 h (across Eid and the weekend), 1 h, 8 h. Badr: 1.5 h (across the weekend), one
    unanswered past the target, one still inside it. One unassigned lead close to the target."""
    amal = make_user(name="Amal Al-Busaidi")
    badr = make_user(name="Badr Al-Harthi")
    answered(muscat(3, 17, 15), muscat(3, 23, 9), assigned_to_id=amal.id)
    answered(muscat(3, 23, 8), muscat(3, 23, 9), assigned_to_id=amal.id)
    answered(muscat(3, 24, 8), muscat(3, 25, 8), assigned_to_id=amal.id)
    answered(muscat(3, 12, 15), muscat(3, 15, 8, 30), assigned_to_id=badr.id)
    overdue = add_lead(created_at=muscat(3, 25, 8), assigned_to_id=badr.id)
    inside = add_lead(created_at=muscat(3, 26, 11), assigned_to_id=badr.id)
    due_soon = add_lead(created_at=muscat(3, 26, 8, 30))
    answered(muscat(3, 23, 8), muscat(3, 26, 8), status="spam", assigned_to_id=amal.id)  # left out
    answered(muscat(2, 2, 8), muscat(2, 9, 8), assigned_to_id=amal.id)  # older than 30 days
    return {"overdue": overdue, "inside": inside, "due_soon": due_soon, "amal": amal}


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr("portal.workspace.routes.utcnow", lambda: NOW)
    monkeypatch.setattr("portal.leads.routes.inbox.utcnow", lambda: NOW)


def table_rows(html: str) -> dict[str, list[str]]:
    table = html[html.index('data-testid="response-table"') :]
    table = table[: table.index("</table>")]
    return {
        name: re.findall(r'<td class="text-end">([^<]*)</td>', cells)
        for name, cells in re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table)
    }


def test_dashboard_medians_and_90th_percentiles_per_consultant(client, login_as, known_set, fixed_now):
    login_as()
    html = client.get("/app/").get_data(as_text=True)
    rows = table_rows(html)
    # answered, median, 90th percentile, within the target (answered in time of answered + missed)
    assert rows["Team"] == ["4", "1.8 h", "6.2 h", "60% (3 of 5)"]
    assert rows["Amal Al-Busaidi"] == ["3", "2.0 h", "6.8 h", "67% (2 of 3)"]
    assert rows["Badr Al-Harthi"] == ["1", "1.5 h", "1.5 h", "50% (1 of 2)"]
    assert rows["Unassigned"] == ["0", "–", "–", "–"]
    assert list(rows) == ["Team", "Amal Al-Busaidi", "Badr Al-Harthi", "Unassigned"]
    # The chart writes its numbers as text and tells the bars apart by pattern, not colour alone.
    chart = html[html.index('data-testid="response-chart"') : html.index("</svg>", html.index("response-chart"))]
    assert "median 2.0 h" in chart and "90th percentile 6.8 h" in chart and "Target 4.0 h" in chart
    assert 'fill="url(#response-p90)"' in chart and "style=" not in chart


def median_bars(html: str) -> list[tuple[float, float]]:
    chart = html[html.index('data-testid="response-chart"') : html.index("</svg>", html.index("response-chart"))]
    return [
        (float(x), float(w))
        for x, w in re.findall(r'<rect class="median" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', chart)
    ]


def test_the_response_bars_grow_in_the_reading_direction(client, login_as, known_set, fixed_now, app, monkeypatch):
    login_as()
    english = median_bars(client.get("/app/").get_data(as_text=True))
    assert english and all(x == RESPONSE_LABELS for x, _width in english)
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "ar")
    arabic = median_bars(client.get("/app/").get_data(as_text=True))
    assert [w for _x, w in arabic] == [w for _x, w in english]
    assert all(x + w == pytest.approx(RESPONSE_WIDTH - RESPONSE_LABELS, abs=0.11) for x, w in arabic)


def test_dashboard_counts_leads_close_to_and_past_the_target(client, login_as, known_set, fixed_now):
    login_as()
    html = client.get("/app/").get_data(as_text=True)
    for testid, expected in (("response-due-soon", 1), ("response-overdue", 1)):
        match = re.search(rf'data-testid="{testid}">\s*<div class="card-body">\s*<div[^>]*>(\d+)</div>', html)
        assert match and int(match.group(1)) == expected, testid


def test_inbox_badges_the_unanswered_leads_close_to_and_past_the_target(client, login_as, known_set, fixed_now):
    login_as()
    html = client.get("/app/leads/?per_page=100").get_data(as_text=True)
    row_pattern = r'>(?:<bdi dir="ltr">)?(ENQ-2026-\d{6})(?:</bdi>)?</a></td>(.*?)</tr>'
    rows = {ref: row for ref, row in re.findall(row_pattern, html, re.S)}
    assert "Response overdue" in rows[known_set["overdue"].reference]
    assert "Answer due soon" in rows[known_set["due_soon"].reference]
    assert "Answer due soon" not in rows[known_set["inside"].reference]
    assert html.count('data-testid="response-overdue"') == 1 and html.count('data-testid="response-due_soon"') == 1


def test_the_inbox_badges_cost_no_statement_per_row(client, login_as, make_user, fixed_now, steady_content_version):
    login_as()
    add_lead(created_at=muscat(3, 25, 8))
    client.get("/app/leads/")  # the filters' reference lists, read once per content version
    db.session.expunge_all()
    with count_queries() as few:
        client.get("/app/leads/")
    for hour in range(8, 16):
        add_lead(created_at=muscat(3, 25, hour))
        add_lead(created_at=muscat(3, 26, hour if hour < 12 else 8))
    db.session.expunge_all()
    with count_queries() as many:
        html = client.get("/app/leads/").get_data(as_text=True)
    assert "Response overdue" in html
    assert len(few) == len(many)


def test_a_longer_target_and_an_announced_holiday_change_the_figures(client, login_as, known_set, fixed_now):
    # Target 8 h, and Wednesday 25 March declared a holiday: Amal's lead of Tuesday 08:00, answered
    # Wednesday 08:00, waited 8 h, now within the target.
    save_response_settings(ResponseSettingsInput(time(8), time(16), 8, "2026-03-25", ""))
    db.session.commit()
    login_as()
    rows = table_rows(client.get("/app/").get_data(as_text=True))
    assert rows["Amal Al-Busaidi"][3] == "100% (3 of 3)"
    # Badr's unanswered lead of Wednesday 08:00 has waited 4 h (Wednesday is off): not decided yet.
    assert rows["Badr Al-Harthi"][3] == "100% (1 of 1)"


# --- merging and the lead page --------------------------------------------------------------


def entry(lead: Lead, kind: str, at: datetime, author: User | None) -> None:
    """A timeline entry written at `at`, the lead's first response kept by the rule as the services do."""
    db.session.add(Activity(lead=lead, author=author, kind=kind, body="", details={}, created_at=at))
    if author is not None and kind in ("call", "email", "status_change"):
        lead.first_response_at = min(filter(None, (lead.first_response_at, at)))
    db.session.commit()


def first_response(lead: Lead) -> datetime | None:
    db.session.expire_all()
    return db.session.get(Lead, lead.id).first_response_at


def test_merging_keeps_the_earliest_genuine_first_response_of_the_two_leads(app, make_user):
    consultant = make_user()
    survivor = add_lead(created_at=muscat(3, 25, 8))
    entry(survivor, "note", muscat(3, 25, 8, 30), consultant)  # a note does not answer the client
    entry(survivor, "email", muscat(3, 25, 15), consultant)
    duplicate = add_lead(created_at=muscat(3, 25, 9))
    entry(duplicate, "assignment", muscat(3, 25, 9, 1), None)  # the system's: not a response either
    entry(duplicate, "call", muscat(3, 25, 10, 15), consultant)

    services.merge(duplicate, survivor, consultant)
    db.session.commit()
    assert first_response(survivor) == muscat(3, 25, 10, 15)
    assert first_response(duplicate) == muscat(3, 25, 10, 15)  # its own is kept on the pointer


def test_merging_an_unanswered_duplicate_keeps_the_survivor_s_answer_or_its_wait(app, make_user):
    consultant = make_user()
    answered_lead = add_lead(created_at=muscat(3, 25, 8))
    entry(answered_lead, "call", muscat(3, 25, 11), consultant)
    waiting = add_lead(created_at=muscat(3, 25, 9))
    entry(waiting, "note", muscat(3, 25, 9, 30), consultant)
    services.merge(waiting, answered_lead, consultant)
    db.session.commit()
    assert first_response(answered_lead) == muscat(3, 25, 11)

    unanswered = add_lead(created_at=muscat(3, 25, 8))
    other = add_lead(created_at=muscat(3, 25, 9))
    entry(other, "note", muscat(3, 25, 9, 30), consultant)
    services.merge(other, unanswered, consultant)  # the merge itself answers nobody
    db.session.commit()
    assert first_response(unanswered) is None


@pytest.fixture
def lead_page_now(monkeypatch):
    monkeypatch.setattr("portal.leads.routes.lead.utcnow", lambda: NOW)


def response_text(client, lead: Lead) -> str:
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    match = re.search(r'data-testid="lead-response">([^<]*)</span>\s*(<span[^>]*data-testid="response-(\w+)")?', html)
    return f"{match.group(1)} [{match.group(3)}]" if match and match.group(3) else (match.group(1) if match else "")


def test_the_lead_page_says_how_fast_it_was_answered_in_working_hours(client, login_as, lead_page_now):
    login_as()
    same_day = answered(muscat(3, 23, 8), muscat(3, 23, 10, 15))
    over_the_weekend = answered(muscat(3, 12, 15), muscat(3, 15, 8, 30))  # Thursday 1 h, Sunday 30 min
    over_eid = answered(muscat(3, 17, 15), muscat(3, 23, 9))  # Tuesday 1 h, Eid and the weekend, Monday 1 h
    assert response_text(client, same_day) == "Answered in 2 h 15 min (working hours)"
    assert response_text(client, over_the_weekend) == "Answered in 1 h 30 min (working hours)"
    assert response_text(client, over_eid) == "Answered in 2 h (working hours)"


def test_the_lead_page_says_how_long_an_unanswered_lead_has_waited_against_the_target(client, login_as, lead_page_now):
    login_as()
    inside = add_lead(created_at=muscat(3, 26, 11, 20))
    due_soon = add_lead(created_at=muscat(3, 26, 8, 45))
    overdue = add_lead(created_at=muscat(3, 25, 8))
    closed = add_lead(created_at=muscat(3, 25, 8), status="spam")  # closed unanswered: nothing to measure
    assert response_text(client, inside) == "Waiting 40 min — target 4 h"
    assert response_text(client, due_soon) == "Waiting 3 h 15 min — target 4 h [due_soon]"
    assert response_text(client, overdue) == "Waiting 12 h — target 4 h [overdue]"
    assert response_text(client, closed) == ""


def test_the_lead_page_s_response_line_in_arabic(client, login_as, lead_page_now, app, monkeypatch):
    login_as()
    lead = answered(muscat(3, 23, 8), muscat(3, 23, 10, 15))
    waiting = add_lead(created_at=muscat(3, 25, 8))
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "ar")
    answered_text, waiting_text = response_text(client, lead), response_text(client, waiting)
    assert "(working hours)" not in answered_text and "Waiting" not in waiting_text
    assert re.search(r"[\u0600-\u06ff]", answered_text) and re.search(r"[\u0600-\u06ff]", waiting_text)
    assert waiting_text.endswith("[overdue]")


# --- the settings -----------------------------------------------------------------------


def test_an_admin_sets_business_hours_target_and_holidays(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/app/admin/settings/").get_data(as_text=True)
    assert 'name="target_hours"' in page and 'value="4"' in page
    response = client.post(
        "/app/admin/settings/response",
        data={
            "csrf_token": csrf_token_from(page),
            "opens": "07:30",
            "closes": "15:30",
            "target_hours": "6",
            "holidays_added": "2026-12-01\n2026-12-02",
            "holidays_removed": "2026-11-20",
        },
    )
    assert response.status_code == 302
    settings = load_response_settings()
    assert (settings.hours.opens, settings.hours.closes, settings.target_hours) == (time(7, 30), time(15, 30), 6)
    assert {d.isoformat() for d in settings.holidays_added} == {"2026-12-01", "2026-12-02"}
    assert {d.isoformat() for d in settings.holidays_removed} == {"2026-11-20"}
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "settings.response_target")) is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("closes", "07:00", "The office must close after it opens."),
        ("target_hours", "0", None),
        ("holidays_added", "2026-12-01\n1 December", "1 is not a date written YYYY-MM-DD."),
        ("holidays_removed", "2026-02-30", "2026-02-30 is not a date written YYYY-MM-DD."),
    ],
)
def test_bad_settings_are_refused_next_to_their_field(client, login_as, field, value, message):
    login_as(Role.ADMIN)
    page = client.get("/app/admin/settings/").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "opens": "08:00", "closes": "16:00", "target_hours": "4"}
    data[field] = value
    response = client.post("/app/admin/settings/response", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in html
    if message:
        assert message in html
    assert load_response_settings() == ResponseSettings()


def test_consultants_cannot_change_the_response_settings(client, login_as):
    login_as(Role.CONSULTANT)
    token = csrf_token_from(client.get("/app/leads/").get_data(as_text=True))
    data = {"csrf_token": token, "opens": "08:00", "closes": "16:00", "target_hours": "1"}
    assert client.post("/app/admin/settings/response", data=data).status_code == 403
    assert load_response_settings() == ResponseSettings()
