"""Right-to-left pages: Arabic pages load Bootstrap's RTL build and the Arabic typeface,
English pages the LTR build and never the typeface; values that read left to right
(e-mails, phones, references, codes) stay so inside Arabic text; the chart and the
arrows follow the reading direction."""

from __future__ import annotations

import re
from pathlib import Path

import flask_bootstrap
import pytest
from markupsafe import Markup

from portal.web.templating import left_to_right
from portal.workspace.presentation import CHART_WIDTH, build_chart
from tests.fixtures.pages import facts, served_as

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
RTL_BOOTSTRAP = served_as("/static/vendor/bootstrap-5.3.8/css/bootstrap.rtl.min.css")
LTR_BOOTSTRAP = served_as("/bootstrap/static/css/bootstrap.min.css")
FONT_FILE = "vendor/noto-naskh-arabic/noto-naskh-arabic-arabic-400-normal.woff2"
ARABIC_FONT = served_as(f"/static/{FONT_FILE}")
BOOTSTRAP_FLASK_CSS = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css" / "bootstrap.min.css"


def stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def test_english_page_links_the_ltr_bootstrap_and_never_the_arabic_font(client, reference):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert LTR_BOOTSTRAP in stylesheets(html)
    assert RTL_BOOTSTRAP not in html
    assert "noto-naskh-arabic" not in html


@pytest.mark.usefixtures("arabic_pages")
@pytest.mark.parametrize("path", ["/", "/standards/iso-9001", "/enquire", "/auth/login"])
def test_arabic_page_links_the_rtl_bootstrap_and_preloads_the_arabic_font(client, reference, path):
    html = client.get(path).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert stylesheets(html)[0] == RTL_BOOTSTRAP
    assert LTR_BOOTSTRAP not in html
    assert f'<link rel="preload" href="{ARABIC_FONT}" as="font" type="font/woff2" crossorigin>' in html


@pytest.mark.usefixtures("arabic_pages")
def test_arabic_workspace_page_is_right_to_left_too(client, login_as):
    login_as()
    html = client.get("/app/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and stylesheets(html)[0] == RTL_BOOTSTRAP


@pytest.mark.parametrize("path", [RTL_BOOTSTRAP, ARABIC_FONT])
def test_the_vendored_files_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200 and len(response.data) > 10_000
    response.close()


def test_rtl_bootstrap_is_the_version_bootstrap_flask_serves_with_its_licence_header():
    def header(path: Path) -> str:
        return path.read_text(encoding="utf-8")[:300]

    rtl = header(STATIC / "vendor/bootstrap-5.3.8/css/bootstrap.rtl.min.css")
    version = re.search(r"Bootstrap\s+v(\d+\.\d+\.\d+)", header(BOOTSTRAP_FLASK_CSS))
    assert version is not None
    assert f"Bootstrap  v{version.group(1)} " in rtl and "Licensed under MIT" in rtl
    assert f"bootstrap-{version.group(1)}" in RTL_BOOTSTRAP
    assert "MIT License" in (STATIC / "vendor/bootstrap-5.3.8/LICENSE").read_text(encoding="utf-8")


def test_the_arabic_typeface_comes_with_its_licence_and_serves_arabic_pages_only():
    licence = (STATIC / "vendor/noto-naskh-arabic/LICENSE").read_text(encoding="utf-8")
    assert "SIL Open Font License, Version 1.1" in licence
    css = (STATIC / "css/portal.css").read_text(encoding="utf-8")
    face = re.search(r"@font-face\s*{[^}]*}", css)
    assert face is not None
    assert 'font-family: "Noto Naskh Arabic"' in face.group(0) and "font-display: swap" in face.group(0)
    assert "unicode-range: U+0600-06FF" in face.group(0)
    src = re.search(r'url\("\.\./([^"]+)"\)', face.group(0))
    assert src is not None and (STATIC / src.group(1)).is_file() and src.group(1) == FONT_FILE
    # The one rule that names the family is for Arabic pages.
    users = [
        line
        for line in css.splitlines()
        if '"Noto Naskh Arabic"' in line and not line.strip().startswith("font-family:")
    ]
    assert users == [':root:lang(ar) { --bs-body-font-family: "Noto Naskh Arabic", var(--bs-font-sans-serif); }']


def test_ltr_filter_isolates_the_value_and_escapes_it():
    assert left_to_right("+968 9123 4567") == Markup('<bdi dir="ltr">+968 9123 4567</bdi>')
    assert left_to_right("<b>x</b>") == Markup('<bdi dir="ltr">&lt;b&gt;x&lt;/b&gt;</bdi>')
    assert left_to_right(None) == "" and left_to_right("") == ""


@pytest.mark.usefixtures("arabic_pages")
def test_contact_details_and_fields_read_left_to_right_on_an_arabic_page(client, app, reference, monkeypatch):
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "info@example.om")
    monkeypatch.setitem(app.config, "CONTACT_PHONE", "+968 2412 3456")
    monkeypatch.setitem(app.config, "FIRM_CR_NUMBER", "1234567")
    contact = client.get("/contact").get_data(as_text=True)
    for value in ("info@example.om", "+968 2412 3456", "1234567"):
        assert f'<bdi dir="ltr">{value}</bdi>' in contact
    enquiry = client.get("/enquire").get_data(as_text=True)
    assert re.search(r'<input[^>]*dir="ltr"[^>]*name="email"|<input[^>]*name="email"[^>]*dir="ltr"', enquiry)
    assert re.search(r'<input[^>]*dir="ltr"[^>]*name="phone"|<input[^>]*name="phone"[^>]*dir="ltr"', enquiry)


