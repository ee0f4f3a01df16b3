"""The signed link a certification body answers through: valid, revised, expired, tampered, spent."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import itsdangerous.timed
import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import Activity, OutboxMessage, Quote, Role, StoredFile
from portal.quotes import services
from portal.quotes.tokens import make_token
from tests.fixtures.auth import csrf_token_from, log_in
from tests.fixtures.quotes import PDF, body_taking_quotes, engagement_for_quotes, link, received_quote, seen


def stored_keys() -> list[str]:
    """The keys of every file in shared storage (the `stored_files` table)."""
    return list(db.session.scalars(select(StoredFile.key)))


@pytest.fixture()
def requested(app, reference, make_user, make_quote) -> Quote:
    owner = make_user(Role.CONSULTANT, email="owner@example.om")
    return make_quote(
        engagement_for_quotes(owner), status="requested", certification_body=body_taking_quotes("Gulf Assurance")
    )


def pdf_upload(content: bytes, name: str) -> FileStorage:
    return FileStorage(BytesIO(content), filename=name, content_type="application/pdf")


def answer_data(csrf_token: str) -> dict:
    """A complete, valid answer of the link form."""
    return {
        "csrf_token": csrf_token,
        "initial_fee": "2400.500",
        "surveillance_fee": "900",
        "recertification_fee": "1800",
        "travel_fee": "120.250",
        "initial_audit_days": "4.5",
        "valid_until": (today_in_oman() + timedelta(days=90)).isoformat(),
        "notes": "Arabic-speaking lead auditor",
    }


def answer(client, url: str, **overrides):
    """Post the form read from the page, encoded in memory (the test client spools large bodies to unclosed files)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = answer_data(csrf_token_from(page.get_data(as_text=True)))
    data.update(overrides)
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_link_shows_the_job_without_the_clients_contact_details(client, requested):
    response = client.get(link(requested))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = html.split('data-testid="job-summary"')[1].split("</dl>")[0]
    for shown in ("ISO 9001", "28", "30", "Muscat", "2027-03-01"):
        assert shown in summary
    for hidden in ("Salim", "salim@client.example.om", "+96891234567", "Harthy"):
        assert hidden not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_answering_marks_the_quote_received_and_tells_the_owner(client, requested):
    response = answer(client, link(requested), file=pdf_upload(PDF, "offer.pdf"))
    assert response.status_code == 302
    db.session.refresh(requested)
    assert requested.status == "received"
    assert (requested.initial_fee, requested.travel_fee, requested.initial_audit_days) == (
        Decimal("2400.500"),
        Decimal("120.250"),
        Decimal("4.5"),
    )
    assert requested.original_name == "offer.pdf" and requested.file_name.endswith(".pdf")
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "quote_received"))
    assert mail.recipient == "owner@example.om"
    assert "OMR 2,400.500" in mail.body_text
    assert db.session.scalar(select(Activity.kind).where(Activity.engagement_id == requested.engagement_id)) == (
        "quote_received"
    )


