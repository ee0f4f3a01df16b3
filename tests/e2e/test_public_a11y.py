"""Every public content page, in English and in Arabic, in real Chromium: no axe-core violations, nothing blocked by
the CSP, and under 150 KB transferred for the page and everything it loads."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.public.content import available_slugs
from tests.fixtures.pages import PAGE_BUDGET_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables]

ENGLISH_PAGES = (
    ["/", "/iso-certification", "/process", "/standards", "/privacy", "/contact"]
    + [f"/standards/{slug}" for slug in sorted(available_slugs("standards"))]
    + [f"/locations/{slug}" for slug in sorted(available_slugs("locations"))]
)
# Every page again at its Arabic address (right to left).
PAGES = ENGLISH_PAGES + ["/ar" + path for path in ENGLISH_PAGES]

axe = Axe()


def describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}" for v in violations)


@pytest.mark.parametrize("path", PAGES)
def test_public_page_is_accessible_light_and_csp_clean(page, reference, path):
    requests = []
    csp_errors: list[str] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text))
    page.on("pageerror", lambda error: csp_errors.append(str(error)))

    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")

    transferred = 0
    for request in requests:
        sizes = request.sizes()
        transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    assert transferred < PAGE_BUDGET_BYTES, f"{path}: {transferred} bytes over {len(requests)} requests"
    assert csp_errors == []

    results = axe.run(page)
    violations = results.response["violations"]
    assert violations == [], describe(violations)


def test_navigation_menu_opens_on_a_small_screen(page, reference):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    standards_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Standards")
    assert not standards_link.is_visible()
    page.get_by_role("button", name="Toggle navigation").click()
    standards_link.wait_for(state="visible")
    standards_link.click()
    page.wait_for_url("**/standards")
    assert page.get_by_role("heading", level=1).inner_text() == "ISO standards we help with"
