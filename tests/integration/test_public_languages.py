"""The public site in English at /x and in Arabic at /ar/x: each page's language comes from its
URL, links and forms stay in it, the head names both versions, the sitemap lists both, and an
Arabic-preferring browser is offered (never sent to) the Arabic home page."""

from __future__ import annotations

import re
import shutil
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead
from portal.public import content
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.enquiry import submit
from tests.fixtures.pages import facts
from tests.integration.test_public_pages import BASE, CONTENT_PAGES, PAGES_WITH_A_FORM

ESTIMATE_RESULT = "/estimate?standards=iso-9001&sector=28&employees=40&sites=1&region=sohar"
TOOL_PAGES = ["/enquire", "/estimate", ESTIMATE_RESULT, "/readiness"]
PAGES = CONTENT_PAGES + TOOL_PAGES
ARABIC = {"Accept-Language": "ar,en;q=0.5"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def arabic(path: str) -> str:
    return "/ar" + path


def without_query(path: str) -> str:
    return path.split("?")[0]


@pytest.fixture()
def get(client, reference):
    """GET a public page, check it answered 200, and return the facts of its HTML."""

    def _get(path: str, **kwargs):
        response = client.get(path, **kwargs)
        assert response.status_code == 200, path
        return facts(response.get_data(as_text=True))

    return _get


@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_answers_in_arabic_at_its_ar_url_right_to_left(get, path):
    page = get(arabic(path))
    assert (page.html_attributes["lang"], page.html_attributes["dir"]) == ("ar", "rtl")
    assert page.meta["og:locale"] == "ar_OM"
    assert page.links["canonical"] == BASE + arabic(without_query(path))


@pytest.mark.parametrize("path", PAGES)
def test_the_language_switch_leads_to_the_same_page_and_query_in_the_other_language(get, path):
    english, arabic_page = get(path), get(arabic(path))
    assert english.language_links == [("ar", arabic(path))] * 2  # in the menu and in the footer
    assert arabic_page.language_links == [("en", path)] * 2


@pytest.mark.parametrize("path", PAGES)
def test_both_versions_name_each_other_and_english_as_the_default_in_their_head(get, path):
    expected = {
        "en": BASE + without_query(path),
        "ar": BASE + arabic(without_query(path)),
        "x-default": BASE + without_query(path),
    }
    assert get(path).alternates == expected
    assert get(arabic(path)).alternates == expected


def test_the_url_decides_the_language_not_the_browser(get):
    english = get("/process", headers=ARABIC)
    assert (english.html_attributes["lang"], english.html_attributes["dir"]) == ("en", "ltr")
    assert english.meta["og:locale"] == "en_GB"


def test_links_on_an_arabic_page_stay_arabic_and_language_less_addresses_have_no_arabic_twin(client, get):
    page = get("/ar/standards/iso-9001")
    switch = {href for _lang, href in page.language_links}
    public = [h for h in page.hrefs if h.startswith("/") and h not in switch and not h.startswith("/auth/")]
    assert public and [href for href in public if not href.startswith("/ar/")] == []
    assert "/ar/enquire?standard=iso-9001" in page.hrefs
    for path in ("/ar/sitemap.xml", "/ar/robots.txt", "/ar/healthz", "/ar/app/", "/en/process"):
        assert client.get(path).status_code == 404, path


def test_an_unknown_standard_is_404_in_arabic_too(client, reference):
    response = client.get("/ar/standards/no-such-standard")
    assert response.status_code == 404
    assert facts(response.get_data(as_text=True)).html_attributes["lang"] == "ar"


def test_sitemap_lists_every_page_in_both_languages_each_naming_its_alternates(client, reference):
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)  # noqa: S314  (our own sitemap)
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP): {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP)
        }
        for url in root.findall("s:url", SITEMAP)
    }
    paths = {str(loc).removeprefix(BASE) for loc in entries}
    for path in [*CONTENT_PAGES, "/enquire", "/estimate", "/readiness"]:
        assert {path, arabic(path)} <= paths, path
        expected = {"en": BASE + path, "ar": BASE + arabic(path), "x-default": BASE + path}
        assert entries[BASE + path] == entries[BASE + arabic(path)] == expected
    assert len(entries) == len(root.findall("s:url", SITEMAP))


