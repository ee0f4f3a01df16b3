"""The public pages as a visitor and a search engine see them: content from the data
files, head metadata, valid HTML, strict CSP, sitemap and robots, compression."""

from __future__ import annotations

import gzip
import re
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from portal.extensions import db
from portal.models import AccreditationBody, Standard
from portal.public.content import available_slugs
from tests.fixtures.nu_checker import nu_errors
from tests.fixtures.pages import PageFacts, facts, served_as
from tests.fixtures.registrars import add_accreditation_body, add_body

BASE = "http://127.0.0.1:5000"
MAIN_STANDARDS = [
    "iso-9001",
    "iso-14001",
    "iso-45001",
    "iso-27001",
    "iso-22000",
    "iso-13485",
    "iso-50001",
    "iso-22301",
    "iso-37001",
]
MAIN_LOCATIONS = ["muscat", "sohar", "salalah", "nizwa", "sur", "duqm"]
FIXED_PAGES = ["/", "/iso-certification", "/process", "/standards", "/privacy", "/contact"]
# Content pages that also hold a form (the privacy notice: the request about one's data).
PAGES_WITH_A_FORM = ["/privacy"]
CONTENT_PAGES = (
    FIXED_PAGES
    + [f"/standards/{slug}" for slug in sorted(available_slugs("standards"))]
    + [f"/locations/{slug}" for slug in sorted(available_slugs("locations"))]
)


@pytest.fixture()
def site(client, reference):
    """GET a public page and return (response, facts about its HTML)."""

    def _get(path: str):
        response = client.get(path)
        assert response.status_code == 200, path
        return response, facts(response.get_data(as_text=True))

    return _get


def ld_types(page: PageFacts) -> list[str]:
    return [item["@type"] for item in page.json_ld]  # type: ignore[index]


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_every_public_page_has_its_own_head_metadata(site, path):
    _response, page = site(path)
    canonical = BASE + path
    assert page.title.strip() and page.title.endswith("Qurum Assurance Partners")
    assert 50 <= len(page.meta["description"]) <= 200
    assert page.links["canonical"] == canonical
    assert page.meta["og:url"] == canonical
    assert page.meta["og:title"] and page.meta["og:description"] == page.meta["description"]
    assert page.meta["og:type"] in {"website", "article"}
    assert "ProfessionalService" in ld_types(page)


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_every_public_page_is_well_formed_for_assistive_tech_and_the_csp(site, path):
    response, page = site(path)
    assert page.h1_count == 1
    assert len(page.ids) == len(set(page.ids)), "duplicate id"
    assert page.style_attributes == 0 and page.style_elements == 0
    inline = [s for s in page.scripts if not s.get("src") and s.get("type") != "application/ld+json"]
    assert inline == []
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_titles_and_descriptions_differ_from_page_to_page(site):
    pages = [site(path)[1] for path in CONTENT_PAGES]
    assert len({p.title for p in pages}) == len(pages)
    assert len({p.meta["description"] for p in pages}) == len(pages)


def test_pages_in_both_languages_are_valid_html_by_the_nu_checker(client, reference, tmp_path):
    paths = [*CONTENT_PAGES, "/standards/no-such-standard"]
    pages = [client.get(prefix + path).data for prefix in ("", "/ar") for path in paths]
    messages = nu_errors(pages, tmp_path)
    assert messages == [], messages[:5]


@pytest.mark.parametrize("slug", MAIN_STANDARDS)
def test_main_standard_pages_cover_audience_requirements_timeline_and_enquiry(site, slug):
    _response, page = site(f"/standards/{slug}")
    html = _response.get_data(as_text=True)
    for heading in ("Who it is for", "What it requires", "Typical timeline", "Related standards"):
        assert f">{heading}</h2>" in html, heading
    assert f"/enquire?standard={slug}" in page.hrefs
    related = [href for href in page.hrefs if href.startswith("/standards/iso-") and href != f"/standards/{slug}"]
    assert related, "no related standard linked"
    code = db.session.scalar(db.select(Standard.code).where(Standard.slug == slug))
    assert code in page.title


def test_standard_faq_is_shown_and_published_as_structured_data(site):
    response, page = site("/standards/iso-37001")
    faq = next(item for item in page.json_ld if item["@type"] == "FAQPage")  # type: ignore[index]
    question = faq["mainEntity"][0]["name"]
    assert question == "Does an ISO 37001 certificate prove that no bribery has happened?"
    assert question in response.get_data(as_text=True)
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"].startswith("No, and the standard says so itself.")


def test_unknown_or_inactive_standard_is_404(client, reference):
    assert client.get("/standards/iso-99999").status_code == 404
    assert client.get("/standards/..%2Fsecrets").status_code == 404
    db.session.execute(db.update(Standard).where(Standard.slug == "iso-9001").values(active=False))
    db.session.commit()
    assert client.get("/standards/iso-9001").status_code == 404
    assert "/standards/iso-9001" not in client.get("/standards").get_data(as_text=True)