def test_the_same_link_revises_the_quote_and_replaces_its_file(client, requested):
    url = link(requested)
    answer(client, url, file=pdf_upload(PDF, "first.pdf"))
    db.session.refresh(requested)
    first_file = requested.file_name
    page = client.get(url).get_data(as_text=True)
    assert 'value="2400.500"' in page and "Submitting again replaces it" in page
    assert answer(client, url, initial_fee="2200", file=pdf_upload(PDF, "second.pdf")).status_code == 302
    db.session.refresh(requested)
    assert (requested.status, requested.initial_fee, requested.original_name) == (
        "received",
        Decimal("2200.000"),
        "second.pdf",
    )
    assert stored_keys() == [f"quotes/{requested.file_name}"]  # the first file went with the revision
    assert requested.file_name != first_file
    kinds = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.kind == "quote_received")).all()
    assert kinds == ["Quotation received from Gulf Assurance", "Quotation revised by Gulf Assurance"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"initial_audit_days": ""}, "Enter the auditor-days offered for the initial audit."),
        ({"initial_audit_days": "4.25"}, "Enter the auditor-days in half days, e.g. 4.5."),
        ({"surveillance_fee": "-5"}, "The amount cannot be negative."),
        ({"surveillance_fee": "sNaN"}, "Enter an amount in OMR, e.g. 1250.500."),
        ({"surveillance_fee": "Infinity"}, "Enter an amount in OMR, e.g. 1250.500."),
        ({"initial_audit_days": "sNaN"}, "Enter the auditor-days in half days, e.g. 4.5."),
        ({"valid_until": "1999-12-31"}, "The validity date cannot be in the past."),
    ],
)
def test_bad_figures_are_shown_next_to_their_fields_and_kept(client, requested, overrides, message):
    response = answer(client, link(requested), initial_fee="2400.500", **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'value="2400.500"' in html
    assert db.session.get(Quote, requested.id).status == "requested"


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, requested):
    response = answer(client, link(requested), file=pdf_upload(b"MZ\x90\x00 not a pdf", "offer.pdf"))
    assert response.status_code == 400
    assert "The file is not a PDF." in response.get_data(as_text=True)
    assert db.session.get(Quote, requested.id).status == "requested"
    assert stored_keys() == []


def test_a_file_over_10_mb_is_refused(client, requested):
    big = PDF[:9] + b"0" * (10 * 1024 * 1024) + PDF[9:]
    response = answer(client, link(requested), file=pdf_upload(big, "offer.pdf"))
    assert response.status_code == 400
    assert "larger than 10 MB" in response.get_data(as_text=True)
    assert stored_keys() == []


def test_a_tampered_link_shows_a_clear_page(client, requested):
    token = make_token(requested.id, requested.token_nonce)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for url in ("/q/" + tampered, "/q/not-a-token", "/q/" + "x" * 500):
        response = client.get(url)
        assert response.status_code == 400
        assert "The link is not valid." in response.get_data(as_text=True)


def test_one_quotes_link_never_opens_another(client, requested, make_quote):
    other = make_quote(
        requested.engagement, status="requested", certification_body=body_taking_quotes("Oman Quality Cert")
    )
    forged = "/q/" + make_token(other.id, requested.token_nonce)
    assert client.get(forged).status_code == 400
    assert client.get(link(other)).status_code == 200


def test_a_link_works_for_30_days_and_then_expires(client, requested, monkeypatch):
    url = link(requested)
    now = time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 29 * 24 * 3600)
    assert client.get(url).status_code == 200
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 31 * 24 * 3600)
    response = client.get(url)
    assert response.status_code == 410
    assert "has expired" in response.get_data(as_text=True)


def test_a_quote_past_its_validity_expires_and_its_link_closes(client, requested, runner):
    requested.status = "received"
    requested.valid_until = today_in_oman() - timedelta(days=1)
    db.session.commit()
    response = client.get(link(requested))
    assert response.status_code == 410
    assert "has expired" in response.get_data(as_text=True)
    db.session.refresh(requested)
    assert requested.status == "received"  # the page only read it
    assert runner.invoke(args=["reminders", "run"]).exit_code == 0
    db.session.refresh(requested)
    assert requested.status == "expired"
    assert client.get(link(requested)).status_code == 410