@pytest.mark.parametrize("accept", ["ar,en;q=0.5", "ar-OM", "en-GB;q=0.5, ar-OM;q=0.9", "fr, ar, en"])
def test_an_arabic_preferring_browser_is_offered_the_arabic_home_page_not_sent_there(client, reference, accept):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    offer = re.search(r'<div class="language-offer[^"]*" lang="ar" dir="rtl">(.*?)</div>\s*</div>', html, re.S)
    assert offer, "no offer of the Arabic page"
    assert '<a href="/ar/" hreflang="ar">هذه الصفحة متوفرة بالعربية</a>' in offer.group(1)
    assert 'for="language-offer-dismiss"' in offer.group(1)  # closes without JavaScript
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", {}),
        ("/", {"Accept-Language": "en-GB,ar;q=0.8"}),
        ("/", {"Accept-Language": "fr, en-US;q=0.9, ar;q=0.8"}),
        ("/ar/", ARABIC),
        ("/process", ARABIC),
    ],
)
def test_no_offer_to_english_readers_nor_on_pages_already_arabic_or_past_the_home_page(
    client, reference, path, headers
):
    response = client.get(path, headers=headers)
    assert "language-offer" not in response.get_data(as_text=True)
    # Only the English home page depends on Accept-Language: the cache keeps one copy of the others.
    assert ("Accept-Language" in response.headers.get("Vary", "")) == (path == "/")


@pytest.mark.parametrize(
    "path", [*(page for page in CONTENT_PAGES if page not in PAGES_WITH_A_FORM), "/estimate", ESTIMATE_RESULT]
)
def test_a_page_without_a_form_sets_no_cookie_in_either_language(client, reference, path):
    for url in (path, arabic(path)):
        response = client.get(url, headers=ARABIC)
        assert response.headers.getlist("Set-Cookie") == [], url


def test_an_arabic_enquiry_with_a_mistake_is_shown_again_in_arabic_keeping_the_input(enquiry_app, client):
    response = submit(client, path="/ar/enquire", email="wrong", message="اتصلوا بعد الرابعة")
    assert response.status_code == 200 and response.request.path == "/ar/enquire"
    html = response.get_data(as_text=True)
    assert facts(html).html_attributes["lang"] == "ar"
    assert re.search(r'<div id="email-error" class="invalid-feedback[^"]*">[^<]+</div>', html)
    assert 'value="wrong"' in html and "اتصلوا بعد الرابعة</textarea>" in html
    assert 'action="/ar/enquire"' in html
    assert db.session.scalars(select(Lead)).first() is None


def test_an_arabic_enquiry_lands_on_the_arabic_thanks_page_and_the_lead_is_in_arabic(enquiry_app, client):
    response = submit(client, path="/ar/enquire")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ar/enquire/thanks")
    thanks = client.get("/ar/enquire/thanks")
    assert thanks.status_code == 200
    assert facts(thanks.get_data(as_text=True)).html_attributes["lang"] == "ar"
    assert db.session.scalars(select(Lead)).one().language == "ar"


def test_the_arabic_readiness_result_hands_over_to_the_arabic_enquiry(client):
    page = client.get("/ar/readiness").get_data(as_text=True)
    answers = dict.fromkeys(set(re.findall(r'type="radio"[^>]*name="(\w+)"|name="(\w+)"[^>]*type="radio"', page)))
    answers = {next(name for name in pair if name): "fully" for pair in answers}
    response = client.post("/ar/readiness", data={**answers, "csrf_token": csrf_token_from(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert facts(html).html_attributes["lang"] == "ar"
    assert re.search(r'href="/ar/enquire\?attachment=[^"]+"', html)  # only the result page links there


def test_an_arabic_page_reads_the_arabic_content_file_and_an_english_page_the_original(
    client, reference, tmp_path, monkeypatch
):
    shutil.copytree(content.CONTENT_DIR / "standards", tmp_path / "standards")
    original = (tmp_path / "standards" / "iso-9001.md").read_text(encoding="utf-8")
    translated = original + "\n\nنص عربي للاختبار.\n"
    (tmp_path / "standards" / "iso-9001.ar.md").write_text(translated, encoding="utf-8")
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    content.load_document.cache_clear()
    try:
        arabic_page = client.get("/ar/standards/iso-9001").get_data(as_text=True)
        english_page = client.get("/standards/iso-9001").get_data(as_text=True)
    finally:
        content.load_document.cache_clear()
    assert "نص عربي للاختبار." in arabic_page
    assert "نص عربي للاختبار." not in english_page


@pytest.mark.parametrize(("accept", "lang"), [("en-GB,ar;q=0.8", "en"), ("ar-OM,en;q=0.8", "ar")])
def test_a_page_without_a_language_in_its_url_reads_the_browsers_order_variants_included(client, accept, lang):
    """The sign-in page, say: `en-GB` first is English even when `ar` comes later."""
    html = client.get("/auth/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert facts(html).html_attributes["lang"] == lang


def test_a_mistyped_arabic_address_answers_with_the_arabic_404_page(client):
    response = client.get("/ar/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert facts(html).html_attributes["lang"] == "ar"
    assert facts(html).html_attributes["dir"] == "rtl"
    assert "Page not found" not in html
    english = client.get("/no-such-page").get_data(as_text=True)
    assert facts(english).html_attributes["lang"] == "en" and "Page not found" in english
