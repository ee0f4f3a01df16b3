"""The intake API never answers 500: any JSON in any field is a 201 or a 422 problem naming
known fields, and a database that does not answer is a 503 problem with Retry-After."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.api import services
from portal.extensions import db
from portal.models import Lead
from tests.fixtures.api import api_enquiry, bearer

FUZZ = settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FIELDS = [*api_enquiry(), "wanted_by", "heard_from", "existing_certifications", "language", "utm_source"]

json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELDS), json_value, min_size=1, max_size=4))
def test_any_json_in_any_field_is_a_lead_or_a_problem_naming_known_fields(client, api_app, make_api_key, changes):
    secret = make_api_key()
    before = db.session.scalar(select(func.count(Lead.id)))

    response = client.post("/api/v1/enquiries", json={**api_enquiry(), **changes}, headers=bearer(secret))

    after = db.session.scalar(select(func.count(Lead.id)))
    assert response.status_code in (201, 422), response.get_data(as_text=True)
    if response.status_code == 422:
        problem = response.get_json()
        assert problem["errors"] and {entry["name"] for entry in problem["errors"]} <= set(FIELDS)
        assert after == before
    else:
        assert after == before + 1


def test_a_database_that_does_not_answer_is_a_503_problem(client, api_app, make_api_key, monkeypatch):
    secret = make_api_key()

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(services, "enquiry_of_key", unreachable)
    response = client.get("/api/v1/enquiries/ENQ-2026-000001", headers=bearer(secret))

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"].isdigit()


@pytest.mark.parametrize("path", ["/api/v1/enquiries", "/api/v1/enquiries/ENQ-2026-000001"])
def test_an_answer_sets_no_cookie_even_for_a_browser_with_a_session(client, api_app, make_api_key, path):
    secret = make_api_key()
    client.get("/enquire")  # a visitor's session cookie exists in this client

    response = client.open(
        path, method="POST" if path.endswith("enquiries") else "GET", json=api_enquiry(), headers=bearer(secret)
    )

    assert response.status_code in (201, 404)
    assert "Set-Cookie" not in response.headers
