"""The client status page: its signed link (sent, renewed, revoked, expired), what it shows and
never shows, the document requests the client answers there, their review and their reminders."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import itsdangerous.timed
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.client_status import services
from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import (
    Activity,
    DocumentRequest,
    OutboxMessage,
    Reminder,
    Role,
    StatusLink,
    StoredFile,
)
from portal.models.types import utcnow
from tests.fixtures.auth import log_in
from tests.fixtures.documents import PDF, ooxml
from tests.fixtures.engagements import add_engagement, add_quote
from tests.fixtures.nu_checker import nu_errors
from tests.fixtures.registrars import add_body

CONTACT = "amal@client.example.om"


@pytest.fixture()
def owner(make_user):
    return make_user(Role.CONSULTANT, email="khalid.staff@example.om", name="Khalid Al Rawahi")


@pytest.fixture()
def consultant(client, owner):
    assert log_in(client, owner.email).status_code == 302
    return owner


@pytest.fixture()
def engagement(app, reference, owner):
    """A certified engagement: an accepted quote from one body, a declined one from another, and a note."""
    engagement = add_engagement(
        owner=owner, stage="certified", client_name="Harthy Trading LLC", decision_date=date(2026, 3, 1)
    )
    engagement.client.contact_email = CONTACT
    engagement.client.contact_name = "Amal Al Harthy"
    chosen = add_body((), name="Gulf Assurance", email="quotes@gulf-assurance.example")
    engagement.certification_body = chosen
    add_quote(engagement, status="accepted", certification_body=chosen, initial_fee=Decimal("2400.125"))
    add_quote(
        engagement,
        status="declined",
        certification_body=add_body((), name="Desert Certification", email="hello@desert.example"),
        initial_fee=Decimal("1999.875"),
    )
    db.session.add(Activity(engagement_id=engagement.id, author=owner, kind="note", body="Client slow to pay"))
    db.session.commit()
    return engagement


@pytest.fixture()
def visitor(app):
    """A second browser: the client's, with no session of the consultant's."""
    return app.test_client()


def any_csrf_token(html: str) -> str:
    """The session's CSRF token, read from any form of the page (a prefixed form's field included)."""
    return re.search(r'name="(?:[a-z]\d+-)?csrf_token"[^>]*value="([^"]+)"', html).group(1)


def form_post(client, url: str, page_url: str, prefix: str = "", **data):
    """Post `data` with the CSRF token read from `page_url`, under the form's `prefix` when it has one."""
    token = any_csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={f"{prefix}csrf_token": token, **data})


def send_link(client, engagement, language: str = "en"):
    manage = f"/app/engagements/{engagement.id}/client"
    return form_post(client, f"{manage}/link", manage, language=language)


def last_link_path() -> str:
    """The status page's path and query, as e-mailed in the newest status-link message."""
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "client_status_link").order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"https?://[^/\s]+(/status/\S+)", message.body_text).group(1)


def timeline_kinds(engagement) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Activity.kind).where(Activity.engagement_id == engagement.id).order_by(Activity.id))
    )


def upload(client, path: str, request: DocumentRequest, content: bytes, name: str):
    """Send a file through the request's form on the status page (encoded in memory)."""
    html = client.get(path).get_data(as_text=True)
    if "csrf_token" not in html:  # no form left on the page: the session's token from a form open to all
        html = client.get("/auth/reset").get_data(as_text=True)
    data = MultiDict(
        {
            f"d{request.id}-csrf_token": any_csrf_token(html),
            f"d{request.id}-file": FileStorage(BytesIO(content), filename=name),
        }
    )
    boundary, body = encode_multipart(data)
    token_path, query = path.split("?")
    url = f"{token_path}/documents/{request.id}?{query}"
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def add_request(engagement, owner, title: str = "Organisation chart", due: date | None = None) -> DocumentRequest:
    request = DocumentRequest(
        engagement=engagement, title=title, due_date=due or today_in_oman() + timedelta(days=14), created_by_id=owner.id
    )
    db.session.add(request)
    db.session.commit()
    return request


# The link ----------------------------------------------------------------------------------


