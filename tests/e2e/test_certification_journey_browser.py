"""Issue 7's journey in real Chromium: a consultant converts a lead, matches, requests three
quotes; two certification bodies answer through their e-mailed links; the consultant
compares, accepts one and takes the engagement through stage 1 and stage 2 to certified."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Engagement, OutboxMessage, Quote, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.leads import add_lead
from tests.fixtures.matching import body_accredited_for

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

BODIES = ("Alpha Certification", "Bravo Assessments", "Charlie Audits")
DECISION = date(2026, 3, 31)
# The smallest file the upload accepts as a PDF: a header and the end-of-file marker.
TINY_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def quote_link_path(body_email: str) -> str:
    """The /q/<token> path from the quote request e-mail the body received (its host is the public one)."""
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "quote_request", OutboxMessage.recipient == body_email)
    )
    assert message is not None, f"no quote request e-mailed to {body_email}"
    link = re.search(r"https?://\S+/q/\S+", message.body_text)
    assert link, message.body_text
    return urlsplit(link.group(0)).path


def answer_as_body(
    browser, live_server: str, path: str, figures: dict[str, str], pdf: bool = False, forgotten: str = ""
) -> None:
    """A certification body opens its link in its own browser (no login) and sends its quotation."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        body_page = context.new_page()
        body_page.goto(path)
        expect(body_page.get_by_test_id("job-summary")).to_contain_text("ISO 9001")
        assert_accessible(body_page)
        for label, value in figures.items():
            body_page.get_by_label(label, exact=False).fill(value)
        if pdf:
            body_page.get_by_label("Quotation as PDF").set_input_files(
                {"name": "quotation.pdf.hta", "mimeType": "application/pdf", "buffer": TINY_PDF}
            )
        if forgotten:  # sent once without it: refused by the field, the rest kept, then completed
            value = figures[forgotten]
            body_page.get_by_label(forgotten, exact=False).fill("")
            body_page.get_by_role("button", name="Send the quotation").click()
            expect(body_page.get_by_text("Enter the date the quotation is valid until.")).to_be_visible()
            expect(body_page.get_by_label("Each surveillance")).to_have_value(figures["Each surveillance"])
            body_page.get_by_label(forgotten, exact=False).fill(value)
        body_page.get_by_role("button", name="Send the quotation").click()
        expect(body_page.get_by_text("Thank you: your quotation was received.")).to_be_visible()
        kept = f"{Decimal(figures['Initial certification']):.3f}"  # the page shows what was saved, to the baisa
        expect(body_page.get_by_label("Initial certification audit")).to_have_value(kept)
    finally:
        context.close()


def move_to(page, stage_label: str) -> None:
    page.get_by_role("group", name="Move the engagement to").get_by_role("button", name=stage_label, exact=True).click()
    expect(page.get_by_test_id("engagement-stage")).to_have_text(stage_label)


