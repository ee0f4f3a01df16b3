"""Lists with a hand-edited or mangled query string: the page still answers, never a server error.

People bookmark filtered lists, paste links into chats and edit them by hand; crawlers
invent parameters. Whatever arrives in the query string, a list page answers with the
page (ignoring or flagging what it cannot read), not with a 500.
"""

from __future__ import annotations

import re

import pytest

from portal.models import Role
from tests.fixtures.auth import csrf_token_from

# The CSV exports read the same filters from their query string, behind a POST-only button.
EXPORTS = {"/app/leads/export.csv": "/app/leads/", "/app/registrars/export.csv": "/app/registrars/"}
LIST_PAGES = [
    "/app/",
    "/app/leads/",
    "/app/engagements/",
    "/app/clients/",
    "/app/registrars/",
    "/app/admin/users",
    "/app/admin/audit",
    "/standards",
    "/estimate",
]

# Every filter, sort and paging parameter the lists read, each with a value no form would send.
NAMES = [
    "page",
    "per_page",
    "sort",
    "view",
    "q",
    "status",
    "standard",
    "stage",
    "owner",
    "assigned",
    "location",
    "language",
    "accreditation_body",
    "active",
    "expiring",
    "due_within",
    "duplicates",
    "waiting",
    "score_min",
    "score_max",
    "date_from",
    "date_to",
    "created_from",
    "created_to",
    "action",
    "actor",
    "role",
    "all",
]
GARBAGE = {
    "negative": "-1",
    "word": "abc",
    "huge": "99999999999999999999999",
    "superscript_digit": "²",  # str.isdigit() says yes, int() says no
    "sql": "drop table lead;--",
    "impossible_date": "2026-13-45",
    "february_30": "2026-02-30",
    "nul": "a\x00b",
    "long": "x" * 10_000,
}
# Each kind of garbage in every parameter at once, then the kinds that have broken lists
# before (overflowing numbers, digits int() refuses, impossible dates) one parameter at a time,
# so a page that stops at its first bad value still meets every parameter.
QUERIES: dict[str, object] = {f"all={label}": {name: value for name in NAMES} for label, value in GARBAGE.items()}
QUERIES.update(
    {
        f"{name}={label}": {name: GARBAGE[label]}
        for name in NAMES
        for label in ("huge", "superscript_digit", "impossible_date")
    }
)
QUERIES["repeated"] = [("page", "2"), ("page", "-3"), ("sort", "name"), ("sort", "drop")]


@pytest.fixture()
def admin_client(client, login_as):
    login_as(Role.ADMIN)
    return client


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_never_fail_on_garbage_query_strings(admin_client, url):
    failures = []
    for label, query in QUERIES.items():
        response = admin_client.get(url, query_string=query)
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("url", EXPORTS)
def test_exports_never_fail_on_garbage_query_strings(admin_client, url):
    token = csrf_token_from(admin_client.get(EXPORTS[url]).get_data(as_text=True))
    failures = []
    for label, query in QUERIES.items():
        response = admin_client.post(url, query_string=query, data={"csrf_token": token})
        response.close()  # the exports stream: end the response before the next request
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
    assert failures == []


def test_an_id_too_big_for_the_database_is_not_found(app, admin_client):
    """Every GET route with an id in its path: a hand-typed twenty-digit id is a 404, not an SQL overflow."""
    adapter = app.url_map.bind("localhost")
    checked = 0
    for rule in app.url_map.iter_rules():
        int_args = re.findall(r"<int:(\w+)>", rule.rule)
        if not int_args or "GET" not in rule.methods:
            continue
        url = adapter.build(rule.endpoint, {arg: 1 for arg in rule.arguments})
        for arg in int_args:
            parts = url.split("/")
            parts[rule.rule.split("/").index(f"<int:{arg}>")] = "9" * 20
            response = admin_client.get("/".join(parts))
            assert response.status_code == 404, f"{rule.rule} with {arg}=9...9"
            checked += 1
    assert checked >= 5
