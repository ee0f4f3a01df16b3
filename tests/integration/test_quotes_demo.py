"""Demo quotes: every status on the demo engagements, consistent with their registrar, loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo.quotes import load_demo_quotes
from portal.extensions import db
from portal.models import QUOTE_STATUSES, Engagement, Quote


def test_seed_demo_adds_quotes_in_every_status_once(runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    quotes = list(db.session.scalars(select(Quote)))
    assert {q.status for q in quotes} == set(QUOTE_STATUSES)

    for engagement in db.session.scalars(
        select(Engagement).where(Engagement.id.in_({q.engagement_id for q in quotes}))
    ):
        accepted = [q for q in quotes if q.engagement_id == engagement.id and q.status == "accepted"]
        assert len(accepted) <= 1
        if accepted:
            assert accepted[0].certification_body_id == engagement.certification_body_id
    answered = [q for q in quotes if q.status not in ("requested", "withdrawn")]
    assert all(q.valid_until and q.initial_audit_days and q.initial_fee > 0 for q in answered)

    assert load_demo_quotes() == 0
    db.session.commit()
    assert db.session.scalar(select(func.count(Quote.id))) == len(quotes)


def test_the_demo_compare_page_shows_the_received_quotes(runner, client, login_as):
    runner.invoke(args=["seed", "demo"])
    login_as()
    engagement_id = db.session.scalar(select(Quote.engagement_id).where(Quote.status == "received"))
    html = client.get(f"/app/engagements/{engagement_id}/quotes").get_data(as_text=True)
    assert html.count('data-testid="three-year-') == 3
