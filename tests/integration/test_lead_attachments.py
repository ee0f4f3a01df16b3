"""Files attached to a lead, through the real forms (CSRF on): checked by content and size,
kept in shared storage, listed on the timeline, downloaded by staff only under a safe name,
deleted with an audit row."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.extensions import db
from portal.models import Activity, AuditLog, Lead, LeadAttachment, Role, StoredFile
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.documents import JPEG, OLE2_DOC, PDF, PNG, WEBP, ooxml, plain_zip
from tests.fixtures.leads import add_lead

pytestmark = pytest.mark.usefixtures("reference")


@pytest.fixture()
def consultant(login_as):
    return login_as(Role.CONSULTANT, name="Salim Al Harthy", email="salim@example.om")


def upload(client, lead: Lead, content: bytes, name: str, *, token: bool = True):
    """Send the lead page's attachment form as a browser would, file and all (encoded in memory:
    the test client spools large bodies to files it does not close)."""
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    data: dict = {"file": FileStorage(io.BytesIO(content), filename=name)}
    if token:
        data["csrf_token"] = csrf_token_from(html)
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(
        f"/app/leads/{lead.id}/attachments", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def only_attachment(lead: Lead) -> LeadAttachment:
    db.session.expire_all()
    (attachment,) = db.session.scalars(select(LeadAttachment).where(LeadAttachment.lead_id == lead.id))
    return attachment


def stored_keys() -> list[str]:
    return list(db.session.scalars(select(StoredFile.key)))


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("lead.attachment%"))))


def test_an_attached_pdf_is_stored_listed_on_the_timeline_and_audited(client, consultant) -> None:
    lead = add_lead()
    response = upload(client, lead, PDF, "Scope document.pdf")
    assert response.status_code == 302
    attachment = only_attachment(lead)
    assert (attachment.original_name, attachment.extension, attachment.size) == ("Scope document.pdf", "pdf", len(PDF))
    assert attachment.uploaded_by_id == consultant.id
    assert stored_keys() == [f"leads/{attachment.stored_name}"]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", attachment.stored_name)
    (entry,) = db.session.scalars(select(Activity).where(Activity.lead_id == lead.id, Activity.kind == "attachment"))
    assert entry.details["attachment_id"] == attachment.id and entry.author_id == consultant.id
    assert audit_actions() == ["lead.attachment_added"]
    page = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert "File attached: Scope document.pdf" in page
    assert page.count(f'/app/leads/{lead.id}/attachments/{attachment.id}"') == 2  # the list and the timeline


@pytest.mark.parametrize(
    ("content", "name", "extension"),
    [
        (PNG, "org-chart.png", "png"),
        (JPEG, "site photo.jpeg", "jpg"),
        (WEBP, "plan.webp", "webp"),
        (ooxml("docx"), "Scope.docx", "docx"),
        (ooxml("xlsx"), "Employees.xlsx", "xlsx"),
        (ooxml("pptx"), "Kick-off.pptx", "pptx"),
        (PNG, "named-like-a-pdf.pdf", "png"),  # the bytes decide, not the name
    ],
)
def test_images_and_office_files_are_accepted_by_their_content(client, consultant, content, name, extension) -> None:
    lead = add_lead()
    assert upload(client, lead, content, name).status_code == 302
    assert only_attachment(lead).extension == extension


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 an executable", "scope.pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "chart.png"),
        (b"<html><script>alert(1)</script></html>", "notes.docx"),
        (OLE2_DOC, "old-format.doc"),
        (ooxml("docm"), "macros.docx"),
        (plain_zip(), "bundle.xlsx"),
    ],
    ids=["executable", "svg", "html", "legacy-doc", "macro-docm", "plain-zip"],
)
def test_other_content_is_refused_next_to_the_field_and_nothing_is_kept(client, consultant, content, name) -> None:
    lead = add_lead()
    response = upload(client, lead, content, name)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="file-error"[^>]*>\s*This kind of file cannot be attached', html)
    assert db.session.scalars(select(LeadAttachment)).all() == []
    assert stored_keys() == [] and audit_actions() == []


def test_a_file_over_the_size_limit_is_refused(client, consultant, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "LEAD_ATTACHMENT_MAX_BYTES", 1024 * 1024)
    lead = add_lead()
    big = PNG + b"\x00" * (1024 * 1024)
    response = upload(client, lead, big, "huge.png")
    assert response.status_code == 400
    assert "The file is larger than 1 MB. Attach a smaller file." in response.get_data(as_text=True)
    assert stored_keys() == []
    assert upload(client, lead, PNG + b"\x00" * 1000, "small.png").status_code == 302


def test_an_empty_form_and_an_empty_file_are_refused(client, consultant) -> None:
    lead = add_lead()
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    response = client.post(f"/app/leads/{lead.id}/attachments", data={"csrf_token": csrf_token_from(html)})
    assert response.status_code == 400
    assert "Choose a file to attach." in response.get_data(as_text=True)
    response = upload(client, lead, b"", "empty.pdf")
    assert response.status_code == 400 and "The file is empty." in response.get_data(as_text=True)


def test_an_upload_without_its_csrf_token_is_refused(client, consultant) -> None:
    lead = add_lead()
    assert upload(client, lead, PDF, "scope.pdf", token=False).status_code == 400
    assert stored_keys() == []


def test_the_download_has_a_server_made_name_and_is_never_shown_inline(client, consultant) -> None:
    lead = add_lead()
    hostile = "../../Scope <b>v2<b>; filename=x.html.pdf.hta"
    assert upload(client, lead, PDF, hostile).status_code == 302
    attachment = only_attachment(lead)
    response = client.get(f"/app/leads/{lead.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    reference = lead.reference.lower()
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=lead-{reference}-{attachment.id}-scope-b-v2-b-filename-x-html-pdf.pdf"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    page = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert "<b>v2" not in page and "../../" not in page
    assert "Scope &lt;b&gt;v2&lt;b&gt;; filename=x.html.pdf.hta" in page


def test_an_arabic_file_name_still_gets_a_safe_download_name(client, consultant) -> None:
    lead = add_lead()
    assert upload(client, lead, ooxml("docx"), "نطاق العمل.docx").status_code == 302
    attachment = only_attachment(lead)
    response = client.get(f"/app/leads/{lead.id}/attachments/{attachment.id}")
    assert response.headers["Content-Disposition"].endswith(f"-{attachment.id}-file.docx")
    assert "نطاق العمل.docx" in client.get(f"/app/leads/{lead.id}").get_data(as_text=True)


def test_visitors_cannot_download_or_attach(client, login_as) -> None:
    lead = add_lead()
    login_as(Role.CONSULTANT)
    assert upload(client, lead, PDF, "scope.pdf").status_code == 302
    attachment = only_attachment(lead)
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/app/").get_data(as_text=True))})
    download = client.get(f"/app/leads/{lead.id}/attachments/{attachment.id}")
    assert download.status_code == 302 and "/auth/login" in download.headers["Location"]
    assert PDF not in download.data
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    posted = client.post(
        f"/app/leads/{lead.id}/attachments", data={"csrf_token": token, "file": (io.BytesIO(PDF), "x.pdf")}
    )
    assert posted.status_code == 302 and "/auth/login" in posted.headers["Location"]
    assert len(stored_keys()) == 1


def test_a_file_is_only_reached_through_its_own_lead(client, consultant) -> None:
    lead, other = add_lead(), add_lead()
    assert upload(client, lead, PDF, "scope.pdf").status_code == 302
    attachment = only_attachment(lead)
    assert client.get(f"/app/leads/{other.id}/attachments/{attachment.id}").status_code == 404
    assert client.get(f"/app/leads/{lead.id}/attachments/{attachment.id + 1}").status_code == 404


def test_deleting_a_file_removes_it_keeps_the_timeline_and_is_audited(client, consultant) -> None:
    lead = add_lead()
    assert upload(client, lead, PDF, "scope.pdf").status_code == 302
    attachment = only_attachment(lead)
    url = f"/app/leads/{lead.id}/attachments/{attachment.id}"
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert client.post(f"{url}/delete").status_code == 400  # no token: nothing happens
    assert client.get(url).status_code == 200
    response = client.post(f"{url}/delete", data={"csrf_token": csrf_token_from(html)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(LeadAttachment)).all() == [] and stored_keys() == []
    assert client.get(url).status_code == 404
    assert audit_actions() == ["lead.attachment_added", "lead.attachment_deleted"]
    page = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert "File attached: scope.pdf" in page and "File deleted: scope.pdf" in page
    assert f'href="{url}"' not in page


def test_merging_moves_the_files_and_a_merged_lead_takes_none(client, consultant) -> None:
    original = add_lead(email="info@alnoor.om")
    duplicate = add_lead(email="INFO@alnoor.om")
    assert upload(client, duplicate, PDF, "scope.pdf").status_code == 302
    html = client.get(f"/app/leads/{duplicate.id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    merge = {"csrf_token": csrf_token_from(html), "version": version, "target": str(original.id)}
    assert client.post(f"/app/leads/{duplicate.id}/merge", data=merge).status_code == 302
    attachment = only_attachment(original)
    assert client.get(f"/app/leads/{original.id}/attachments/{attachment.id}").status_code == 200
    response = upload(client, duplicate, PDF, "late.pdf")
    assert response.status_code == 400 and "merged into" in response.get_data(as_text=True)
    assert 'data-testid="attachment-form"' not in client.get(f"/app/leads/{duplicate.id}").get_data(as_text=True)