def test_the_link_cannot_be_used_after_acceptance(app, client, requested, make_user):
    engagement = requested.engagement
    url = link(requested)
    page = client.get(url).get_data(as_text=True)  # the body opened the form before the decision
    answer(client, url)
    chosen = received_quote(engagement, body_taking_quotes("Oman Quality Cert"))
    consultant = app.test_client()  # the consultant's own browser (a login renews its session)
    log_in(consultant, make_user(Role.CONSULTANT).email)
    compare = f"/app/engagements/{engagement.id}/quotes"
    token = csrf_token_from(consultant.get(compare).get_data(as_text=True))
    assert (
        consultant.post(f"{compare}/{chosen.id}/accept", data={"csrf_token": token, **seen(chosen)}).status_code == 302
    )

    for accepted_or_declined in (link(chosen), url):
        response = client.get(accepted_or_declined)
        assert response.status_code == 410
        assert "can no longer be answered or revised" in response.get_data(as_text=True)
    late = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "initial_fee": "1",
            "surveillance_fee": "1",
            "recertification_fee": "1",
            "initial_audit_days": "1",
            "valid_until": "2030-01-01",
        },
    )
    assert late.status_code == 410
    db.session.refresh(requested)
    assert (requested.status, requested.initial_fee) == ("declined", Decimal("2400.500"))


@pytest.mark.parametrize("ended", ["engagement closed", "body deactivated"])
def test_the_link_closes_with_its_engagement_or_its_body(client, requested, ended):
    url = link(requested)
    form = client.get(url).get_data(as_text=True)  # opened while the request was still live
    if ended == "engagement closed":
        requested.engagement.stage = "closed"
    else:
        requested.certification_body.active = False
    db.session.commit()

    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 410
    assert "This quotation request is no longer open" in html and 'name="initial_fee"' not in html
    late = answer_data(csrf_token_from(form))
    assert client.post(url, data=late).status_code == 410
    assert db.session.get(Quote, requested.id).status == "requested"


def test_answering_without_the_csrf_token_is_refused(client, requested):
    response = client.post(link(requested), data={"initial_fee": "1"})
    assert response.status_code == 400
    assert db.session.get(Quote, requested.id).status == "requested"


def test_the_pdf_is_served_only_to_logged_in_staff_as_an_attachment(client, requested, login_as):
    answer(client, link(requested), file=pdf_upload(PDF, "Offer Q1.pdf"))
    db.session.refresh(requested)
    url = f"/app/quotes/{requested.id}/file"
    assert client.get(url).status_code == 302
    login_as(Role.CONSULTANT)
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert (
        response.headers["Content-Disposition"]
        == f"attachment; filename=quote-{requested.engagement_id}-gulf-assurance.pdf"
    )
    response.close()


def test_no_pdf_no_download(client, requested, login_as):
    login_as(Role.CONSULTANT)
    assert client.get(f"/app/quotes/{requested.id}/file").status_code == 404


def test_the_link_pages_are_rate_limited(client, requested, monkeypatch, app):
    monkeypatch.setitem(app.config, "QUOTE_LINK_RATE_LIMIT", "3 per minute")
    statuses = [client.get("/q/guess-" + str(n)).status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_a_request_over_the_size_cap_gets_a_clear_page_not_an_error(client, requested, monkeypatch, app):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    response = answer(client, link(requested), file=pdf_upload(PDF[:9] + b"0" * (2 * 1024 * 1024) + PDF[9:], "a.pdf"))
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)
    assert db.session.get(Quote, requested.id).status == "requested"


@pytest.mark.postgres  # SQLite serialises writers, so this interleaving cannot happen there
@pytest.mark.clean_tables  # a second connection commits while the request runs
def test_a_revision_that_loses_the_race_with_the_decision_is_not_saved(client, requested, monkeypatch):
    url = link(requested)
    real_submit = services.submit_from_link

    def decided_meanwhile(quote, *args):
        # The consultant's decision commits, in its own transaction, between the body's read and its write.
        with db.engine.begin() as other:
            other.execute(
                Quote.__table__.update()
                .where(Quote.id == quote.id)
                .values(status="declined", version=Quote.__table__.c.version + 1)
            )
        return real_submit(quote, *args)

    monkeypatch.setattr(services, "submit_from_link", decided_meanwhile)
    response = answer(client, url, file=pdf_upload(PDF, "offer.pdf"))
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 410
    assert "can no longer be answered or revised" in page.get_data(as_text=True)
    db.session.refresh(requested)
    assert (requested.status, requested.file_name) == ("declined", None)
