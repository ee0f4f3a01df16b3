"""Opening a quote page never writes: a quote past its validity reads as expired, and only
`flask reminders run` stores that."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import AuditLog, Quote, Role
from tests.fixtures.queries import count_queries
from tests.fixtures.quotes import body_taking_quotes, engagement_for_quotes, link, received_quote

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_getting_the_compare_and_link_pages_leaves_the_database_unchanged(client, reference, make_user, login_as):
    engagement = engagement_for_quotes(make_user(Role.CONSULTANT))
    past = today_in_oman() - timedelta(days=1)
    stale = received_quote(engagement, body_taking_quotes("Gulf Assurance"), valid_until=past)
    waiting = received_quote(engagement, body_taking_quotes("Oman Quality Cert"))
    login_as(Role.CONSULTANT)
    before = [(q.id, q.status, q.version, q.decided_at) for q in (stale, waiting)]
    audits = db.session.scalar(select(func.count(AuditLog.id)))

    with count_queries() as statements:
        assert client.get(link(stale)).status_code == 410
        assert client.get(link(waiting)).status_code == 200
        assert client.get(f"/app/engagements/{engagement.id}/quotes").status_code == 200
        assert client.get(f"/app/engagements/{engagement.id}").status_code == 200

    assert [s for s in statements if s.lstrip().upper().startswith(WRITES)] == []
    db.session.expire_all()
    after = [(q.id, q.status, q.version, q.decided_at) for q in db.session.scalars(select(Quote).order_by(Quote.id))]
    assert after == before
    assert db.session.scalar(select(func.count(AuditLog.id))) == audits
