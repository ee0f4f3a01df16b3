"""Parsing the inbox query string: allow-listed values, capped page size, shareable links."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlencode

import pytest
from werkzeug.datastructures import MultiDict

from portal.leads.queries.filters import ALL_STATUSES, OPEN_STATUSES, LeadFilter, parse_lead_filter


def parse(query: dict | list) -> tuple[LeadFilter, dict[str, str]]:
    parsed = parse_lead_filter(MultiDict(query))
    return parsed.filter, parsed.errors


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


def test_empty_query_is_open_leads_newest_first_25_a_page():
    flt, errors = parse({})
    assert flt == LeadFilter()
    assert flt.status == OPEN_STATUSES and flt.sort == "-created" and flt.per_page == 25
    assert errors == {}


@pytest.mark.parametrize(
    ("asked", "given"), [("25", 25), ("30", 50), ("100", 100), ("100000", 100), ("0", 25), ("x", 25)]
)
def test_page_size_is_one_of_the_choices_and_capped(asked, given):
    assert parse({"per_page": asked})[0].per_page == given


def test_several_statuses_and_all():
    assert parse([("status", "spam"), ("status", "new")])[0].status == ("new", "spam")
    assert parse({"status": "all"})[0].status == ALL_STATUSES
    flt, errors = parse({"status": "deleted"})
    assert flt.status == OPEN_STATUSES and "status" in errors


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("assigned", "someone"),
        ("standard", "ISO 9001; DROP"),
        ("sector", "40"),
        ("score_min", "-1"),
        ("created_to", "31/12/2026"),
        ("sort", "password_hash"),
    ],
)
def test_bad_values_fall_back_with_a_message(name, value):
    flt, errors = parse({name: value})
    assert name in errors
    assert getattr(flt, name) == getattr(LeadFilter(), name)


def test_inverted_ranges_are_refused():
    flt, errors = parse(
        {"score_min": "80", "score_max": "20", "created_from": "2026-05-01", "created_to": "2026-04-01"}
    )
    assert flt.score_min == 80 and flt.score_max is None and "score_max" in errors
    assert flt.created_from == date(2026, 5, 1) and flt.created_to is None and "created_to" in errors


def test_query_args_round_trip_for_bookmarks():
    query = {
        "q": "al noor",
        "status": "all",
        "assigned": "me",
        "standard": "iso-9001",
        "location": "sohar",
        "sector": "28",
        "score_min": "10",
        "created_from": "2026-01-01",
        "duplicates": "1",
        "sort": "-score",
        "page": "3",
        "per_page": "50",
    }
    flt, errors = parse(query)
    assert errors == {}
    link = urlencode(flt.query_args(), doseq=True)
    assert parse(parse_qsl(link))[0] == flt
    assert LeadFilter().query_args() == {}
