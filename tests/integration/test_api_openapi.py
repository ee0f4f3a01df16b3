"""The API's OpenAPI 3.1 document is generated from the code, valid, and covers every route of
the API; its reference page is served locally under the strict CSP."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from tests.fixtures.api import api_enquiry


def test_the_document_is_a_valid_openapi_3_1_document(client, app):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_and_method_is_in_the_document(client, app):
    document = client.get("/api/v1/openapi.json").get_json()

    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, operations in document["paths"].items() for method in operations}
    assert routes and routes == documented


def test_the_enquiry_schema_names_the_web_forms_fields_and_required_ones(client, app):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["EnquiryIn"]

    assert set(api_enquiry()) <= set(schema["properties"])
    assert set(schema["required"]) == {"contact_name", "email", "company", "standards", "consent"}
    assert schema["properties"]["standards"]["type"] == "array"


def test_the_operations_needing_a_key_say_so(client, app):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    assert paths["/api/v1/enquiries"]["post"]["security"] == [{"apiKey": ["enquiries:write"]}]
    assert paths["/api/v1/enquiries/{reference}"]["get"]["security"] == [{"apiKey": ["enquiries:read"]}]
    assert "security" not in paths["/api/v1/openapi.json"]["get"]


def test_the_reference_page_is_drawn_on_the_server_without_inline_script_or_style(client, app):
    response = client.get("/api/v1/docs")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "POST /api/v1/enquiries" in html and "GET /api/v1/enquiries/{reference}" in html
    assert "contact_name" in html and "Idempotency-Key" in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert "Set-Cookie" not in response.headers


def test_the_reference_page_reads_in_the_readers_language_and_the_document_stays_english(client, app):
    arabic = {"Accept-Language": "ar"}
    page = client.get("/api/v1/docs", headers=arabic).get_data(as_text=True)
    document = client.get("/api/v1/openapi.json", headers=arabic).get_json()

    assert 'lang="ar"' in page
    assert "قراءة حالة استفسار" in page and "الشخص الذي نتواصل معه." in page  # a summary, a field
    assert 'تحتاج مفتاحًا بالصلاحية <code dir="ltr">enquiries:write</code>.' in page  # code set apart
    assert "Read an enquiry's status" not in page and "The person to contact." not in page
    assert document["paths"]["/api/v1/enquiries/{reference}"]["get"]["summary"] == "Read an enquiry's status"
    contact = document["components"]["schemas"]["EnquiryIn"]["properties"]["contact_name"]
    assert contact["description"] == "The person to contact."


def test_the_document_states_how_long_the_first_answer_is_kept_from_the_setting(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_IDEMPOTENCY_HOURS", 48)

    parameters = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/enquiries"]["post"]["parameters"]

    idempotency = next(parameter for parameter in parameters if parameter["name"] == "Idempotency-Key")
    assert "(kept 48 hours)" in idempotency["description"]
