"""The audit-log page: newest first, filters in the query string, Oman time, capped pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

from portal.extensions import db
from portal.models import AuditLog, Role


def add_row(action: str, at: datetime, actor_email: str = "someone@example.om", **details) -> AuditLog:
    row = AuditLog(action=action, at=at, actor_email=actor_email, details=details)
    db.session.add(row)
    db.session.commit()
    return row


def shown_actions(html: str) -> list[str]:
    return re.findall(
        r'data-testid="audit-row">\s*<td[^>]*>[^<]*</td>\s*<td>(?:<bdi dir="ltr">[^<]*</bdi>|[^<]*)</td>\s*<td><code>([^<]+)</code>',
        html,
    )


def test_rows_are_newest_first_and_times_in_oman(client, login_as):
    login_as(Role.ADMIN)
    add_row("old.thing", datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    add_row("new.thing", datetime(2026, 3, 2, 21, 30, tzinfo=UTC), note="hello")
    html = client.get("/app/admin/audit?actor=someone").get_data(as_text=True)
    assert shown_actions(html) == ["new.thing", "old.thing"]
    assert "Mar 3, 2026, 1:30:00" in html  # 21:30 UTC is 01:30 the next day in Muscat (UTC+4)
    assert '{"note": "hello"}' in unescape(html)


def test_filter_by_action(client, login_as):
    login_as(Role.ADMIN)
    now = datetime.now(UTC)
    add_row("user.update", now)
    add_row("user.create", now)
    html = client.get("/app/admin/audit?action=user.update").get_data(as_text=True)
    assert shown_actions(html) == ["user.update"]


def test_filter_by_actor_email_is_a_case_insensitive_substring_with_wildcards_taken_literally(client, login_as):
    login_as(Role.ADMIN, email="boss@example.om")
    now = datetime.now(UTC)
    add_row("a.one", now, actor_email="amal_k@example.om")
    add_row("a.two", now, actor_email="amalxk@example.om")
    html = client.get("/app/admin/audit?actor=AMAL_K").get_data(as_text=True)
    assert shown_actions(html) == ["a.one"]


def test_date_filters_use_oman_days(client, login_as):
    login_as(Role.ADMIN, email="boss@example.om")
    add_row(
        "late.evening.utc", datetime(2026, 3, 1, 21, 0, tzinfo=UTC), actor_email="x@example.om"
    )  # 2 March in Muscat
    add_row("morning", datetime(2026, 3, 1, 6, 0, tzinfo=UTC), actor_email="x@example.om")  # 1 March in Muscat
    march_2 = client.get("/app/admin/audit?actor=x@&date_from=2026-03-02&date_to=2026-03-02").get_data(as_text=True)
    march_1 = client.get("/app/admin/audit?actor=x@&date_from=2026-03-01&date_to=2026-03-01").get_data(as_text=True)
    assert shown_actions(march_2) == ["late.evening.utc"]
    assert shown_actions(march_1) == ["morning"]


def test_a_bad_date_is_shown_next_to_the_field_not_a_500(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/app/admin/audit?date_from=not-a-date")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_pages_are_capped_and_keep_the_filters(client, login_as):
    login_as(Role.ADMIN)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.add_all(
        AuditLog(action="bulk.row", at=start + timedelta(minutes=n), actor_email="bulk@example.om") for n in range(120)
    )
    db.session.commit()
    html = client.get("/app/admin/audit?action=bulk.row&per_page=1000").get_data(as_text=True)
    assert len(shown_actions(html)) == 100
    assert "/app/admin/audit?action=bulk.row&amp;per_page=1000&amp;page=2" in html
    second = client.get("/app/admin/audit?action=bulk.row&per_page=1000&page=2").get_data(as_text=True)
    assert len(shown_actions(second)) == 20


def test_actions_of_the_portal_appear_in_the_log(client, login_as):
    """The login done by login_as is itself recorded and listed."""
    admin = login_as(Role.ADMIN)
    html = client.get("/app/admin/audit?action=login.success").get_data(as_text=True)
    assert shown_actions(html) == ["login.success"]
    assert admin.email in html
