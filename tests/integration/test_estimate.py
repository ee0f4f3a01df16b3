"""The public /estimate page: IAF MD 5 days, field messages, cost range without names, enquiry hand-over."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.domain.sector_complexity import is_special_case
from portal.public.attachments import read_attachment
from tests.fixtures.matching import body_accredited_for
from tests.fixtures.nu_checker import nu_errors
from tests.fixtures.pages import facts
from tests.fixtures.registrars import add_accreditation_body

BASE_QUERY = "standards=iso-9001&sector=33&employees=40&sites=1&region=sohar"


def text_of(html: str, name: str) -> str:
    """The text inside the element with data-testid=name, tags and extra spaces removed."""
    match = re.search(rf'data-testid="{name}"[^>]*>(.*?)</(?:td|p|ol|table)>', html, re.S)
    assert match, f"no {name} in the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_form_page_has_its_own_metadata_and_no_result_yet(client, reference):
    response = client.get("/estimate")
    html = response.get_data(as_text=True)
    page = facts(html)
    assert response.status_code == 200
    assert page.title.startswith("Audit-time estimate for ISO certification")
    assert page.links["canonical"].endswith("/estimate")
    assert page.meta["og:url"] == page.links["canonical"] and page.meta["description"]
    assert page.style_attributes == 0 and page.style_elements == 0
    assert all(script.get("src") or script.get("type") == "application/ld+json" for script in page.scripts)
    assert "Your estimate" not in html and "is-invalid" not in html
    assert 'method="get"' in html


def test_public_navigation_and_sitemap_link_the_estimate(client, reference):
    assert 'href="/estimate"' in client.get("/").get_data(as_text=True)
    assert "/estimate</loc>" in client.get("/sitemap.xml").get_data(as_text=True)


def test_40_staff_iso_9001_gives_4_days_then_1_5_and_2_5(client, reference):
    # 4/3 = 1.33 and 8/3 = 2.67 go to the nearest half day (IAF MD 5:2019 2.2.3), not up.
    html = client.get(f"/estimate?{BASE_QUERY}").get_data(as_text=True)
    assert text_of(html, "initial-days") == "4"
    assert text_of(html, "surveillance-days") == "1.5"
    assert text_of(html, "recertification-days") == "2.5"
    explanation = text_of(html, "estimate-explanation")
    assert "4 days from the IAF MD 5 quality (QMS) table for 40 people" in explanation


def test_construction_sector_raises_iso_14001_to_high_complexity(client, reference):
    query = "standards=iso-14001&sector=28&employees=300&sites=1&region=muscat"
    html = client.get(f"/estimate?{query}").get_data(as_text=True)
    assert text_of(html, "initial-days") == "15"
    assert "at high complexity, usual for the sector" in text_of(html, "estimate-explanation")


def test_standard_without_a_table_is_said_so_not_guessed(client, reference):
    html = client.get("/estimate?standards=iso-27001&sector=33&employees=40&sites=1&region=muscat").get_data(
        as_text=True
    )
    no_table = text_of(html, "no-table")
    assert no_table.startswith("ISO/IEC 27001: its audit time is set by ISO/IEC 27006-1, not by the IAF MD 5")
    assert "we show no number: the certification body calculates it" in no_table
    assert 'data-testid="estimate-days"' not in html
    assert "Send an enquiry with this estimate" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("sector=33&employees=40&sites=1&region=sohar", "standards", "Choose at least one standard."),
        ("standards=iso-9001&sector=33&employees=0&sites=1&region=sohar", "employees", "Enter a number from 1 to"),
        ("standards=iso-9001&sector=33&employees=forty&sites=1&region=sohar", "employees", "Not a valid integer"),
        ("standards=iso-9001&sector=33&employees=40&sites=501&region=sohar", "sites", "Enter a number from 1 to 500."),
        ("standards=iso-9001&sector=99&employees=40&sites=1&region=sohar", "sector", "Choose a sector from the list."),
        ("standards=iso-9001&sector=33&employees=40&sites=1&region=atlantis", "region", "Choose a location from"),
        ("standards=iso-31000&sector=33&employees=40&sites=1&region=sohar", "standards", "Choose standards from"),
    ],
)
def test_bad_input_gets_a_message_by_its_field_and_keeps_what_was_typed(client, reference, query, field, message):
    response = client.get(f"/estimate?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', html)
    assert error and message in error.group(1)
    assert "Your estimate" not in html
    if "employees=forty" in query:
        assert 'value="forty"' in html


def test_cost_range_from_day_rates_of_active_bodies_working_there_without_names(client, reference):
    it = {"sectors": (33,)}
    body_accredited_for("Alpha Certification", day_rate="200", **it)
    body_accredited_for("Beta Assurance", day_rate="350", serves_all_oman=False, regions=("north-al-batinah",), **it)
    body_accredited_for("Gamma Dormant", day_rate="90", active=False, **it)
    body_accredited_for("Delta Muscat Only", day_rate="900", serves_all_oman=False, regions=("muscat",), **it)
    body_accredited_for("Epsilon Construction Only", day_rate="80", sectors=(28,))
    body_accredited_for("Zeta Look-alike", day_rate="70", accreditation_body="UK-ABCB", **it)
    body_accredited_for("Eta Lapsed", day_rate="60", valid_until=date(2025, 1, 1), **it)
    body_accredited_for("Theta Energy Only", day_rate="950", standards=("iso-50001",), **it)
    html = client.get(f"/estimate?{BASE_QUERY}").get_data(as_text=True)
    # First cycle: 4 + 2 x 1.5 = 7 days, at OMR 200 to 350 a day: only Alpha and Beta count.
    assert text_of(html, "estimate-cost").startswith("About OMR 1,400.000 to OMR 2,450.000")
    assert "from the day rates of 2 accredited certification bodies" in html
    for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"):
        assert name not in html


def test_no_cost_range_from_a_single_body(client, reference):
    body_accredited_for("Alpha Certification", day_rate="200", sectors=(33,))
    html = client.get(f"/estimate?{BASE_QUERY}").get_data(as_text=True)
    assert "We cannot show a cost range yet" in text_of(html, "estimate-cost")
    assert "1,400.000" not in html


def test_cost_range_counts_a_main_scope_only_accreditation_for_iso_22301_but_not_for_iso_9001(client, reference):
    """Bodies accredited for ISO 9001 and ISO 22301 by a signatory of the main scope alone: recognised
    for ISO 22301 (no MLA sub-scope), not for ISO 9001 (the QMS sub-scope is missing)."""
    add_accreditation_body("MS-ONLY")
    for name, rate in (("Alpha Continuity", "200"), ("Beta Continuity", "350")):
        body_accredited_for(
            name, day_rate=rate, accreditation_body="MS-ONLY", standards=("iso-9001", "iso-22301"), sectors=(33,)
        )
    quality_only = client.get(f"/estimate?{BASE_QUERY}").get_data(as_text=True)
    assert "We cannot show a cost range yet" in text_of(quality_only, "estimate-cost")
    with_continuity = client.get(f"/estimate?{BASE_QUERY}&standards=iso-22301").get_data(as_text=True)
    assert text_of(with_continuity, "estimate-cost").startswith("About OMR 1,400.000 to OMR 2,450.000")
    assert "from the day rates of 2 accredited certification bodies" in with_continuity


def test_cost_range_counts_an_accreditation_whose_scope_names_no_sector_where_the_standard_uses_none(client, reference):
    """ISO 22301 scopes are written in the accreditation body's own words, not IAF sectors: as on the
    match page, the visitor's sector is not asked of such an accreditation."""
    for name, rate in (("Alpha Continuity", "200"), ("Beta Continuity", "350")):
        body_accredited_for(name, day_rate=rate, standards=("iso-22301",), sectors=())
    with_continuity = client.get(f"/estimate?{BASE_QUERY}&standards=iso-22301").get_data(as_text=True)
    assert text_of(with_continuity, "estimate-cost").startswith("About OMR 1,400.000 to OMR 2,450.000")


