"""The API's OpenAPI 3.1 document, generated from the code by apispec.

Paths come from the blueprint's URL rules (apispec-webframeworks' FlaskPlugin), request and
response bodies from the marshmallow schemas that check them (portal/api/forms.py), and
each operation's summary, scope and answers from the `@operation(...)` next to its view. Every
view of the blueprint is in the document, documented or not, so none can be left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask

from portal.api.forms import EnquiryCreated, EnquiryIn, EnquiryStatus
from portal.core.firm import current_firm
from portal.web.problems import PROBLEM_MEDIA_TYPE

View = TypeVar("View", bound=Callable[..., Any])

API_VERSION = "1.0.0"
DESCRIPTION = (
    "Send enquiries from the firm's other websites into the portal's inbox, with the same checks, "
    "scoring and e-mails as the website's enquiry form, and read their status. Authenticate with an "
    "API key (`Authorization: Bearer <key>`) an admin created. Errors are problem details "
    "(RFC 9457, `application/problem+json`), with one entry per invalid field in `errors`. "
    "Send an `Idempotency-Key` header to make a retried POST return the first answer."
)

PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem, or about:blank."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "One entry per invalid field.",
            "items": {
                "type": "object",
                "required": ["name", "pointer", "message"],
                "properties": {
                    "name": {"type": "string"},
                    "pointer": {"type": "string", "description": "JSON pointer into the request body."},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


def problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": "Problem"}}}


def json_body(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


KEY_PROBLEMS = {
    "401": problem("No key, or an unknown or revoked one."),
    "403": problem("The key lacks the scope this operation needs."),
    "429": problem("Too many requests for this key: wait the Retry-After header's seconds."),
}


def operation(spec: dict[str, Any], scope: str | None = None) -> Callable[[View], View]:
    """Document the view's operation (its OpenAPI operation object; `scope`: the key's scope it needs)."""

    def decorator(view: View) -> View:
        document = dict(spec)
        if scope is not None:
            document["security"] = [{"apiKey": [scope]}]
            document["responses"] = {**document.get("responses", {}), **KEY_PROBLEMS}
            document["description"] = (
                document.get("description", "") + f"\n\nNeeds a key with the scope `{scope}`."
            ).strip()
        view.openapi_operation = document  # type: ignore[attr-defined]
        return view

    return decorator


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every view of the API blueprint."""
    spec = APISpec(
        title=f"{current_firm().name} intake API",
        version=API_VERSION,
        openapi_version="3.1.0",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": DESCRIPTION},
        servers=[{"url": app.config["PUBLIC_BASE_URL"].rstrip("/")}],
    )
    spec.components.security_scheme("apiKey", {"type": "http", "scheme": "bearer", "description": "An API key."})
    spec.components.schema("EnquiryIn", schema=EnquiryIn)
    spec.components.schema("EnquiryCreated", schema=EnquiryCreated)
    spec.components.schema("EnquiryStatus", schema=EnquiryStatus)
    spec.components.schema("Problem", PROBLEM)
    for endpoint, view in sorted(app.view_functions.items()):
        if not endpoint.startswith("api."):
            continue
        rule = next(app.url_map.iter_rules(endpoint))
        method = min(set(rule.methods or ()) - {"HEAD", "OPTIONS"})
        documented = getattr(view, "openapi_operation", {"summary": endpoint})
        spec.path(view=view, app=app, operations={method.lower(): {"operationId": endpoint, **documented}})
    return spec.to_dict()
