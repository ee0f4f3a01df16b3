"""On PostgreSQL the inbox asks the planner before counting, and a view it expects to be huge
is shown as "more than 1,000 leads" without counting (portal.leads.queries.filters)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.leads.queries import filters
from portal.models import Lead
from tests.fixtures.leads import add_lead
from tests.fixtures.queries import count_queries

pytestmark = [pytest.mark.usefixtures("reference"), pytest.mark.postgres]


def test_the_planner_estimate_is_read(app):
    for _ in range(3):
        add_lead()
    db.session.execute(text("ANALYZE leads"))  # as autovacuum keeps a live table
    assert filters.planner_rows(select(Lead.id)) == 3
    assert filters.planner_rows(select(Lead.id).where(Lead.id < 0)) <= 1


def test_a_view_expected_to_be_huge_is_not_counted(client, login_as, monkeypatch):
    login_as()
    for _ in range(3):
        add_lead(company="Majan Steel")
    monkeypatch.setattr(filters, "ESTIMATE_TRUSTED_FROM", 1)  # as if a million leads held the word
    with count_queries() as statements:
        html = client.get("/app/leads/?q=majan").get_data(as_text=True)
    assert "More than 1,000 leads: narrow the filters to see them all." in html
    assert not any(s.startswith("SELECT count(*) AS count_1 FROM (SELECT leads.id") for s in statements)
    assert html.count("Majan Steel") >= 3  # the page itself is whole


def test_a_view_expected_to_be_small_is_counted_exactly(client, login_as):
    login_as()
    for _ in range(3):
        add_lead(company="Majan Steel")
    html = client.get("/app/leads/?q=majan").get_data(as_text=True)
    assert "3 leads" in html