def test_standards_index_lists_the_table_and_links_only_standards_with_a_page(client, reference):
    db.session.add(Standard(code="ISO 99001:2030", slug="iso-99001", title="Test systems", family="test"))
    db.session.commit()
    html = client.get("/standards").get_data(as_text=True)
    for slug in MAIN_STANDARDS:
        assert f'href="/standards/{slug}"' in html
    assert '<bdi dir="ltr">ISO 99001:2030</bdi> – Test systems' in html
    assert 'href="/standards/iso-99001"' not in html
    assert client.get("/standards/iso-99001").status_code == 404


def test_standards_index_says_which_iso_standards_are_not_certifications(site):
    response, page = site("/standards")
    html = response.get_data(as_text=True)
    assert "ISO 31000 (risk management) gives guidelines and cannot be certified" in html
    assert "/standards/iso-31000" not in page.hrefs and "/standards/iso-17025" not in page.hrefs


def test_location_pages_come_from_the_data_with_location_preselected(site, client):
    for slug in MAIN_LOCATIONS:
        response, page = site(f"/locations/{slug}")
        assert f"/enquire?location={slug}" in page.hrefs
        assert "No certification body in our directory lists" in response.get_data(as_text=True)
    assert client.get("/locations/muscat-governorate").status_code == 404
    assert client.get("/locations/atlantis").status_code == 404


def listed_body(name: str, *, regions=(), all_oman=False, active=True, accreditations=()):
    """A certification body (the one factory) with accreditations given as (standard slug, accreditation body code, status, until)."""
    return add_body(
        [
            {
                "standard": standard,
                "accreditation_body": accreditor,
                "sectors": (),
                "number": f"{name}-{number}",
                "valid_from": date.today() - timedelta(days=400),
                "valid_until": until,
                "status": status,
            }
            for number, (standard, accreditor, status, until) in enumerate(accreditations)
        ],
        name=name,
        slug=name.lower().replace(" ", "-"),
        website=f"https://{name.lower().replace(' ', '')}.example",
        serves_all_oman=all_oman,
        active=active,
        regions=regions,
        languages=(),
        country="",
        day_rate=Decimal("0.000"),
    )


def test_location_lists_bodies_that_serve_it_with_a_current_recognised_accreditation(client, reference):
    later = date.today() + timedelta(days=400)
    lookalike = AccreditationBody(code="UK-XYZ", name="Look-alike Council", country="UK", iaf_mla_signatory=False)
    db.session.add(lookalike)
    listed_body(
        "Batinah Cert",
        regions=["north-al-batinah"],
        accreditations=[("iso-9001", "GAC", "active", later), ("iso-45001", "UKAS", "active", later)],
    )
    listed_body("Anywhere Audits", all_oman=True, accreditations=[("iso-14001", "EIAC", "active", later)])
    listed_body("Sohar City Cert", regions=["sohar"], accreditations=[("iso-9001", "UK-XYZ", "active", later)])
    listed_body(
        "Lapsed Cert",
        regions=["sohar"],
        accreditations=[("iso-9001", "GAC", "active", date.today() - timedelta(days=1))],
    )
    listed_body("Suspended Cert", regions=["sohar"], accreditations=[("iso-9001", "GAC", "suspended", later)])
    listed_body("Dormant Cert", regions=["sohar"], active=False, accreditations=[("iso-9001", "GAC", "active", later)])
    listed_body("Dhofar Cert", regions=["dhofar"], accreditations=[("iso-9001", "GAC", "active", later)])
    db.session.commit()

    html = client.get("/locations/sohar").get_data(as_text=True)
    assert html.index("Anywhere Audits") < html.index("Batinah Cert")
    assert "Accredited for ISO 9001, ISO 45001 by GAC, UKAS" in html
    assert 'href="https://anywhereaudits.example"' in html
    for hidden in ("Sohar City Cert", "Lapsed Cert", "Suspended Cert", "Dormant Cert", "Dhofar Cert"):
        assert hidden not in html
    assert "No certification body in our directory" not in html
    assert "Dhofar Cert" in client.get("/locations/salalah").get_data(as_text=True)


def test_location_lists_a_main_scope_only_accreditation_for_iso_22301_but_not_for_iso_9001(client, reference):
    """ISO 22301 has no MLA sub-scope, so the main scope recognises it; ISO 9001 needs the QMS sub-scope."""
    add_accreditation_body("MS-ONLY")
    later = date.today() + timedelta(days=400)
    listed_body(
        "Continuity Cert",
        regions=["sohar"],
        accreditations=[("iso-22301", "MS-ONLY", "active", later), ("iso-9001", "MS-ONLY", "active", later)],
    )
    listed_body("Quality Only Cert", regions=["sohar"], accreditations=[("iso-9001", "MS-ONLY", "active", later)])
    db.session.commit()

    html = client.get("/locations/sohar").get_data(as_text=True)
    assert "Continuity Cert" in html
    assert "Accredited for ISO 22301 by MS-ONLY" in html
    assert "ISO 9001" not in html.split("Continuity Cert")[1].split("</li>")[0]
    assert "Quality Only Cert" not in html


