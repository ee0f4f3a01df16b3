"""Readiness and estimate results carried into the enquiry through a signed link."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead
from portal.public.attachments import read_attachment, sign_attachment
from tests.fixtures.enquiry import submit

RESULTS = {"score": 62, "answers": {"documented_policy": "yes"}}


def test_a_signed_attachment_reads_back(app):
    with app.test_request_context():
        assert read_attachment(sign_attachment("readiness", RESULTS)) == ("readiness", RESULTS)
        assert read_attachment(sign_attachment("estimate", {"days": 4.5})) == ("estimate", {"days": 4.5})


def test_tampered_expired_or_garbage_attachments_read_as_nothing(app, monkeypatch):
    with app.test_request_context():
        token = sign_attachment("readiness", RESULTS)
        assert read_attachment(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
        assert read_attachment("not a token") is None
        assert read_attachment("") is None
        monkeypatch.setitem(app.config, "ENQUIRY_ATTACHMENT_MAX_AGE_SECONDS", -1)
        assert read_attachment(token) is None


def test_only_known_kinds_can_be_signed(app):
    with app.test_request_context(), pytest.raises(ValueError, match="unknown attachment kind"):
        sign_attachment("anything", {})


@pytest.mark.usefixtures("enquiry_app")
@pytest.mark.parametrize(
    ("kind", "summary"),
    [("readiness", "Your readiness check results will be attached"), ("estimate", "Your audit-time estimate")],
)
def test_the_form_says_what_will_be_attached_and_the_lead_keeps_it(app, client, kind, summary):
    with app.test_request_context():
        token = sign_attachment(kind, RESULTS)
    query = "?attachment=" + quote(token)
    assert summary in client.get("/enquire" + query).get_data(as_text=True)
    assert submit(client, query).status_code == 302
    lead = db.session.scalars(select(Lead)).one()
    assert getattr(lead, kind) == RESULTS
    other = "estimate" if kind == "readiness" else "readiness"
    assert getattr(lead, other) is None
    assert next(f for f in lead.score_factors if f["name"] == "prepared")["points"] > 0


@pytest.mark.usefixtures("enquiry_app")
def test_a_forged_attachment_is_not_stored(app, client):
    html = client.get("/enquire?attachment=forged").get_data(as_text=True)
    assert "has expired" in html
    assert submit(client, "?attachment=forged").status_code == 302
    lead = db.session.scalars(select(Lead)).one()
    assert lead.readiness is None and lead.estimate is None
