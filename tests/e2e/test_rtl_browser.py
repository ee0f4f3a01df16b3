"""Right-to-left pages in real Chromium: Bootstrap's RTL build mirrors the navigation and
the breadcrumb, values that read left to right stay so, nothing overflows sideways, and an
Arabic page stays under the weight budget with its typeface, which an English page never
downloads.

The pages are in Arabic through the `arabic_pages` fixture, whatever their URL; until the
catalogue is translated their words are English, which changes none of what is checked."""

from __future__ import annotations

import pytest

from tests.fixtures.pages import PAGE_BUDGET_BYTES, served_as

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

ARABIC_FONT = served_as("/static/vendor/noto-naskh-arabic/noto-naskh-arabic-arabic-400-normal.woff2")
KEY_PUBLIC_PAGES = ["/", "/standards/iso-9001", "/process", "/contact", "/enquire", "/estimate", "/readiness"]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.usefixtures("arabic_pages")
@pytest.mark.parametrize("path", KEY_PUBLIC_PAGES)
def test_arabic_public_page_is_light_csp_clean_and_fits_a_phone(page, reference, path):
    requests = []
    csp_errors: list[str] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text))
    page.set_viewport_size({"width": 360, "height": 740})

    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")

    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert any(request.url.endswith(ARABIC_FONT) for request in requests), "the Arabic typeface is loaded"
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Noto Naskh Arabic') && f.status === 'loaded')"
    )
    transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests)
    assert transferred < PAGE_BUDGET_BYTES, f"{path}: {transferred} bytes over {len(requests)} requests"
    assert csp_errors == []
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways at 360 px"


def test_english_page_never_downloads_the_arabic_typeface(page, reference):
    """Not even with Arabic words on it, such as a link to the Arabic version."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/standards/iso-9001", wait_until="load")
    page.evaluate(
        """() => { const a = document.createElement('a'); a.lang = 'ar'; a.href = '/';
                   a.textContent = 'العربية'; document.querySelector('main').prepend(a); }"""
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert not [url for url in requests if "noto-naskh-arabic" in url]


@pytest.mark.usefixtures("arabic_pages")
def test_navigation_and_breadcrumb_are_mirrored(page, reference):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/standards/iso-9001")
    brand, first_link = box(page, ".navbar-brand"), box(page, "#public-nav .nav-link")
    assert brand["x"] > first_link["x"], "the firm's name starts the line on the right"
    links = page.locator("#public-nav .navbar-nav.me-auto .nav-link")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert first is not None and second is not None and first["x"] > second["x"]
    crumbs = page.locator(".breadcrumb-item")
    up, here = crumbs.nth(0).bounding_box(), crumbs.nth(crumbs.count() - 1).bounding_box()
    assert up is not None and here is not None and up["x"] > here["x"]


@pytest.mark.usefixtures("arabic_pages")
def test_email_and_phone_keep_their_order_in_arabic_text(page, app, reference, monkeypatch):
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "info@example.om")
    monkeypatch.setitem(app.config, "CONTACT_PHONE", "+968 2412 3456")
    page.goto("/contact")
    phone = page.locator("bdi", has_text="+968 2412 3456")
    assert phone.evaluate("e => [getComputedStyle(e).direction, getComputedStyle(e).unicodeBidi]") == [
        "ltr",
        "isolate",
    ]
    # Drawn as typed inside Arabic words (the label as translated): the country code on the
    # left, the last digits on the right; without the isolation they would swap.
    first, last = phone.evaluate(
        """e => { e.closest('li').firstChild.textContent = 'الهاتف: ';
                  const text = e.firstChild, at = (from, to) => {
                    const r = document.createRange(); r.setStart(text, from); r.setEnd(text, to);
                    return r.getBoundingClientRect().x; };
                  return [at(0, 4), at(text.length - 4, text.length)]; }"""
    )
    assert first < last
    email = page.locator("bdi", has_text="info@example.om")
    assert email.evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.goto("/enquire")
    for name in ("email", "phone"):
        assert page.locator(f"input[name={name}]").evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_workspace_pages_in_arabic_do_not_scroll_sideways(page, browser_login, reference, make_lead, request):
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login()  # in English: the login form's labels are looked up by their English words
    lead = make_lead(email="salma@example.om", phone="+96891234567")
    request.getfixturevalue("arabic_pages")
    for path in (
        "/app/",
        "/app/leads/",
        f"/app/leads/{lead.id}",
        "/app/clients/",
        "/app/engagements/",
        "/app/registrars/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.evaluate("document.documentElement.dir") == "rtl", path
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways at 1280 px"