def test_the_link_is_e_mailed_to_the_contact_in_their_language_and_only_a_hash_is_kept(client, consultant, engagement):
    response = send_link(client, engagement, language="ar")
    assert response.status_code == 302
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "client_status_link")).one()
    assert message.recipient == CONTACT
    assert message.language == "ar"
    assert "Harthy Trading LLC" in message.body_text
    assert "khalid.staff@example.om" not in message.body_text
    path = last_link_path()
    assert path.endswith("?lang=ar")
    link = db.session.scalars(select(StatusLink)).one()
    token = path.split("/status/")[1].split("?")[0]
    nonce = services.tokens.read_token(token)[1]
    assert nonce not in link.nonce_hash and link.nonce_hash == services.tokens.nonce_hash(nonce)
    assert (link.expires_at - link.created_at) == timedelta(days=90)
    assert "status_link_sent" in timeline_kinds(engagement)


def test_the_page_shows_the_cycle_the_chosen_body_and_the_certificate(client, consultant, engagement, visitor):
    send_link(client, engagement)
    response = visitor.get(last_link_path())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    cycle = html.split('data-testid="cycle"')[1].split("</ol>")[0]
    assert cycle.count('data-state="done"') == 6 and 'data-state="current"' in cycle
    assert "Certified" in cycle.split('data-state="current"')[1].split("</li>")[0]
    audits = html.split('data-testid="audits-ahead"')[1].split("</ul>")[0]
    for shown in ("Surveillance audit 1", "2027-03-01", "Surveillance audit 2", "Recertification audit"):
        assert shown in audits
    assert "Gulf Assurance" in html.split('data-testid="chosen-body"')[1].split("</dd>")[0]
    certificate = html.split('data-testid="certificate"')[1].split("</dl>")[0]
    for shown in (engagement.certificate_number, "Valid", "2029-02-28"):
        assert shown in certificate
    assert "Khalid Al Rawahi" in html


def test_before_certification_the_page_shows_the_initial_audits_ahead_and_a_pause(client, consultant, owner, visitor):
    early = add_engagement(owner=owner, stage="on_hold", stage_before_hold="internal_audit", client_name="Early LLC")
    early.client.contact_email = CONTACT
    db.session.commit()
    send_link(client, early)
    html = visitor.get(last_link_path()).get_data(as_text=True)
    assert 'data-testid="on-hold"' in html
    cycle = html.split('data-testid="cycle"')[1].split("</ol>")[0]
    assert "Internal audit" in cycle.split('data-state="current"')[1].split("</li>")[0]
    audits = html.split('data-testid="audits-ahead"')[1].split("</ul>")[0]
    assert (
        "Stage 1 audit" in audits and "Stage 2 audit" in audits and "dates agreed with the certification body" in audits
    )
    assert "Surveillance audit 1" not in audits
    assert "Not chosen yet" in html.split('data-testid="chosen-body"')[1].split("</dd>")[0]
    assert "Not issued yet" in html.split('data-testid="certificate"')[1].split("</dl>")[0]


def test_the_agreed_stage_1_and_2_dates_are_on_the_page(client, consultant, owner, visitor):
    planned = add_engagement(owner=owner, stage="stage1_audit", client_name="Planned LLC")
    planned.client.contact_email = CONTACT
    planned.stage1_audit_on, planned.stage2_audit_on = date(2027, 2, 8), date(2027, 3, 15)
    db.session.commit()
    send_link(client, planned)
    audits = visitor.get(last_link_path()).get_data(as_text=True).split('data-testid="audits-ahead"')[1]
    audits = audits.split("</ul>")[0]
    stage1, stage2 = audits.split("Stage 2 audit")
    assert "Stage 1 audit" in stage1 and "2027-02-08" in stage1
    assert "2027-03-15" in stage2 and "dates agreed with the certification body" not in audits


def test_the_page_never_shows_prices_other_bodies_notes_staff_addresses_or_other_clients(
    client, consultant, engagement, visitor
):
    other = add_engagement(owner=engagement.owner, client_name="Other Client SAOG")
    add_quote(other, certification_body=add_body((), name="Other Body"), initial_fee=Decimal("777.777"))
    send_link(client, engagement)
    html = visitor.get(last_link_path()).get_data(as_text=True)
    for hidden in (
        "2400.125", "2,400.125", "1999.875", "1,999.875", "Desert Certification", "Client slow to pay",
        "khalid.staff@example.om", "quotes@gulf-assurance.example", "Other Client SAOG", "Other Body", "777.777",
    ):  # fmt: skip
        assert hidden not in html, hidden


