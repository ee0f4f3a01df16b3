"""The public pages in English and in Arabic, in real Chromium on a 360 px phone screen.

For each journey and each language: the page's direction, a language switch that leads to
the other language, nothing wider than the screen, and a screenshot under
test-results/languages/ for a person to look at (not compared pixel by pixel). Until the
Arabic catalogue is translated the Arabic pages show English words, so these tests find
fields and buttons by id and name, never by their text; test_arabic_text_browser.py checks
the words once the catalogue is merged.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "languages"
PHONE = {"width": 360, "height": 740}
ESTIMATE_RESULT = "/estimate?standards=iso-9001&sector=28&employees=40&sites=1&region=sohar"
LANGUAGES = {"en": ("", "ltr"), "ar": ("/ar", "rtl")}
OTHER = {"en": "ar", "ar": "en"}


@pytest.fixture()
def phone(page, reference, app, monkeypatch):
    """A 360 px wide browser page with the reference data and no minimum enquiry fill-in time."""
    monkeypatch.setitem(app.config, "ENQUIRY_MIN_SECONDS", 0)
    page.set_viewport_size(PHONE)
    return page


def check_page(page, name: str, lang: str) -> None:
    """Direction and language as the URL says, nothing overflowing sideways; then a screenshot."""
    _prefix, direction = LANGUAGES[lang]
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, direction)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{name} ({lang}) is {widths[0]} px wide on a {widths[1]} px screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}.png"), full_page=True)


def follow_switch(page, lang: str, expected_path: str) -> None:
    """The footer's switch is labelled in the other language and opens this page in it."""
    other = OTHER[lang]
    link = page.locator("footer a.language-switch")
    assert (link.get_attribute("lang"), link.get_attribute("hreflang")) == (other, other)
    link.click()
    page.wait_for_url(re.compile(re.escape(expected_path) + "$"))
    assert page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("name", "path"), [("home", "/"), ("standard", "/standards/iso-9001"), ("estimate-result", ESTIMATE_RESULT)]
)
def test_page_in_each_language_fits_a_phone_and_switches_to_the_other(phone, name, path, lang):
    phone.goto(LANGUAGES[lang][0] + path)
    if name == "estimate-result":
        assert phone.get_by_test_id("initial-days").is_visible()
    check_page(phone, name, lang)
    follow_switch(phone, lang, LANGUAGES[OTHER[lang]][0] + path)


def fill_enquiry(page) -> None:
    page.locator("#contact_name").fill("Aisha Al Balushi")
    page.locator("#email").fill("aisha@example.om")
    page.locator("#phone").fill("9212 3456")
    page.locator("#company").fill("Al Noor Trading LLC")
    page.locator("#sector").select_option("28")
    page.locator("#employees").fill("40")
    page.locator("#region").select_option("muscat")
    page.locator("input[name=standards][value=iso-9001]").check()
    page.locator("#timeline").select_option("3_6_months")
    page.locator("#heard_from").select_option("referral")
    page.locator("#consent").check()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_enquiry_mistake_is_shown_under_its_field_then_sent_in_the_same_language(phone, lang):
    prefix = LANGUAGES[lang][0]
    phone.goto(f"{prefix}/enquire")
    fill_enquiry(phone)
    phone.locator("#email").fill("aisha@")
    phone.locator("form button[type=submit]").click()
    phone.wait_for_load_state()

    assert phone.url.endswith(f"{prefix}/enquire")
    field, error = phone.locator("#email"), phone.locator("#email-error")
    assert error.is_visible() and "email-error" in (field.get_attribute("aria-describedby") or "")
    box, under, next_field = field.bounding_box(), error.bounding_box(), phone.locator("#phone").bounding_box()
    assert box and under and next_field
    assert box["y"] + box["height"] <= under["y"] < next_field["y"], "the message is not under its own field"
    # It starts where the field starts: the left edge in English, the right edge in Arabic.
    edge = (lambda b: b["x"]) if lang == "en" else (lambda b: b["x"] + b["width"])
    assert abs(edge(under) - edge(box)) < 2
    assert phone.locator("#email").input_value() == "aisha@"
    check_page(phone, "enquiry-mistake", lang)

    phone.locator("#email").fill("aisha@example.om")
    phone.locator("form button[type=submit]").click()
    phone.wait_for_url(f"**{prefix}/enquire/thanks")
    check_page(phone, "enquiry-thanks", lang)
    db.session.rollback()  # read what the server committed
    assert db.session.scalars(select(Lead)).one().language == lang
    follow_switch(phone, lang, f"{LANGUAGES[OTHER[lang]][0]}/enquire/thanks")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_readiness_result_in_each_language_hands_over_to_the_enquiry_in_it(phone, lang):
    prefix = LANGUAGES[lang][0]
    phone.goto(f"{prefix}/readiness")
    for radio in phone.locator("input[type=radio][value=fully]").all():
        radio.check()
    phone.locator("form button[type=submit]").click()
    enquiry_link = phone.locator("a[href*='enquire?attachment=']")
    enquiry_link.wait_for()
    assert (enquiry_link.get_attribute("href") or "").startswith(f"{prefix}/enquire?attachment=")
    check_page(phone, "readiness-result", lang)
    # The result is the answered questionnaire: the switch opens the questionnaire in the other language.
    follow_switch(phone, lang, f"{LANGUAGES[OTHER[lang]][0]}/readiness")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_arabic_browser_is_offered_the_arabic_home_page_and_can_close_the_offer(
    browser, live_server, reference, javascript
):
    context = browser.new_context(base_url=live_server, locale="ar-OM", java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.set_viewport_size(PHONE)
        page.goto("/")
        offer = page.locator(".language-offer")
        assert offer.is_visible() and page.locator("html").get_attribute("lang") == "en"  # offered, not redirected
        if javascript:  # the checks run scripts in the page
            check_page(page, "home-offer", "en")
            assert_accessible(page)
        page.locator("label[for=language-offer-dismiss]").click()
        assert not offer.is_visible()
        page.reload()
        offer.locator("a").click()
        page.wait_for_url("**/ar/")
        assert page.locator("html").get_attribute("dir") == "rtl"
    finally:
        context.close()