def test_lead_page_isolates_reference_email_and_phone(client, login_as, reference, make_lead):
    login_as()
    lead = make_lead(email="salma@example.om", phone="+96891234567")
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    for value in (lead.reference, "salma@example.om", "+96891234567"):
        assert f'<bdi dir="ltr">{value}</bdi>' in html
    inbox = client.get("/app/leads/").get_data(as_text=True)
    assert f'<bdi dir="ltr">{lead.reference}</bdi>' in inbox and '<bdi dir="ltr">salma@example.om</bdi>' in inbox


def test_back_link_arrow_turns_round_with_the_page(client, login_as, make_client):
    login_as()
    html = client.get(f"/app/clients/{make_client().id}").get_data(as_text=True)
    assert '<span class="icon-directional" aria-hidden="true">←</span>' in html
    assert '[dir="rtl"] .icon-directional { transform: scaleX(-1); }' in (STATIC / "css/portal.css").read_text()


def test_chart_reads_right_to_left_on_a_right_to_left_page():
    labels = [f"w{i}" for i in range(12)]
    counts = [(week, "ISO 9001", 0, week + 1) for week in range(12)]
    ltr, rtl = build_chart(counts, labels, "Other"), build_chart(counts, labels, "Other", rtl=True)
    # Oldest week first in reading order: leftmost in ltr, rightmost in rtl.
    assert [w.x for w in ltr.weeks] == sorted(w.x for w in ltr.weeks)
    assert [w.x for w in rtl.weeks] == sorted((w.x for w in rtl.weeks), reverse=True)
    for left, right in zip(ltr.weeks, rtl.weeks, strict=True):
        assert right.x + right.width == pytest.approx(CHART_WIDTH - left.x, abs=0.11)
        assert right.segments == left.segments and right.label == left.label
    assert (rtl.axis_from, rtl.axis_to) == (CHART_WIDTH - ltr.axis_to, CHART_WIDTH - ltr.axis_from)


@pytest.mark.usefixtures("arabic_pages")
def test_dashboard_draws_the_mirrored_chart_on_an_arabic_page(client, login_as, reference, make_lead):
    login_as()
    make_lead()
    html = client.get("/app/").get_data(as_text=True)
    axis = re.search(r'<line class="axis" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"', html)
    assert axis is not None and (float(axis.group(1)), float(axis.group(2))) == (4, CHART_WIDTH - 36)
    assert facts(html).style_attributes == 0
