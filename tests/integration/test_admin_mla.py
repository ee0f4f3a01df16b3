"""The MLA-recognition page: an admin records, corrects and removes the scopes each
accreditation body signed, every change audited, and matching follows the record."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import AccreditationBody, AuditLog, MlaSignature, Role
from tests.fixtures.auth import csrf_token_from, press
from tests.fixtures.matching import body_accredited_for, engagement_from_enquiry

PAGE = "/app/admin/mla-recognition"


def body_of(code: str) -> AccreditationBody:
    return db.session.scalar(select(AccreditationBody).where(AccreditationBody.code == code))


def post(client, **data):
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    return client.post(PAGE, data={"csrf_token": token, **data})


def eligible_names(html: str) -> list[str]:
    return re.findall(r'<h3 id="body-\d+-name" class="h6 mb-1">\d+\. ([^<]+)</h3>', html)


def audit_rows(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_admin_adds_then_corrects_a_scope_each_change_audited(client, login_as, reference):
    admin = login_as(Role.ADMIN)
    saac = body_of("SAAC")
    assert "ISMS" not in saac.mla_scopes

    source = "https://iaf.nu/en/member-details/?member_id=0"
    response = post(client, accreditation_body=saac.id, scope="ISMS", recognised_on="2024-05-01", source=source)
    assert response.status_code == 302
    db.session.expire_all()
    assert "ISMS" in body_of("SAAC").mla_scopes
    (added,) = audit_rows("mla_signature.add")
    assert (added.actor_id, added.details["scope"], added.details["source"]) == (admin.id, "ISMS", source)

    post(client, accreditation_body=saac.id, scope="ISMS", recognised_on="2024-06-01", source=source)
    db.session.expire_all()
    row = db.session.scalar(
        select(MlaSignature).where(MlaSignature.accreditation_body_id == saac.id, MlaSignature.scope == "ISMS")
    )
    assert row.recognised_on == date(2024, 6, 1)
    (updated,) = audit_rows("mla_signature.update")
    assert updated.details == {"before": {"recognised_on": "2024-05-01"}, "after": {"recognised_on": "2024-06-01"}}


def test_a_missing_source_is_refused_next_to_the_field_with_the_input_kept(client, login_as, reference):
    login_as(Role.ADMIN)
    saac = body_of("SAAC")
    response = post(client, accreditation_body=saac.id, scope="ISMS", recognised_on="2024-05-01", source="  ")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="source"' in html and "This field is required." in html
    assert 'value="2024-05-01"' in html
    assert "ISMS" not in body_of("SAAC").mla_scopes
    assert audit_rows("mla_signature.add") == []


def test_removing_a_scope_is_audited_and_matching_then_excludes_the_body_with_the_reason(client, login_as, reference):
    login_as(Role.ADMIN)
    body_accredited_for("Kappa Info Sec", standards=("iso-27001",))  # accredited by GAC, which signed ISMS
    engagement = engagement_from_enquiry(standards=("iso-27001",))
    match_url = f"/app/engagements/{engagement.id}/match"
    assert eligible_names(client.get(match_url).get_data(as_text=True)) == ["Kappa Info Sec"]

    isms = next(s for s in body_of("GAC").mla_signatures if s.scope == "ISMS")
    response = press(client, f"{PAGE}/{isms.id}/remove", PAGE)
    assert response.status_code == 302
    (removed,) = audit_rows("mla_signature.remove")
    assert (removed.details["accreditation_body"], removed.details["scope"]) == ("GAC", "ISMS")

    html = client.get(match_url).get_data(as_text=True)
    assert eligible_names(html) == []
    assert "GAC has not signed the IAF MLA sub-scope this standard needs: ISMS – ISO/IEC 27001 (sub-scope)." in html


def test_the_settings_page_leads_to_the_mla_recognition_page(client, login_as):
    login_as(Role.ADMIN)
    html = client.get("/app/admin/settings/").get_data(as_text=True)
    assert 'href="/app/admin/mla-recognition"' in html