def test_the_page_is_private_not_indexed_and_sets_no_cookie_without_a_form(client, consultant, engagement, visitor):
    send_link(client, engagement)
    response = visitor.get(last_link_path())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_the_language_comes_from_the_link_with_a_switch(client, consultant, engagement, visitor):
    send_link(client, engagement, language="ar")
    path = last_link_path()
    bare = path.split("?")[0]
    assert visitor.get(bare).headers["Location"].endswith(path)
    arabic = visitor.get(path).get_data(as_text=True)
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    english = visitor.get(bare + "?lang=en").get_data(as_text=True)
    assert 'dir="ltr"' in english and "The certification cycle" in english
    assert f'href="{bare}?lang=en"' in arabic


def test_a_new_link_revokes_the_old_one(client, consultant, engagement, visitor):
    send_link(client, engagement)
    first = last_link_path()
    send_link(client, engagement)
    second = last_link_path()
    old = visitor.get(first)
    assert old.status_code == 410
    assert "newer link" in old.get_data(as_text=True)
    assert visitor.get(second).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(StatusLink).where(StatusLink.revoked_at.is_(None))) == 1


def test_a_revoked_link_stops_at_once_and_revoking_twice_is_refused(client, consultant, engagement, visitor):
    send_link(client, engagement)
    path = last_link_path()
    manage = f"/app/engagements/{engagement.id}/client"
    assert form_post(client, f"{manage}/link/revoke", manage).status_code == 302
    assert visitor.get(path).status_code == 410
    again = form_post(client, f"{manage}/link/revoke", manage)
    assert again.status_code == 400 and "no working link" in again.get_data(as_text=True)
    assert "status_link_revoked" in timeline_kinds(engagement)


def test_an_expired_link_is_gone_and_a_renewed_one_works(client, consultant, engagement, visitor):
    send_link(client, engagement)
    path = last_link_path()
    link = db.session.scalars(select(StatusLink)).one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    gone = visitor.get(path)
    assert gone.status_code == 410 and "expired" in gone.get_data(as_text=True)
    send_link(client, engagement)
    assert visitor.get(last_link_path()).status_code == 200


def test_a_signature_older_than_the_longest_lifetime_is_refused_even_if_the_row_says_otherwise(
    client, consultant, engagement, visitor, monkeypatch
):
    send_link(client, engagement)
    path = last_link_path()
    db.session.scalars(select(StatusLink)).one().expires_at = utcnow() + timedelta(days=900)
    db.session.commit()
    later = time.time() + 366 * 24 * 3600
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert visitor.get(path).status_code == 410


def test_a_tampered_or_foreign_token_opens_nothing(client, consultant, engagement, visitor):
    send_link(client, engagement)
    path = last_link_path()
    token = path.split("/status/")[1].split("?")[0]
    assert visitor.get(f"/status/{token[:-2]}xx?lang=en").status_code == 400
    assert visitor.get("/status/garbage?lang=en").status_code == 400
    link = db.session.scalars(select(StatusLink)).one()
    forged = services.tokens.make_token(link.id, "not-the-nonce")
    assert visitor.get(f"/status/{forged}?lang=en").status_code == 400


def test_a_closed_engagement_has_no_status_page_and_sends_no_link(client, consultant, engagement, visitor):
    send_link(client, engagement)
    path = last_link_path()
    engagement.stage = "closed"
    db.session.commit()
    assert visitor.get(path).status_code == 410
    refused = send_link(client, engagement)
    assert refused.status_code == 400 and "closed" in refused.get_data(as_text=True)


def test_a_client_without_a_contact_address_gets_no_link(client, consultant, engagement):
    engagement.client.contact_email = ""
    db.session.commit()
    response = send_link(client, engagement)
    assert response.status_code == 400
    assert "no contact e-mail address" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StatusLink)) == 0


