"""An admin answers a person's requests in Chromium: finds them, downloads and prints their data, erases it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.models import Role
from tests.fixtures.browser import assert_accessible
from tests.fixtures.privacy import EMAIL, PHONE, add_people

pytestmark = [pytest.mark.e2e, pytest.mark.clean_tables, pytest.mark.usefixtures("reference")]


def find_person(page) -> None:
    page.goto("/app/privacy/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Phone number").fill("9234 5678")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("heading", name="What the portal holds about this person").wait_for()


def test_an_admin_exports_prints_and_erases_a_persons_data(page, browser_login, make_user):
    browser_login(Role.ADMIN)
    people = add_people(make_user())
    page.get_by_role("link", name="Personal data").click()
    page.get_by_role("link", name="A person's data").click()
    page.wait_for_url("**/app/privacy/")
    assert_accessible(page)

    find_person(page)
    assert_accessible(page)
    assert page.get_by_test_id("person").inner_text().strip() == f"{EMAIL.lower()} · {PHONE}"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as JSON").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(document["enquiries"]) == 3

    page.get_by_role("button", name="Open as a printable page").click()
    page.get_by_role("heading", name="Personal data held by").wait_for()
    assert page.get_by_text(people.lead.reference).first.is_visible()
    assert page.get_by_role("navigation").count() == 0  # nothing but the data on paper
    assert_accessible(page)

    find_person(page)
    page.get_by_role("button", name="Erase this person's data").click()
    assert page.get_by_text("Tick the box to confirm the erasure.").is_visible()
    page.get_by_label("I understand that the person's data is erased for good").check()
    page.get_by_role("button", name="Erase this person's data").click()
    page.wait_for_url("**/app/privacy/")
    assert page.get_by_text("The person's data was erased.").is_visible()
    find_person(page)  # only her request about her data is left, as the firm's record of it
    counts = page.get_by_test_id("counts")
    assert counts.get_by_role("row", name="Enquiries").inner_text().split() == ["Enquiries", "0"]
    assert counts.get_by_role("row", name="Requests about their data").inner_text().split()[-1] == "1"
