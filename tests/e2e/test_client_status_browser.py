"""The client status page in Chromium: the consultant asks for a document and sends the link; the
client opens it in their own browser (no account), in English or Arabic (right to left, with a
switch), sends a refused file then a good one, reads the returned comment and sends again."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import OutboxMessage, Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.documents import PDF
from tests.fixtures.engagements import add_engagement, add_quote
from tests.fixtures.registrars import add_body

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def certified_engagement(owner):
    engagement = add_engagement(
        owner=owner, stage="certified", client_name="Harthy Trading LLC", decision_date=date(2026, 3, 1)
    )
    engagement.client.contact_email = "amal@client.example.om"
    body = add_body((), name="Gulf Assurance")
    engagement.certification_body = body
    add_quote(engagement, certification_body=body)
    db.session.commit()
    return engagement


def status_link_path() -> str:
    """The /status/<token>?lang=.. address from the newest status-link e-mail (its host is the public one)."""
    db.session.expire_all()
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "client_status_link").order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, "no status link e-mailed"
    url = urlsplit(re.search(r"https?://\S+/status/\S+", message.body_text).group(0))
    return f"{url.path}?{url.query}"


def send_link_as_consultant(page, engagement, language: str) -> str:
    page.goto(f"/app/engagements/{engagement.id}")
    page.get_by_role("link", name="Status link and documents").click()
    page.get_by_label("Language of the e-mail and the page").select_option(language)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("Status link sent to amal@client.example.om.")).to_be_visible()
    return status_link_path()


@pytest.fixture()
def client_page(browser, live_server):
    """The client's own browser: no cookie of the consultant's."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_documents_are_asked_sent_returned_and_sent_again(page, browser_login, client_page):
    consultant = browser_login(Role.CONSULTANT, name="Khalid Al Rawahi")
    engagement = certified_engagement(consultant)
    page.goto(f"/app/engagements/{engagement.id}/client")
    page.get_by_label("Document the client must provide").fill("Organisation chart")
    page.get_by_label("Due date").fill((today_in_oman() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Request", exact=True).click()
    expect(page.get_by_text("Document requested: Organisation chart")).to_be_visible()
    path = send_link_as_consultant(page, engagement, "en")

    client_page.goto(path)
    expect(client_page.get_by_role("heading", name="Certification status: Harthy Trading LLC")).to_be_visible()
    expect(client_page.get_by_test_id("cycle").locator('[aria-current="step"]')).to_contain_text("Certified")
    expect(client_page.get_by_test_id("chosen-body")).to_have_text("Gulf Assurance")
    assert_accessible(client_page)

    field = client_page.get_by_label("File for “Organisation chart”")
    field.set_input_files({"name": "chart.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 a program"})
    client_page.get_by_role("button", name="Send the file").click()
    expect(client_page.get_by_text("This kind of file cannot be attached.")).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_accessible(client_page)
    field.set_input_files({"name": "chart.pdf", "mimeType": "application/pdf", "buffer": PDF})
    client_page.get_by_role("button", name="Send the file").click()
    expect(client_page.get_by_text("Thank you: Organisation chart was received.")).to_be_visible()
    expect(client_page.get_by_test_id("document")).to_contain_text("Received, being reviewed")

    page.reload()
    expect(page.get_by_test_id("document-files")).to_contain_text("chart.pdf")
    page.get_by_label("Decision").select_option("returned")
    page.get_by_label("Comment (the client reads it when returned)").fill("Please add the HSE team.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Document reviewed: Organisation chart")).to_be_visible()

    client_page.reload()
    expect(client_page.get_by_test_id("return-comment")).to_contain_text("Please add the HSE team.")
    client_page.get_by_label("File for “Organisation chart”").set_input_files(
        {"name": "chart-v2.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    client_page.get_by_role("button", name="Send the file").click()
    expect(client_page.get_by_test_id("document")).to_contain_text("chart.pdf, chart-v2.pdf")

    page.goto(f"/app/engagements/{engagement.id}")
    timeline = page.get_by_test_id("engagement-timeline")
    expect(timeline).to_contain_text("The client sent a file for Organisation chart: chart-v2.pdf")
    expect(timeline).to_contain_text("The client viewed the status page")


def test_the_page_reads_right_to_left_in_arabic_with_a_switch_to_english(page, browser_login, client_page):
    consultant = browser_login(Role.CONSULTANT)
    engagement = certified_engagement(consultant)
    path = send_link_as_consultant(page, engagement, "ar")

    client_page.goto(path)
    expect(client_page.locator("html")).to_have_attribute("dir", "rtl")
    expect(client_page.get_by_role("heading", name="دورة الشهادة")).to_be_visible()
    expect(client_page.get_by_test_id("certificate-state")).to_have_text("سارية")
    assert_accessible(client_page)
    client_page.get_by_test_id("link-languages").get_by_role("link", name="English").click()
    expect(client_page.locator("html")).to_have_attribute("dir", "ltr")
    expect(client_page.get_by_role("heading", name="The certification cycle")).to_be_visible()
    expect(client_page.get_by_test_id("certificate-state")).to_have_text("Valid")