def test_enquiry_link_attaches_the_signed_estimate_and_preselects_the_answers(client, reference):
    html = client.get(f"/estimate?{BASE_QUERY}&standards=iso-45001").get_data(as_text=True)
    href = re.search(r'href="([^"]+)"[^>]*>Send an enquiry with this estimate', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlparse(href).query)
    assert urlparse(href).path == "/enquire"
    assert query["standard"] == ["iso-9001", "iso-45001"] and query["location"] == ["sohar"]
    kind, data = read_attachment(query["attachment"][0])
    assert kind == "estimate"
    assert data["standards"] == "ISO 9001, ISO 45001"
    # 4 + 4 less 10% = 7.2 -> 7; 7.2 / 3 = 2.4 -> 2.5 (nearest half day, IAF MD 5:2019 2.2.3)
    assert data["initial_audit_days"] == "7" and data["surveillance_days_each"] == "2.5"
    assert data["effective_personnel"] == 40 and data["part_time_staff"] == 0
    enquiry = client.get(href).get_data(as_text=True)
    assert "Your audit-time estimate will be attached to this enquiry." in enquiry
    assert re.search(r'value="iso-45001"[^>]*checked|checked[^>]*value="iso-45001"', enquiry)


def test_form_result_and_error_pages_are_valid_html_by_the_nu_checker(client, reference, tmp_path):
    body_accredited_for("Alpha Certification", day_rate="200", sectors=(33,))
    body_accredited_for("Beta Assurance", day_rate="350", sectors=(33,))
    paths = ["/estimate", f"/estimate?{BASE_QUERY}&standards=iso-27001&sites=4", "/estimate?employees=forty"]
    assert nu_errors([client.get(path).data for path in paths], tmp_path) == []


