"""Access and portability: an admin exports everything about one person, and nobody else's data."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Role
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.nu_checker import nu_errors
from tests.fixtures.privacy import (
    COLLEAGUE_EMAIL,
    EMAIL,
    HOME_EMAIL,
    NAME,
    OTHER_EMAIL,
    OTHER_NAME,
    OTHER_PHONE,
    PHONE,
    add_people,
)

pytestmark = pytest.mark.usefixtures("reference")

PAGE = "/app/privacy/"


def token(client) -> str:
    return csrf_token_from(client.get(PAGE).get_data(as_text=True))


def export(client, path: str, **person: str):
    return client.post(f"{PAGE}{path}", data={"csrf_token": token(client), **person})


def audit_rows(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_the_json_export_holds_every_record_of_the_person_and_nobody_elses(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())

    response = export(client, "export.json", email=" aisha.rahbi@alnoor.EXAMPLE.om ", phone="9234 5678")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=personal-data-")
    assert response.headers["Cache-Control"] == "private, no-store"
    text = response.get_data(as_text=True)
    document = json.loads(text)
    assert document["person"] == {"emails": [EMAIL.lower()], "phones": [PHONE]}
    references = {row["reference"] for row in document["enquiries"]}
    assert references == {people.lead.reference, people.duplicate.reference, people.by_phone.reference}
    assert {row["lead"] for row in document["consent"]} == references
    (consents,) = [row["records"] for row in document["consent"] if row["lead"] == people.lead.reference]
    assert [(c["purpose"], c["granted"], c["notice_version"], c["path"]) for c in consents] == [
        ("enquiry", True, 1, "/enquire"),
        ("marketing", False, 1, "/enquire"),
    ]
    assert [row["reference"] for row in document["privacy_requests"]] == ["PRQ-2026-000001"]
    assert [row["contact_email"] for row in document["client_contacts"]] == [EMAIL.lower()]
    assert [row["id"] for row in document["engagements"]] == [people.engagement.id]
    assert {row["text"] for row in document["timeline"]} >= {
        f"Called {NAME} on 92345678.",
        f"Write to {EMAIL.lower()} for the audit dates.",
    }
    assert [row["name"] for row in document["attachments"]] == ["Aisha_Rahbi_scope.pdf"]
    assert [row["to"] for row in document["emails"]] == [EMAIL.lower()]
    (event,) = document["webhook_events"]
    assert event["event"] == "lead.created" and event["sent_to"] == "https://crm.example.com/hooks"
    assert EMAIL.lower() in event["body"].lower()
    assert [(row["engagement"], row["to"]) for row in document["status_links"]] == [
        (people.engagement.id, EMAIL.lower())
    ]
    assert HOME_EMAIL in text
    others = (OTHER_NAME, OTHER_EMAIL, OTHER_PHONE, people.other_lead.reference, "team@firm.example.om")
    for other in (*others, COLLEAGUE_EMAIL, people.colleague_lead.reference):
        assert other not in text


def test_an_export_is_audited_without_the_persons_data(client, login_as, make_user):
    admin_id = login_as(Role.ADMIN).id
    add_people(make_user())

    export(client, "export.json", email=EMAIL).get_data()  # the JSON streams as it is read
    export(client, "export", email=EMAIL.upper())

    rows = audit_rows("privacy.exported")
    assert [row.details["format"] for row in rows] == ["json", "html"]
    assert {row.actor_id for row in rows} == {admin_id}
    assert rows[0].details["person"] == rows[1].details["person"]  # the same person, by a keyed hash
    assert rows[0].details["counts"]["leads"] == 2  # by e-mail only: her two enquiries under it
    for row in rows:
        assert "aisha" not in json.dumps(row.details).casefold()


def test_the_printable_page_shows_the_same_records_without_the_workspace_menu(client, login_as, make_user):
    login_as(Role.ADMIN)
    people = add_people(make_user())

    response = export(client, "export", email=EMAIL, phone=PHONE)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert people.lead.reference in html and people.by_phone.reference in html
    assert "Aisha_Rahbi_scope.pdf" in html
    assert OTHER_EMAIL not in html and people.other_lead.reference not in html
    assert 'aria-label="Workspace"' not in html
    assert html.count('data-testid="export-section"') == 10


def test_looking_a_person_up_shows_the_counts_and_needs_an_address_or_a_phone(client, login_as, make_user):
    login_as(Role.ADMIN)
    add_people(make_user())

    empty = client.post(PAGE, data={"csrf_token": token(client), "email": "", "phone": ""})
    bad_phone = client.post(PAGE, data={"csrf_token": token(client), "email": "", "phone": "12"})
    found = client.post(PAGE, data={"csrf_token": token(client), "email": EMAIL, "phone": ""})

    assert empty.status_code == 400
    assert "Enter the person's e-mail address or phone number." in empty.get_data(as_text=True)
    assert bad_phone.status_code == 400
    assert 'value="12"' in bad_phone.get_data(as_text=True)  # what was typed is kept
    html = found.get_data(as_text=True)
    assert found.status_code == 200
    assert 'data-testid="counts"' in html
    assert "still open" not in html  # a closed engagement without an accepted quote holds nothing


def test_only_admins_reach_the_personal_data_pages(client, login_as, make_user):
    anonymous = client.get(PAGE)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]

    login_as(Role.CONSULTANT)
    assert client.get(PAGE).status_code == 403
    csrf = csrf_token_from(client.get("/app/").get_data(as_text=True))
    for path in ("", "export.json", "export", "correct", "erase", "retention"):
        assert client.post(f"{PAGE}{path}", data={"csrf_token": csrf, "email": EMAIL}).status_code == 403


def test_an_export_without_its_csrf_token_is_refused(client, login_as, make_user):
    login_as(Role.ADMIN)
    add_people(make_user())

    response = client.post(f"{PAGE}export.json", data={"email": EMAIL})

    assert response.status_code == 400
    assert audit_rows("privacy.exported") == []


def test_the_pages_speak_arabic_to_an_arabic_speaking_admin(client, login_as, make_user):
    login_as(Role.ADMIN, locale="ar")
    add_people(make_user())

    index = client.get(PAGE).get_data(as_text=True)
    person = client.post(PAGE, data={"csrf_token": token(client), "email": EMAIL, "phone": PHONE}).get_data(
        as_text=True
    )

    assert 'dir="rtl"' in index and "البيانات الشخصية" in index and "مدد الاحتفاظ" in index
    assert "ما تحتفظ به البوابة عن هذا الشخص" in person
    assert f'<bdi dir="ltr">{EMAIL.lower()}</bdi>' in person and f'<bdi dir="ltr">{PHONE}</bdi>' in person


def test_the_personal_data_pages_are_valid_html(client, login_as, make_user, tmp_path):
    login_as(Role.ADMIN)
    add_people(make_user())

    pages = [
        client.get(PAGE).data,
        client.post(PAGE, data={"csrf_token": token(client), "email": EMAIL, "phone": PHONE}).data,
        export(client, "export", email=EMAIL, phone=PHONE).data,
    ]

    assert b'data-testid="counts"' in pages[1] and b'data-testid="export-section"' in pages[2]
    assert nu_errors(pages, tmp_path) == []
