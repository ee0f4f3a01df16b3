"""The audit-time estimate in real Chromium: accessible, light, CSP-clean, and usable without JavaScript."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import assert_accessible
from tests.fixtures.pages import PAGE_BUDGET_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

RESULT = "/estimate?standards=iso-9001&standards=iso-45001&sector=28&employees=40&sites=1&region=sohar"
ASKED = "/estimate?standards=iso-14001&sector=36&employees=40&sites=1&region=sohar"


@pytest.mark.parametrize("path", ["/estimate", RESULT, "/estimate?standards=&employees=0", ASKED])
def test_estimate_page_is_accessible_light_and_csp_clean(page, reference, path):
    requests, csp_errors = [], []
    page.on("requestfinished", lambda request: requests.append(request))
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text))
    page.on("pageerror", lambda error: csp_errors.append(str(error)))

    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")

    transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests)
    assert transferred < PAGE_BUDGET_BYTES, f"{path}: {transferred} bytes"
    assert csp_errors == []
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_visitor_estimates_and_takes_the_estimate_to_an_enquiry(browser, live_server, reference, javascript):
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit-time estimate").click()
        page.wait_for_url("**/estimate")
        page.get_by_label("ISO 9001 – Quality management systems").check()
        page.get_by_label("Sector").select_option("33")
        page.get_by_label("Number of employees").fill("40")
        page.get_by_label("Location").select_option("sohar")
        page.get_by_role("button", name="Estimate audit days").click()

        page.get_by_role("heading", name="Your estimate").wait_for()
        assert page.get_by_test_id("initial-days").inner_text() == "4"
        assert page.get_by_test_id("surveillance-days").inner_text() == "1.5"
        assert page.get_by_test_id("recertification-days").inner_text() == "2.5"  # 8/3, nearest half day

        page.get_by_role("link", name="Send an enquiry with this estimate").click()
        page.wait_for_url("**/enquire?**")
        page.get_by_text("Your audit-time estimate will be attached to this enquiry.").wait_for()
        assert page.get_by_label("ISO 9001 – Quality management systems").is_checked()
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_hospital_with_part_time_staff_and_a_category_the_body_chooses(browser, live_server, reference, javascript):
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/estimate")
        page.get_by_label("ISO 45001 – Occupational health and safety management systems").check()
        page.get_by_label("Sector").select_option("38")
        page.get_by_label("Number of employees").fill("90")
        page.get_by_label("Part-time staff").fill("20")
        page.get_by_label("Hours a part-timer works a week, on average").fill("20")
        page.get_by_label("Location").select_option("muscat")
        page.get_by_role("button", name="Estimate audit days").click()

        # 90 + 20 x 20/40 = 100 effective personnel; hospitals are OH&S high (IAF MD 5): 11 days.
        page.get_by_role("heading", name="Your estimate").wait_for()
        assert page.get_by_test_id("initial-days").inner_text() == "11"
        assert "100 people in all" in page.get_by_test_id("estimate-explanation").inner_text()

        # Public administration: IAF MD 5 leaves the EMS category to the body, so the form asks for it.
        page.get_by_label("ISO 14001 – Environmental management systems").check()
        page.get_by_label("Sector").select_option("36")
        page.get_by_role("button", name="Estimate audit days").click()
        page.get_by_text("leaves the environmental (EMS) complexity to the certification body").wait_for()
        assert page.get_by_role("heading", name="Your estimate").count() == 0
        page.get_by_label("Environmental complexity (ISO 14001)").select_option("medium")
        page.get_by_role("button", name="Estimate audit days").click()
        page.get_by_role("heading", name="Your estimate").wait_for()
        # EMS medium 8 + OH&S low (public administration) 5.5 = 13.5, less 10% integrated = 12.15 -> 12.
        assert page.get_by_test_id("initial-days").inner_text() == "12"
    finally:
        context.close()