FUZZ = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
noise = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["iso-9001", "iso-27001", "28", "sohar", "1e9", "", "0x10"]),
)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "standards",
                "sector",
                "employees",
                "part_time",
                "part_time_hours",
                "full_time_hours",
                "repetitive",
                "sites",
                "sites_differ",
                "ems_complexity",
                "ohs_complexity",
                "region",
                "other",
            ]
        ),
        st.lists(noise, max_size=3),
        max_size=6,
    )
)
def test_any_query_string_gets_the_page_never_an_error(client, reference, query):
    response = client.get("/estimate", query_string=[(key, v) for key, values in query.items() for v in values])
    assert response.status_code == 200


@FUZZ
@given(
    st.sets(st.sampled_from(["iso-9001", "iso-14001", "iso-45001", "iso-27001"]), min_size=1),
    st.integers(1, 39),
    st.integers(1, 1_000_000),
    st.integers(1, 500),
)
def test_every_valid_answer_gets_an_estimate(client, reference, standards, sector, employees, sites):
    query = [("standards", slug) for slug in sorted(standards)]
    query += [("sector", sector), ("employees", employees), ("sites", sites), ("region", "muscat")]
    html = client.get("/estimate", query_string=query).get_data(as_text=True)
    # Where IAF MD 5 leaves the category to the body (nuclear; public administration for EMS), the form asks.
    asked = [t for t, slug in (("ems", "iso-14001"), ("ohs", "iso-45001")) if slug in standards]
    asked = [t for t in asked if is_special_case(t, sector)]
    assert ("Your estimate" in html) == (not asked)
    if asked:
        assert f'id="{asked[0]}_complexity-error"' in html
    else:
        assert ('data-testid="initial-days"' in html) == (standards != {"iso-27001"})