def test_home_lists_locations_muscat_first_and_links_every_main_standard(site):
    _response, page = site("/")
    locations = [href.removeprefix("/locations/") for href in page.hrefs if href.startswith("/locations/")]
    assert locations[: len(MAIN_LOCATIONS)] == MAIN_LOCATIONS
    for slug in MAIN_STANDARDS:
        assert f"/standards/{slug}" in page.hrefs
    assert "/enquire" in page.hrefs


def test_certification_facts_follow_the_certification_rules(site):
    html = site("/iso-certification")[0].get_data(as_text=True)
    assert "The certificate runs for three years from that decision." in html
    assert "The first is due no later than 12 months after the certification decision" in html
    assert "IAF MLA" in html and "IAF CertSearch" in html
    process = site("/process")[0].get_data(as_text=True)
    for step in ("Assess your current processes", "Stage 1 audit", "Stage 2 audit", "Surveillance and recertification"):
        assert step in process
    assert process.count("Typical duration") == 7


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_no_page_promises_an_easier_faster_or_cheaper_certificate(site, path):
    text = site(path)[0].get_data(as_text=True).lower()
    for claim in ("guaranteed certification", "guarantee certification", "fast-track", "fast track", "100% pass"):
        assert claim not in text


def test_faq_pages_publish_the_questions_they_show(site):
    for path in ("/iso-certification", "/process"):
        response, page = site(path)
        faq = next(item for item in page.json_ld if item["@type"] == "FAQPage")  # type: ignore[index]
        assert len(faq["mainEntity"]) >= 3
        for entry in faq["mainEntity"]:
            assert f"<dt>{entry['name']}</dt>" in response.get_data(as_text=True)


def test_sitemap_lists_every_public_page_and_each_one_answers(client, reference):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring(response.data)  # noqa: S314  (our own sitemap, not untrusted input)
    urls = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    assert all(url and url.startswith(BASE + "/") for url in urls)
    paths = [url.removeprefix(BASE) for url in urls if url]
    assert set(CONTENT_PAGES) <= set(paths)
    assert {"/enquire", "/readiness"} <= set(paths)
    assert len(paths) == len(set(paths))
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_robots_keeps_the_workspace_and_quote_links_out_of_search(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "Disallow: /app" in lines and "Disallow: /q" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_canonical_urls_follow_public_base_url_not_the_host_header(app, client, reference):
    app.config["PUBLIC_BASE_URL"] = "https://iso.example.om/"
    try:
        html = client.get("/process", headers={"Host": "evil.example"}).get_data(as_text=True)
    finally:
        app.config["PUBLIC_BASE_URL"] = BASE
    assert facts(html).links["canonical"] == "https://iso.example.om/process"


def test_pages_and_static_files_are_gzipped_for_clients_that_accept_it(client, reference):
    plain = client.get("/standards/iso-9001")
    zipped = client.get("/standards/iso-9001", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data

    path = served_as("/bootstrap/static/css/bootstrap.min.css")
    assert re.search(r"/bootstrap\.min\.[0-9a-f]{12}\.css$", path) and f'href="{path}"' in plain.get_data(as_text=True)
    with client.get(path, headers={"Accept-Encoding": "gzip"}) as css:
        assert css.headers["Content-Encoding"] == "gzip"
        assert len(css.data) < 40_000 < len(gzip.decompress(css.data))
        assert "immutable" in css.headers["Cache-Control"] and css.cache_control.max_age >= 365 * 86400
        etag = css.headers["ETag"]
    with client.get(path, headers={"Accept-Encoding": "gzip, br"}) as smaller:
        assert smaller.headers["Content-Encoding"] == "br" and len(smaller.data) < len(css.data)
    with client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_enquire_links_preselect(app):
    from portal.public.routes import enquire_url

    with app.test_request_context():
        assert enquire_url(standard="iso-9001", location="muscat") == "/enquire?standard=iso-9001&location=muscat"
        assert enquire_url() == "/enquire"


@pytest.mark.parametrize("path", ["/enquire", "/enquire?standard=iso-9001&location=sohar", "/ar/enquire"])
def test_the_enquiry_form_has_its_description_and_canonical_link(site, path):
    """Issue 18: /enquire was the one public page Lighthouse's SEO audit marked down for these."""
    _response, page = site(path)
    canonical = BASE + path.split("?")[0]
    assert 50 <= len(page.meta["description"]) <= 200
    assert page.links["canonical"] == canonical and page.meta["og:url"] == canonical
    assert page.meta["og:description"] == page.meta["description"]
