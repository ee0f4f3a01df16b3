"""Query-string keys no page reads (`?id=2`, `?endpoint=x`, `?_external=1`, ...) never reach
`url_for`: every GET page answers as without them, as each kind of visitor, never a 500.

`url_for(endpoint, **values)` treats `endpoint`, `_external`, `_anchor`, `_method` and
`_scheme` as its own options, and a value for an argument it is also given (`id`) as a
clash: a page that copies the query string into a link (a "show all" link, the next page
of a list) must pick the keys it knows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import PersonalDataBreach, PrivacyRequest, Role, Tag, WebhookEndpoint
from portal.models.types import utcnow
from tests.fixtures.auth import log_in

UNEXPECTED = {
    "id": "2",
    "endpoint": "x",
    "_external": "1",
    "_anchor": "top",
    "_method": "DELETE",
    "_scheme": "javascript",
}
# The same with one row per page, so lists draw their "next page" links from the query string too.
QUERIES = {"unexpected keys": UNEXPECTED, "unexpected keys, paged": {**UNEXPECTED, "page": "2", "per_page": "1"}}
# Routes that serve files, not pages.
NOT_PAGES = {"static", "bootstrap.static", "leads.attachment_file", "client_status.download"}


@pytest.fixture()
def path_values(reference, make_lead, make_engagement, make_client, make_certification_body, make_quote) -> dict:
    """Two of everything (so every list has a second page at one a page), and the values for each path argument."""
    for _ in range(2):
        make_lead()
        make_client()
    engagement = make_engagement()
    make_engagement()
    quote = make_quote(engagement, status="requested")
    body = make_certification_body()
    tag = Tag(name="Unexpected", colour="blue")
    breach = PersonalDataBreach(title="Unexpected", discovered_at=utcnow())
    request = PrivacyRequest(name="A", email="a@example.om", kind="access", due_on=date(2027, 1, 1))
    endpoint = WebhookEndpoint(url="https://crm.example.com/hooks", events=["lead.created"], secret="whsec_x")
    db.session.add_all([tag, breach, request, endpoint])
    db.session.commit()
    return {
        "id": engagement.id,
        "quote_id": quote.id,
        "slug": body.slug,
        "accreditation_id": body.accreditations[0].id,
        "tag_id": tag.id,
        "breach_id": breach.id,
        "request_id": request.id,
        "endpoint_id": endpoint.id,
        "token": "not-a-token",
        "lang": "ar",
        "reference": "ENQ-2026-000001",
    }


def get_pages(app: Flask, values: dict) -> Iterator[str]:
    """Every GET route in the URL map as a URL, ids of existing rows filled in (a public page once
    per language: its default-language rule sets `lang` itself)."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES:
            arguments = {name: values[name] for name in rule.arguments if name not in (rule.defaults or {})}
            yield adapter.build(rule.endpoint, {**arguments, **(rule.defaults or {})})


def walk(client, app: Flask, values: dict) -> list[str]:
    failures = []
    checked = 0
    for url in get_pages(app, values):
        for label, query in QUERIES.items():
            response = client.get(url, query_string=query)
            response.close()
            checked += 1
            if response.status_code >= 500 or b"javascript:" in response.data:
                failures.append(f"{url} ({label}): {response.status_code}")
    assert checked > 60
    return failures


def test_anonymous_visitors(app: Flask, client, path_values: dict, make_user) -> None:
    values = {**path_values, "user_id": make_user().id}
    assert walk(client, app, values) == []


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.ADMIN])
def test_signed_in_staff(app: Flask, client, path_values: dict, make_user, role: Role) -> None:
    user = make_user(role=role)
    make_user()  # a second account, for the users list's second page
    assert log_in(client, user.email).status_code == 302
    assert log_in(app.test_client(), user.email).status_code == 302  # a second audit row, for the audit log's
    assert walk(client, app, {**path_values, "user_id": user.id}) == []
