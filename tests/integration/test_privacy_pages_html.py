"""The personal-data pages are valid HTML by the Nu checker: the public notice and request form
in both languages, the admins' lists, a breach, a request, the notice editor, and a lead page
with its consents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead, PersonalDataBreach, PrivacyRequest, Role
from portal.models.types import utcnow
from tests.fixtures.enquiry import submit
from tests.fixtures.nu_checker import nu_errors
from tests.integration.test_triage_pages_html import KNOWN  # the lead page's own, older findings


def test_privacy_pages_are_valid_html(enquiry_app, client, login_as, tmp_path):
    submit(client, marketing_consent="y")
    lead = db.session.scalars(select(Lead)).one()
    breach = PersonalDataBreach(title="Lost laptop", discovered_at=utcnow(), people_affected=3)
    request = PrivacyRequest(name="A", email="a@example.om", kind="access", due_on=date(2027, 1, 1), reference="PRQ-1")
    db.session.add_all([breach, request])
    db.session.commit()
    public = [client.get(path).data for path in ("/privacy", "/ar/privacy", "/privacy/request", "/ar/privacy/request")]
    login_as(Role.ADMIN)
    workspace = [
        client.get(path).data
        for path in (
            "/app/privacy/requests",
            f"/app/privacy/requests/{request.id}",
            "/app/privacy/breaches",
            "/app/privacy/breaches/new",
            f"/app/privacy/breaches/{breach.id}",
            f"/app/privacy/breaches/{breach.id}/edit",
            "/app/privacy/notice",
            f"/app/leads/{lead.id}",
        )
    ]
    assert b'data-testid="consent-marketing"' in workspace[-1] and b"Lost laptop" in workspace[4]
    errors = [e for e in nu_errors(public + workspace, tmp_path) if not any(k in e["message"] for k in KNOWN)]
    assert errors == [], [(e["url"][-12:], e["message"], e.get("extract")) for e in errors]