def test_lead_to_certificate_with_three_quotes(page, browser, live_server, browser_login, reference):
    for number, name in enumerate(BODIES, start=1):
        body_accredited_for(name, email=f"quotes{number}@body{number}.example.com", day_rate=str(250 + number * 10))
    body_accredited_for("Delta Look-alike", accreditation_body="UK-ABCB", email="quotes@delta.example.com")
    consultant = browser_login(Role.CONSULTANT, name="Salim Consultant")
    lead = add_lead(
        ("iso-9001", "iso-45001"),
        region="sohar",
        sector=28,
        employees=40,
        company="Sohar Builders LLC",
        status="qualified",
        assigned_to_id=consultant.id,
    )

    # Convert the lead, choosing the standards.
    page.goto(f"/app/leads/{lead.id}")
    assert page.get_by_label(re.compile("^ISO 9001")).is_checked()
    assert page.get_by_label(re.compile("^ISO 45001")).is_checked()
    page.get_by_role("button", name="Convert").click()
    expect(page.get_by_test_id("lead-status")).to_have_text("Converted")
    engagement = db.session.scalar(select(Engagement).where(Engagement.lead_id == lead.id))
    assert engagement is not None and engagement.owner_id == consultant.id
    page.get_by_test_id("lead-converted").get_by_role("link").click()
    page.wait_for_url(f"**/app/engagements/{engagement.id}")
    expect(page.get_by_test_id("engagement-stage")).to_have_text("Gap analysis")

    # The consultancy's own work, then registrar selection.
    for stage in ("Implementation", "Internal audit", "Registrar selection"):
        move_to(page, stage)

    # Match: the three accredited bodies are eligible, the look-alike is not; shortlist them.
    page.get_by_role("link", name="Match certification bodies").click()
    page.wait_for_url(f"**/app/engagements/{engagement.id}/match")
    eligible = page.get_by_test_id("eligible-body")
    expect(eligible).to_have_count(3)
    assert "Delta Look-alike" not in " ".join(eligible.all_inner_texts())
    assert_accessible(page)
    for name in BODIES:
        page.get_by_role("button", name=f"Shortlist {name}").click()
        page.get_by_role("button", name=f"Remove {name} from the shortlist").wait_for()

    # Request quotes from the shortlist on the compare page.
    page.get_by_role("link", name="Request quotes").click()
    page.wait_for_url(f"**/app/engagements/{engagement.id}/quotes")
    for name in BODIES:
        expect(page.get_by_label(f"{name} (shortlisted)")).to_be_checked()
    page.get_by_role("button", name="Request quotes").click()
    expect(
        page.get_by_text("Quote requested from Alpha Certification, Bravo Assessments, Charlie Audits.")
    ).to_be_visible()
    quotes = {
        q.certification_body.name: q
        for q in db.session.scalars(select(Quote).where(Quote.engagement_id == engagement.id))
    }
    assert sorted(quotes) == sorted(BODIES)
    assert {q.status for q in quotes.values()} == {"requested"}
    page.get_by_role("link", name="Sohar Builders LLC").click()  # back to the engagement while the bodies answer
    page.wait_for_url(f"**/app/engagements/{engagement.id}")

    # Two bodies answer through their e-mailed links, as the body would: no account, own browser.
    answer_as_body(
        browser,
        live_server,
        quote_link_path("quotes1@body1.example.com"),
        {
            "Initial certification": "2400.500",
            "Each surveillance": "900.250",
            "Recertification audit": "1600",
            "Travel and expenses": "120",
            "Auditor-days": "10",
            "Quotation valid until": "2099-12-31",
        },
        pdf=True,
    )
    bravo_link = quote_link_path("quotes2@body2.example.com")
    answer_as_body(
        browser,
        live_server,
        bravo_link,
        {
            "Initial certification": "1500",
            "Each surveillance": "600",
            "Recertification audit": "1000",
            "Auditor-days": "5",
            "Quotation valid until": "2099-06-30",
        },
        forgotten="Quotation valid until",
    )

    # Compare: both received quotes side by side, three-year cost in OMR, the MD 5 flag on the short one.
    page.get_by_role("link", name="Request and compare quotes").click()
    page.wait_for_url(f"**/app/engagements/{engagement.id}/quotes")
    alpha, bravo = quotes["Alpha Certification"], quotes["Bravo Assessments"]
    table = page.get_by_test_id("quote-compare")
    expect(table).to_contain_text("Alpha Certification")
    expect(table).to_contain_text("Bravo Assessments")
    assert "Charlie Audits" not in table.inner_text()
    expect(page.get_by_test_id(f"three-year-{alpha.id}")).to_have_text("OMR 4,321.000")
    expect(page.get_by_test_id(f"three-year-{bravo.id}")).to_have_text("OMR 2,700.000")
    expect(page.get_by_test_id(f"days-{bravo.id}")).to_contain_text("Below what IAF MD 5 allows")
    expect(page.get_by_test_id(f"days-{alpha.id}")).not_to_contain_text("Below")
    with page.expect_download() as download:
        table.get_by_role("link", name="Download PDF").click()  # only Alpha sent one
    # Saved under the name the server chose, not the body's "quotation.pdf.hta".
    assert download.value.suggested_filename == f"quote-{engagement.id}-alpha-certification.pdf"
    assert Path(download.value.path()).read_bytes() == TINY_PDF
    assert_accessible(page)

    # Accept Alpha (fully staffed, not the cheapest); the other open requests are declined.
    page.locator(f"form[action$='/quotes/{alpha.id}/accept']").get_by_role("button", name="Accept this quote").click()
    expect(page.get_by_text("Quote from Alpha Certification accepted.")).to_be_visible()
    db.session.expire_all()
    statuses = {
        q.certification_body.name: q.status
        for q in db.session.scalars(select(Quote).where(Quote.engagement_id == engagement.id))
    }
    assert statuses == {
        "Alpha Certification": "accepted",
        "Bravo Assessments": "declined",
        "Charlie Audits": "declined",
    }
    assert db.session.get(Engagement, engagement.id).certification_body.name == "Alpha Certification"
    declined_to = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "quote_declined"))
    assert sorted(declined_to) == ["quotes2@body2.example.com", "quotes3@body3.example.com"]
    late = browser.new_context(base_url=live_server, locale="en-GB")
    try:  # Bravo's link no longer takes a revision once the decision is made
        late_page = late.new_page()
        late_page.goto(bravo_link)
        expect(late_page.get_by_test_id("link-problem")).to_contain_text("no longer be answered or revised")
    finally:
        late.close()

    # Through stage 1 and stage 2 to certified, on the engagement page.
    page.get_by_role("link", name="Sohar Builders LLC").click()
    page.wait_for_url(f"**/app/engagements/{engagement.id}")
    expect(page.get_by_text("Certification body: Alpha Certification")).to_be_visible()
    listed = page.get_by_test_id("quotes")
    for line in ("Alpha Certification: Accepted", "Bravo Assessments: Declined", "Charlie Audits: Declined"):
        expect(listed).to_contain_text(line)
    move_to(page, "Stage 1 audit")
    move_to(page, "Stage 2 audit")
    page.get_by_label("Certificate number").fill("GAC-QMS-2026-0042")
    page.get_by_role("button", name="Certified", exact=True).click()  # the decision date forgotten
    expect(page.get_by_text("Enter the date of the certification decision.")).to_be_visible()
    expect(page.get_by_label("Certificate number")).to_have_value("GAC-QMS-2026-0042")
    expect(page.get_by_test_id("engagement-stage")).to_have_text("Stage 2 audit")
    page.get_by_label("Certification decision date").fill(DECISION.isoformat())
    move_to(page, "Certified")

    # The certificate's cycle: expiry decision + 3 years − 1 day, surveillance at + 12 and + 24 months.
    expect(page.get_by_test_id("expiry-date")).to_have_text("2029-03-30")
    expect(page.get_by_test_id("surveillance-1-due")).to_have_text("2027-03-31")
    expect(page.get_by_test_id("surveillance-2-due")).to_have_text("2028-03-31")
    expect(page.get_by_test_id("schedule")).to_contain_text("GAC-QMS-2026-0042")
    assert_accessible(page)
    db.session.expire_all()
    certified = db.session.get(Engagement, engagement.id)
    assert certified.stage == "certified"
    assert certified.certificate_number == "GAC-QMS-2026-0042"
    assert certified.decision_date == DECISION
    assert (certified.expiry_date, certified.surveillance_1_due, certified.surveillance_2_due) == (
        date(2029, 3, 30),
        date(2027, 3, 31),
        date(2028, 3, 31),
    )
