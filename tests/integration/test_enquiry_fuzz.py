"""Fuzzing the enquiry POST: never a 500, and never a lead from invalid input.

Each example opens the form (fresh CSRF and form tokens) and posts a mutated enquiry.
Invalid inputs are invalid by construction (one guaranteed breaker plus random noise),
so the lead count must not move; free-text fuzz on an otherwise valid enquiry either
stores clean text or shows an error.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Lead
from tests.fixtures.enquiry import open_form, valid_enquiry

pytestmark = pytest.mark.usefixtures("enquiry_app")

FUZZ = settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

FIELDS = list(valid_enquiry())
REQUIRED = ["contact_name", "email", "company", "standards", "consent"]
FREE_TEXT = ["contact_name", "company", "job_title", "existing_certifications", "message"]
CAPS = {"contact_name": 120, "company": 200, "job_title": 120, "existing_certifications": 300, "message": 5000}

text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
huge = st.sampled_from(["9" * 5000, "x" * 100_000, "١٢٣" * 2000, "\x00" * 1000, "😀" * 3000])
noise_value = st.one_of(
    text,
    huge,
    st.integers(-(10**30), 10**30).map(str),
    st.lists(text, min_size=2, max_size=4),  # several values where one is expected
    st.just(""),
)

UPLOAD = "<upload a file here>"

breakers = st.one_of(
    st.sampled_from(REQUIRED).map(lambda name: {name: None}),
    st.integers(-(10**12), 0).map(lambda n: {"employees": str(n)}),
    st.integers(1_000_001, 10**40).map(lambda n: {"employees": str(n)}),
    st.integers(501, 10**9).map(lambda n: {"sites": str(n)}),
    text.filter(lambda t: "@" not in t).map(lambda t: {"email": t}),
    st.text(alphabet="abcdefghij -()", max_size=30).filter(str.strip).map(lambda t: {"phone": t}),
    st.integers(40, 10**6).map(lambda n: {"sector": str(n)}),
    text.filter(lambda t: not t.startswith("iso-")).map(lambda t: {"standards": [t]}),
    text.map(lambda t: {"region": "nowhere-" + t}),
    st.sampled_from(["employees", "sites", "email", "phone", "sector", "standards"]).map(lambda n: {n: UPLOAD}),
)


def lead_count() -> int:
    return db.session.scalar(select(func.count(Lead.id)))


def post(client, overrides: dict):
    data = {**open_form(client), **valid_enquiry()}
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        elif value == UPLOAD:
            data[name] = (io.BytesIO(b"12"), "upload.txt")  # a file where text belongs
        else:
            data[name] = value
    return client.post("/enquire", data=data, content_type="multipart/form-data")


@FUZZ
@given(breaker=breakers, noise=st.dictionaries(st.sampled_from(FIELDS), noise_value, max_size=5))
def test_invalid_enquiries_never_fail_and_never_store(client, breaker, noise):
    before = lead_count()
    response = post(client, {**noise, **breaker})
    assert response.status_code == 200, response.status_code
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert lead_count() == before


@FUZZ
@given(st.fixed_dictionaries({}, optional={name: st.one_of(text, huge) for name in FREE_TEXT}))
def test_free_text_is_either_stored_clean_or_refused_with_a_message(client, values):
    before = lead_count()
    response = post(client, values)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert "invalid-feedback" in response.get_data(as_text=True)
        assert lead_count() == before
        return
    assert lead_count() == before + 1
    lead = db.session.scalars(select(Lead).order_by(Lead.id.desc())).first()
    for name, cap in CAPS.items():
        stored = getattr(lead, name)
        assert len(stored) <= cap
        allowed = "\n\t" if name == "message" else ""
        assert all(unicodedata.category(ch) not in {"Cc", "Cs"} or ch in allowed for ch in stored)


def test_undecodable_bytes_are_not_an_error(client):
    data = open_form(client)
    body = "&".join(f"{k}={v}" for k, v in data.items()).encode() + b"&contact_name=%FF%FE%00&email=%C3%28"
    response = client.post("/enquire", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert lead_count() == 0


def test_a_json_body_is_refused_without_a_500(client):
    response = client.post("/enquire", json=valid_enquiry())
    assert response.status_code == 400
    assert lead_count() == 0
