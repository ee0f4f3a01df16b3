"""The directory list: filters with the inbox's query-string names, rows, and a constant query count."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from portal.models import Role
from tests.fixtures.queries import count_queries
from tests.fixtures.registrars import add_body

pytestmark = pytest.mark.usefixtures("reference")


def slugs(client, query: str = "") -> list[str]:
    response = client.get(f"/app/registrars/{query}")
    assert response.status_code == 200
    return re.findall(r'<tr data-slug="([^"]+)">', response.get_data(as_text=True))


@pytest.fixture()
def directory(reference, login_as):
    login_as(Role.CONSULTANT)
    today = date.today()
    add_body(
        slug="a-muscat-quality",
        name="A Muscat Quality",
        languages=("ar", "en"),
        accreditations=({"number": "A-1", "sectors": (28,)},),
    )
    add_body(
        slug="b-everywhere-food",
        name="B Everywhere Food",
        serves_all_oman=True,
        regions=(),
        languages=("en",),
        accreditations=(
            {"number": "B-1", "standard": "iso-22000", "sectors": (), "accreditation_body": "UKAS"},
            {"number": "B-2", "sectors": (3,), "valid_until": today + timedelta(days=40)},
        ),
    )
    add_body(
        slug="c-dhofar-suspended",
        name="C Dhofar Suspended",
        regions=("dhofar",),
        languages=("ar",),
        accreditations=({"number": "C-1", "status": "suspended"},),
    )
    add_body(slug="d-inactive", name="D Inactive", active=False, accreditations=({"number": "D-1"},))


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["a-muscat-quality", "b-everywhere-food", "c-dhofar-suspended"]),
        ("?standard=iso-9001", ["a-muscat-quality", "b-everywhere-food"]),  # C is suspended
        ("?standard=iso-22000", ["b-everywhere-food"]),
        ("?sector=28", ["a-muscat-quality"]),
        ("?sector=3", ["b-everywhere-food"]),
        ("?location=salalah", ["b-everywhere-food", "c-dhofar-suspended"]),  # city -> its governorate
        ("?location=dhofar", ["b-everywhere-food", "c-dhofar-suspended"]),
        ("?location=seeb", ["a-muscat-quality", "b-everywhere-food"]),
        ("?accreditation_body=UKAS", ["b-everywhere-food"]),
        ("?language=ar", ["a-muscat-quality", "c-dhofar-suspended"]),
        ("?active=no", ["d-inactive"]),
        ("?active=all", ["a-muscat-quality", "b-everywhere-food", "c-dhofar-suspended", "d-inactive"]),
        ("?expiring=1", ["b-everywhere-food"]),
        ("?q=muscat", ["a-muscat-quality"]),
        ("?q=B-2", ["b-everywhere-food"]),  # accreditation number
        ("?sort=-name", ["c-dhofar-suspended", "b-everywhere-food", "a-muscat-quality"]),
        ("?standard=iso-9001&language=en&location=muscat", ["a-muscat-quality", "b-everywhere-food"]),
    ],
)
def test_filters(client, query, expected):
    assert slugs(client, query) == expected


@pytest.mark.usefixtures("directory")
def test_bad_filter_values_are_ignored_with_a_message(client):
    response = client.get("/app/registrars/?sector=99&active=maybe&sort=price&standard=<x>")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose an IAF sector code from 1 to 39." in html
    assert "Choose active, inactive or all." in html
    assert "Unknown sort order." in html
    assert len(re.findall(r"<tr data-slug=", html)) == 3


@pytest.mark.usefixtures("directory")
def test_rows_show_standards_covered_and_the_nearest_expiry(client):
    html = client.get("/app/registrars/").get_data(as_text=True)
    row = html.split('data-slug="b-everywhere-food"')[1].split("</tr>")[0]
    assert "ISO 9001" in row and "ISO 22000" in row
    assert (date.today() + timedelta(days=40)).isoformat() in row
    assert "Expiring" in row
    suspended = html.split('data-slug="c-dhofar-suspended"')[1].split("</tr>")[0]
    assert "None current" in suspended


def test_the_number_of_queries_does_not_grow_with_the_rows(client, login_as, steady_content_version):
    login_as(Role.CONSULTANT)
    add_body(accreditations=({"number": "X-1"}, {"number": "X-2", "standard": "iso-14001"}))
    client.get("/app/registrars/")
    with count_queries() as few:
        client.get("/app/registrars/?per_page=100")
    for n in range(15):
        add_body(
            serves_all_oman=n % 2 == 0,
            languages=("ar", "en"),
            accreditations=({"number": f"Y{n}-1"}, {"number": f"Y{n}-2", "standard": "iso-45001"}),
        )
    client.get("/app/registrars/")
    with count_queries() as many:
        html = client.get("/app/registrars/?per_page=100").get_data(as_text=True)
    assert html.count("<tr data-slug=") == 16
    assert len(many) == len(few)