def test_visits_are_on_the_timeline_at_most_once_an_hour(client, consultant, engagement, visitor):
    send_link(client, engagement)
    path = last_link_path()
    visitor.get(path)
    visitor.get(path)
    assert timeline_kinds(engagement).count("status_viewed") == 1
    viewed = db.session.scalars(select(Activity).where(Activity.kind == "status_viewed")).one()
    viewed.created_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    visitor.get(path)
    assert timeline_kinds(engagement).count("status_viewed") == 2
    page = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    assert "The client viewed the status page" in page


def test_a_signed_in_consultant_checking_the_page_is_not_a_client_visit(client, consultant, engagement):
    send_link(client, engagement)
    assert client.get(last_link_path()).status_code == 200
    assert "status_viewed" not in timeline_kinds(engagement)


def test_sent_status_links_lose_their_address_after_the_longest_lifetime(client, consultant, engagement, runner, app):
    send_link(client, engagement)
    send_link(client, engagement)
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0
    old, recent = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "client_status_link").order_by(OutboxMessage.id)
    ).all()
    old.created_at = utcnow() - timedelta(days=app.config["STATUS_LINK_MAX_DAYS"] + 1)
    db.session.commit()
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0
    db.session.expire_all()
    assert "/status/" not in old.body_text and "[link removed]" in old.body_text
    assert "/status/" in recent.body_text


# The setting -------------------------------------------------------------------------------


def test_the_admin_sets_how_long_new_links_work(client, engagement, login_as):
    login_as(Role.ADMIN)
    refused = form_post(client, "/app/admin/settings/status-links", "/app/admin/settings/", link_days="0")
    assert refused.status_code == 400 and "between 1 and 365" in refused.get_data(as_text=True)
    assert (
        form_post(client, "/app/admin/settings/status-links", "/app/admin/settings/", link_days="30").status_code == 302
    )
    assert services.link_days() == 30
    send_link(client, engagement)
    link = db.session.scalars(select(StatusLink)).one()
    assert link.expires_at - link.created_at == timedelta(days=30)


def test_a_consultant_cannot_change_the_link_setting(client, consultant, engagement):
    response = form_post(client, "/app/admin/settings/status-links", f"/app/engagements/{engagement.id}", link_days="5")
    assert response.status_code == 403
    assert services.link_days() == services.DEFAULT_LINK_DAYS


# Document requests -------------------------------------------------------------------------


def test_the_consultant_lists_a_document_and_the_client_sees_it(client, consultant, engagement, visitor):
    manage = f"/app/engagements/{engagement.id}/client"
    due = (today_in_oman() + timedelta(days=10)).isoformat()
    response = form_post(
        client, f"{manage}/documents", manage, title="List of legal requirements", request_note="Latest", due_date=due
    )
    assert response.status_code == 302
    send_link(client, engagement)
    html = visitor.get(last_link_path()).get_data(as_text=True)
    documents = html.split('data-testid="documents"')[1]
    assert "List of legal requirements" in documents and due in documents and 'data-testid="upload-form"' in documents
    assert "document_requested" in timeline_kinds(engagement)


def test_a_document_request_needs_a_title_and_a_date_not_in_the_past(client, consultant, engagement):
    manage = f"/app/engagements/{engagement.id}/client"
    past = (today_in_oman() - timedelta(days=1)).isoformat()
    response = form_post(client, f"{manage}/documents", manage, title="Org chart", due_date=past)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "cannot be in the past" in html and 'value="Org chart"' in html
    empty = form_post(client, f"{manage}/documents", manage, title=" ", due_date="")
    assert empty.status_code == 400
    for message in ("Say which document the client must provide.", "Enter a date as YYYY-MM-DD."):
        assert message in empty.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DocumentRequest)) == 0


def test_the_client_uploads_a_file_checked_by_content_and_the_consultant_downloads_it(
    client, consultant, engagement, visitor, owner
):
    request = add_request(engagement, owner)
    send_link(client, engagement)
    path = last_link_path()
    response = upload(visitor, path, request, ooxml("docx"), "../Org Chart.docx")
    assert response.status_code == 302
    db.session.expire_all()
    assert request.status == "submitted"
    [sent] = request.uploads
    assert sent.original_name == "Org Chart.docx" and sent.extension == "docx"
    assert db.session.get(StoredFile, f"client-documents/{sent.stored_name}") is not None
    assert "document_uploaded" in timeline_kinds(engagement)
    download = client.get(f"/app/engagements/{engagement.id}/client/documents/{request.id}/files/{sent.id}")
    assert download.status_code == 200
    assert download.data == ooxml("docx") or download.data.startswith(b"PK")
    disposition = download.headers["Content-Disposition"]
    assert "attachment" in disposition and f"engagement-{engagement.id}-document-{request.id}" in disposition
    assert (
        visitor.get(f"/app/engagements/{engagement.id}/client/documents/{request.id}/files/{sent.id}").status_code
        == 302
    )


