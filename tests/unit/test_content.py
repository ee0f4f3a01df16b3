"""The Markdown content files and their loader: safe HTML, front matter, FAQs, translations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.public import content
from portal.public.content import (
    ContentError,
    available_slugs,
    extract_faqs,
    load_document,
    parse_front_matter,
    render_markdown,
)
from portal.public.seo import json_ld_markup

DATA = Path(content.__file__).resolve().parent.parent / "data"
STANDARD_SLUGS = {item["slug"] for item in json.loads((DATA / "standards.json").read_text())}
CITY_SLUGS = {
    city["slug"] for governorate in json.loads((DATA / "regions.json").read_text()) for city in governorate["cities"]
}
MAIN_STANDARDS = {
    "iso-9001",
    "iso-14001",
    "iso-45001",
    "iso-27001",
    "iso-22000",
    "iso-13485",
    "iso-50001",
    "iso-22301",
    "iso-37001",
}


def test_markdown_is_rendered_and_dangerous_html_removed():
    html = render_markdown(
        "## Heading\n\n**bold** [ok](https://iso.org) [bad](javascript:alert(1))\n\n"
        '<script>alert(1)</script><img src=x onerror="alert(1)"><p onclick="x()" style="color:red">p</p>\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>Heading</h2>" in html and "<strong>bold</strong>" in html
    assert '<a href="https://iso.org" rel="noopener noreferrer">ok</a>' in html
    assert "javascript:" not in html and "<script" not in html and "alert(1)</" not in html
    assert "onerror" not in html and "onclick" not in html and "style=" not in html and "<img" not in html
    assert "<table>" in html and "<th>a</th>" in html


def test_front_matter_is_required_and_read_as_key_value_lines():
    meta, body = parse_front_matter("---\ndescription: A: colon kept\nrelated: a, b\n---\nBody\n")
    assert meta == {"description": "A: colon kept", "related": "a, b"}
    assert body == "Body\n"
    with pytest.raises(ContentError):
        parse_front_matter("No front matter")
    with pytest.raises(ContentError):
        parse_front_matter("---\njust words\n---\nBody")


def test_faqs_are_question_headings_with_their_answers():
    body = (
        "## About\n\nText.\n\n### Not a question\n\nIgnored.\n\n"
        "### Is it certifiable?\n\nNo, it is **guidance**.\n\nSecond paragraph.\n\n"
        "### Empty?\n\n## Next\n\n### هل هو معتمد؟\n\nنعم.\n"
    )
    assert extract_faqs(body) == (
        ("Is it certifiable?", "No, it is guidance. Second paragraph."),
        ("هل هو معتمد؟", "نعم."),
    )


def test_translation_is_used_when_present_and_the_original_otherwise(tmp_path, monkeypatch):
    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "iso-1.md").write_text("---\ndescription: English\n---\nHello\n", encoding="utf-8")
    (folder / "iso-1.ar.md").write_text("---\ndescription: عربي\n---\nمرحبا\n", encoding="utf-8")
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    load_document.cache_clear()
    available_slugs.cache_clear()
    try:
        assert load_document("standards", "iso-1", "ar").get("description") == "عربي"
        assert load_document("standards", "iso-1", "fr").get("description") == "English"
        assert load_document("standards", "iso-2", "en") is None
        assert load_document("standards", "../iso-1", "en") is None
        assert available_slugs("standards") == frozenset({"iso-1"})
    finally:
        load_document.cache_clear()
        available_slugs.cache_clear()


def test_every_main_standard_has_a_complete_content_file():
    assert available_slugs("standards") >= MAIN_STANDARDS
    for slug in MAIN_STANDARDS:
        document = load_document("standards", slug)
        assert document is not None
        for key in ("description", "timeline", "audit_time"):
            assert document.get(key), (slug, key)
        for heading in ("Who it is for", "What it requires", "Typical timeline"):
            assert f"<h2>{heading}</h2>" in document.html, (slug, heading)
        assert document.faqs, slug


def test_content_files_belong_to_the_reference_data():
    assert available_slugs("standards") <= STANDARD_SLUGS
    assert available_slugs("locations") <= CITY_SLUGS
    assert {"iso-31000", "iso-17025"}.isdisjoint(available_slugs("standards"))
    for slug in available_slugs("standards"):
        document = load_document("standards", slug)
        assert document is not None
        assert set(document.related) <= STANDARD_SLUGS, slug
        assert slug not in document.related


def test_locations_have_descriptions_and_a_distinct_order_muscat_first():
    documents = [load_document("locations", slug) for slug in available_slugs("locations")]
    orders = sorted(int(doc.get("order")) for doc in documents if doc)
    assert len(orders) == len(set(orders)) == len(documents)
    assert load_document("locations", "muscat").get("order") == "1"
    assert all(doc and 50 <= len(doc.get("description")) <= 200 for doc in documents)


def test_audit_time_is_only_attributed_to_iaf_md5_where_it_applies():
    md5_standards = {"iso-9001", "iso-14001", "iso-45001"}
    for slug in available_slugs("standards"):
        audit_time = load_document("standards", slug).get("audit_time")
        if slug in md5_standards:
            assert "under IAF MD 5" in audit_time
        else:
            assert "no IAF MD 5 table" in audit_time, slug


def test_json_ld_cannot_close_its_script_element():
    text = str(json_ld_markup({"name": "</script><script>alert(1)</script>", "q": "a & b"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>", "q": "a & b"}