def test_a_100_person_hospital_iso_45001_initial_audit_is_11_days(client, reference):
    html = client.get("/estimate?standards=iso-45001&sector=38&employees=100&sites=1&region=muscat").get_data(
        as_text=True
    )
    assert text_of(html, "initial-days") == "11"  # OH&S high (IAF MD 5 annex: hospitals, healthcare)
    assert "at high complexity, usual for the sector" in text_of(html, "estimate-explanation")


def test_a_special_case_sector_asks_for_the_category_by_its_field_and_keeps_the_answers(client, reference):
    query = "standards=iso-14001&sector=36&employees=40&sites=1&region=muscat"
    html = client.get(f"/estimate?{query}").get_data(as_text=True)
    assert "Your estimate" not in html
    error = re.search(r'id="ems_complexity-error"[^>]*>([^<]*)<', html)
    assert error and "IAF MD 5 leaves the environmental (EMS) complexity to the certification body" in error.group(1)
    assert 'value="40"' in html
    chosen = client.get(f"/estimate?{query}&ems_complexity=medium").get_data(as_text=True)
    assert text_of(chosen, "initial-days") == "5.5"  # EMS medium, 26-45 people
    assert "at medium complexity, chosen instead of the sector&#39;s usual one" in chosen


def test_a_code_spanning_several_categories_says_the_figure_may_be_lower(client, reference):
    html = client.get("/estimate?standards=iso-14001&sector=39&employees=40&sites=1&region=muscat").get_data(
        as_text=True
    )
    explanation = text_of(html, "estimate-explanation")
    assert "sewage, refuse and waste processing are high complexity, other social services low" in explanation
    assert "the figure may be higher or lower" in explanation


def test_part_time_staff_count_by_their_hours_and_the_calculation_is_shown(client, reference):
    query = "standards=iso-45001&sector=38&employees=90&part_time=20&part_time_hours=20&full_time_hours=40"
    html = client.get(f"/estimate?{query}&sites=1&region=muscat").get_data(as_text=True)
    assert text_of(html, "initial-days") == "11"  # 90 + 20 x 20/40 = 100 people: the 86-125 band
    explanation = text_of(html, "estimate-explanation")
    assert "90 full-time, every shift counted, plus 20 part-time staff at 20 of 40 hours a week" in explanation
    assert "about 10 full-time; 100 people in all" in explanation


def test_part_time_staff_without_their_hours_get_a_message_by_the_field(client, reference):
    html = client.get(f"/estimate?{BASE_QUERY}&part_time=5&part_time_hours=").get_data(as_text=True)
    error = re.search(r'id="part_time_hours-error"[^>]*>([^<]*)<', html)
    assert error and "how many hours a week your part-time staff work" in error.group(1)
    longer = client.get(f"/estimate?{BASE_QUERY}&part_time=5&part_time_hours=50&full_time_hours=40")
    assert "cannot be more than your full-time week" in longer.get_data(as_text=True)


def test_repetitive_work_is_left_to_the_body_and_said_so(client, reference):
    html = client.get(f"/estimate?{BASE_QUERY}&repetitive=y").get_data(as_text=True)
    assert text_of(html, "initial-days") == "4"  # no invented reduction
    assert "IAF MD 5 lets the certification body count fewer of them" in text_of(html, "estimate-explanation")


def test_sites_doing_different_work_are_all_audited(client, reference):
    query = "standards=iso-9001&sector=33&employees=90&sites=3&region=sohar"
    sampled = client.get(f"/estimate?{query}").get_data(as_text=True)
    every = client.get(f"/estimate?{query}&sites_differ=y").get_data(as_text=True)
    assert "a sample of the other sites are audited (IAF MD 1)" in text_of(sampled, "estimate-explanation")
    assert text_of(every, "initial-days") == "12"  # 3 sites x 4 days (30 people each)
    assert "3 sites, not sampled (the sites do not all run the same processes" in text_of(every, "estimate-explanation")