def test_the_consultant_hears_of_a_clients_file_in_their_own_language(
    app, client, consultant, engagement, visitor, owner
):
    owner.locale = "ar"
    request = add_request(engagement, owner)
    send_link(client, engagement)
    assert upload(visitor, last_link_path(), request, PDF, "org-chart.pdf").status_code == 302
    (message,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "client_document_received"))
    assert message.recipient == owner.email and message.language == "ar"
    assert "Harthy Trading LLC" in message.subject and "org-chart.pdf" in message.body_text
    assert f"{app.config['PUBLIC_BASE_URL']}/app/engagements/{engagement.id}/client" in message.body_text


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a document", "scope.pdf", "This kind of file cannot be attached"),
        (b"", "empty.pdf", "The file is empty."),
        (ooxml("docm"), "macro.docx", "This kind of file cannot be attached"),
    ],
)
def test_a_file_that_is_not_a_document_is_refused_next_to_its_field(
    client, consultant, engagement, visitor, owner, content, name, message
):
    request = add_request(engagement, owner)
    send_link(client, engagement)
    response = upload(visitor, last_link_path(), request, content, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert request.status == "requested" and request.uploads == []
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_a_file_over_the_limit_is_refused(client, consultant, engagement, visitor, owner, app):
    app.config["CLIENT_DOCUMENT_MAX_BYTES"] = 1024 * 1024
    request = add_request(engagement, owner)
    send_link(client, engagement)
    big = PDF[:-6] + b"0" * (1024 * 1024) + b"%%EOF\n"
    response = upload(visitor, last_link_path(), request, big, "big.pdf")
    assert response.status_code == 400 and "larger than 1 MB" in response.get_data(as_text=True)


def test_a_link_cannot_upload_to_another_engagements_request(client, consultant, engagement, visitor, owner):
    other = add_engagement(owner=owner, client_name="Other Client SAOG")
    foreign = add_request(other, owner)
    add_request(engagement, owner)  # the page then has a form, hence a CSRF token
    send_link(client, engagement)
    path = last_link_path()
    token_path, query = path.split("?")
    page = visitor.get(path)
    response = visitor.post(
        f"{token_path}/documents/{foreign.id}?{query}",
        data={f"d{foreign.id}-csrf_token": any_csrf_token(page.get_data(as_text=True))},
    )
    assert response.status_code == 404


def test_a_returned_document_shows_the_comment_and_can_be_sent_again_then_accepted(
    client, consultant, engagement, visitor, owner
):
    request = add_request(engagement, owner)
    send_link(client, engagement)
    path = last_link_path()
    upload(visitor, path, request, PDF, "chart.pdf")
    manage = f"/app/engagements/{engagement.id}/client"
    review = f"{manage}/documents/{request.id}/review"
    db.session.refresh(request)
    version = str(request.version)
    r = f"r{request.id}-"
    bare = form_post(client, review, manage, r, **{f"{r}decision": "returned", f"{r}version": version})
    assert bare.status_code == 400 and "Say what the client must change" in bare.get_data(as_text=True)
    returned = form_post(
        client,
        review,
        manage,
        r,
        **{f"{r}decision": "returned", f"{r}comment": "Add the HSE team", f"{r}version": version},
    )
    assert returned.status_code == 302
    html = visitor.get(path).get_data(as_text=True)
    assert "Add the HSE team" in html.split('data-testid="return-comment"')[1]
    assert upload(visitor, path, request, PDF, "chart-v2.pdf").status_code == 302
    db.session.refresh(request)
    accepted = form_post(client, review, manage, r, **{f"{r}decision": "accepted", f"{r}version": str(request.version)})
    assert accepted.status_code == 302
    db.session.expire_all()
    assert request.status == "accepted" and len(request.uploads) == 2
    assert 'data-testid="upload-form"' not in visitor.get(path).get_data(as_text=True)
    late = upload(visitor, path, request, PDF, "chart-v3.pdf")  # a form left open in another tab
    assert late.status_code == 400
    assert "no longer waiting for a file" in late.get_data(as_text=True).split('data-testid="page-error"')[1]
    assert {"document_returned", "document_accepted"} <= set(timeline_kinds(engagement))


def test_a_stale_review_is_refused(client, consultant, engagement, visitor, owner):
    request = add_request(engagement, owner)
    send_link(client, engagement)
    upload(visitor, last_link_path(), request, PDF, "chart.pdf")
    manage = f"/app/engagements/{engagement.id}/client"
    r = f"r{request.id}-"
    response = form_post(
        client, f"{manage}/documents/{request.id}/review", manage, r, **{f"{r}decision": "accepted", f"{r}version": "1"}
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert request.status == "submitted"


def test_the_engagement_page_counts_the_documents(client, consultant, engagement, owner):
    add_request(engagement, owner)
    html = client.get(f"/app/engagements/{engagement.id}").get_data(as_text=True)
    counts = html.split('data-testid="document-counts"')[1].split("</p>")[0]
    assert "1 awaiting the client, 0 to review, 0 accepted" in counts
    assert f"/app/engagements/{engagement.id}/client" in html


# Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("post", "/link"),
        ("post", "/link/revoke"),
        ("post", "/documents"),
        ("post", "/documents/1/review"),
        ("get", "/documents/1/files/1"),
    ],
)
def test_the_client_page_and_its_actions_are_for_signed_in_staff_only(client, engagement, method, suffix):
    response = getattr(client, method)(f"/app/engagements/{engagement.id}/client{suffix}")
    assert response.status_code in (302, 400)  # to the login page (a POST without CSRF is refused first)
    if response.status_code == 302:
        assert "/auth/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(StatusLink)) == 0


