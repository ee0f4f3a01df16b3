"""The readiness check in Chromium: answer, see the result, send an enquiry with the answers attached."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from portal.core.readiness_questions import QUESTIONS
from portal.extensions import db
from portal.models import Lead

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

LABELS = {"not_in_place": "Not in place", "partly": "Partly", "fully": "Fully in place", "not_sure": "Not sure"}


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture()
def fast_enquiry(app):
    """Let the enquiry's anti-spam timer accept a form filled in by a robot in under a second."""
    previous = app.config.get("ENQUIRY_MIN_SECONDS")
    app.config["ENQUIRY_MIN_SECONDS"] = 0
    yield
    app.config["ENQUIRY_MIN_SECONDS"] = previous


def answer(page, answers: dict[str, str]) -> None:
    for question in QUESTIONS:
        if question.id in answers:
            group = page.get_by_role("group", name=str(question.text))
            group.get_by_label(LABELS[answers[question.id]], exact=True).check()


def test_readiness_check_gives_a_result_and_sends_the_answers_with_an_enquiry(page, reference, fast_enquiry):
    answers = {q.id: "fully" for q in QUESTIONS} | {"perf_internal_audit": "not_in_place", "imp_continual": "partly"}

    page.goto("/readiness")
    assert page.title().startswith("ISO readiness self-assessment")
    assert_accessible(page)

    # Missing answers first: the page says which, keeps the rest, and stays accessible.
    answer(page, {"ctx_issues": "partly"})
    page.get_by_role("button", name="See my result").click()
    assert page.get_by_text("16 questions still need an answer").is_visible()
    ctx_issues = page.get_by_role("group", name=str(QUESTIONS[0].text))
    assert ctx_issues.get_by_label("Partly", exact=True).is_checked()
    assert_accessible(page)

    answer(page, answers)
    page.get_by_role("button", name="See my result").click()
    page.get_by_role("heading", name="Your ISO readiness result").wait_for()
    assert page.title().startswith("Your ISO readiness result")
    # 31 of 34 points overall; performance evaluation 4 of 6.
    assert page.locator("#score-overall").get_attribute("value") == "91"
    assert page.get_by_label("9. Performance evaluation").get_attribute("value") == "67"
    assert page.get_by_role("heading", name="Performance evaluation", level=3).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Send an enquiry with these answers").click()
    page.wait_for_url(re.compile(r"/enquire\?attachment="))
    assert page.get_by_text("Your readiness check results will be attached to this enquiry.").is_visible()
    page.get_by_label("Your name").fill("Aisha Al Balushi")
    page.get_by_label("Work e-mail").fill("aisha@example.om")
    page.get_by_label("Phone").fill("92123456")
    page.get_by_label("Company").fill("Batinah Steel Fabrication LLC")
    page.get_by_label("Sector").select_option("17")
    page.get_by_label("Number of employees").fill("85")
    page.get_by_label("Location").select_option("sohar")
    page.get_by_role("checkbox", name=re.compile(r"^ISO 9001")).check()
    page.get_by_label("When would you like to be certified?").select_option("6_12_months")
    page.get_by_label("How did you hear of us?").select_option("search")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_url("**/enquire/thanks")

    db.session.rollback()  # read what the server committed
    lead = db.session.scalars(select(Lead)).one()
    assert lead.company == "Batinah Steel Fabrication LLC"
    assert lead.status != "spam"
    assert lead.readiness["answers"] == answers
    assert lead.readiness["overall"] == 91
    assert lead.readiness["groups"]["performance"] == 67


def test_readiness_check_works_without_javascript(browser, live_server, app):
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/readiness")
        answer(page, {q.id: "partly" for q in QUESTIONS})
        page.get_by_role("button", name="See my result").click()

        page.get_by_role("heading", name="Your ISO readiness result").wait_for()
        assert page.locator("#score-overall").get_attribute("value") == "50"
        assert (
            page.get_by_role("link", name="Send an enquiry with these answers")
            .get_attribute("href")
            .startswith("/enquire?attachment=")
        )
    finally:
        context.close()
