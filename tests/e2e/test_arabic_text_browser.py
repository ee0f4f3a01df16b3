"""The Arabic pages read in Arabic: true only once the Arabic catalogue (messages.po, compiled)
and the `<slug>.ar.md` content files are merged, so this module FAILS until then, by design.

test_languages_browser.py checks the structure of the same pages (direction, switch, width)
and passes today; this module checks the words: for each page, a piece of text that comes
from the catalogue (or from a content file, where said) is in Arabic script on the Arabic
page and differs from the English page's.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
ESTIMATE_RESULT = "/estimate?standards=iso-9001&sector=28&employees=40&sites=1&region=sohar"


def text_in(page, path: str, selector: str) -> str:
    page.goto(path)
    return page.locator(selector).first.inner_text().strip()


def assert_translated(english: str, arabic: str) -> None:
    assert arabic != english and ARABIC_LETTER.search(arabic), f"not translated: {arabic!r}"


@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("/", "h1"),  # catalogue
        ("/standards/iso-9001", ".facts dt"),  # catalogue
        ("/standards/iso-9001", ".prose h2"),  # content file iso-9001.ar.md
        (ESTIMATE_RESULT, "#result-heading"),  # catalogue
        ("/enquire", "h1"),  # catalogue
    ],
)
def test_arabic_page_text_is_arabic(page, reference, path, selector):
    english = text_in(page, path, selector)
    arabic = text_in(page, "/ar" + path, selector)
    assert_translated(english, arabic)


def readiness_heading(page, path: str) -> str:
    page.goto(path)
    for radio in page.locator("input[type=radio][value=fully]").all():
        radio.check()
    page.locator("form button[type=submit]").click()
    page.locator("a[href*='enquire?attachment=']").wait_for()
    return page.locator("h1").inner_text().strip()


def test_arabic_readiness_result_is_in_arabic(page):
    assert_translated(readiness_heading(page, "/readiness"), readiness_heading(page, "/ar/readiness"))


def test_arabic_enquiry_mistake_is_explained_in_arabic(page, reference):
    messages = []
    for prefix in ("", "/ar"):
        page.goto(f"{prefix}/enquire")
        page.locator("#email").fill("aisha@")
        page.locator("form button[type=submit]").click()
        page.locator("#email-error").wait_for()
        messages.append(page.locator("#email-error").inner_text().strip())
    assert_translated(*messages)