# Reminders ---------------------------------------------------------------------------------


def run_reminders(runner, day: date) -> None:
    result = runner.invoke(args=["reminders", "run", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output


def overdue_messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder_document_overdue")))


def test_an_overdue_request_is_reminded_once_in_the_links_language_without_a_link(
    client, consultant, engagement, owner, runner
):
    send_link(client, engagement, language="ar")
    request = add_request(engagement, owner, due=today_in_oman() - timedelta(days=2))
    day = today_in_oman()
    run_reminders(runner, day)
    run_reminders(runner, day)
    [message] = overdue_messages()
    assert message.recipient == CONTACT and message.language == "ar"
    assert "/status/" not in message.body_text and request.title in message.body_text
    assert db.session.scalar(select(func.count()).select_from(Reminder).where(Reminder.subject_id == request.id)) == 1
    request.due_date = day - timedelta(days=1)  # a new due date may be reminded once more
    db.session.commit()
    run_reminders(runner, day)
    assert len(overdue_messages()) == 2


def test_no_reminder_without_a_working_link_or_once_the_file_is_sent(client, consultant, engagement, owner, runner):
    request = add_request(engagement, owner, due=today_in_oman() - timedelta(days=2))
    run_reminders(runner, today_in_oman())
    assert overdue_messages() == []
    send_link(client, engagement)
    request.status = "submitted"
    db.session.commit()
    run_reminders(runner, today_in_oman())
    assert overdue_messages() == []


# Valid HTML ---------------------------------------------------------------------------------


def test_the_status_and_client_pages_are_valid_html(client, consultant, engagement, visitor, owner, tmp_path):
    request = add_request(engagement, owner)
    send_link(client, engagement, language="ar")
    path = last_link_path()
    upload(visitor, path, request, PDF, "chart.pdf")
    add_request(engagement, owner, title="List of legal requirements")
    refused = upload(visitor, path, request, b"not a document", "x.pdf")  # accepted no more: message by the field
    pages = [
        visitor.get(path).data,
        visitor.get(path.replace("lang=ar", "lang=en")).data,
        refused.data,
        visitor.get("/status/not-a-token?lang=en").data,
        client.get(f"/app/engagements/{engagement.id}/client").data,
    ]
    messages = nu_errors(pages, tmp_path)
    assert messages == [], [(m["url"][-10:], m.get("lastLine"), m["message"]) for m in messages][:8]
